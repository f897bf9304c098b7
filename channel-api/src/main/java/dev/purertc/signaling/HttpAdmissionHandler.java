package dev.purertc.signaling;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;

/**
 * Every HTTP request passes here before Netty's WebSocket handshake: requests for the WebSocket path
 * are checked (method, {@link OriginPolicy} (403), token validator (401)) and passed on to the handshake
 * with what the token granted; GETs of known resources are served; everything else gets 404. Answers are
 * {@code Connection: close}.
 */
final class HttpAdmissionHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    /** What the upgrade request was admitted with: the token's grant (null without a validator). */
    record Admission(TokenGrant grant, byte[] tokenFingerprint) {
        static final Admission OPEN = new Admission(null, null);
    }

    static final AttributeKey<Admission> ADMISSION = AttributeKey.valueOf(HttpAdmissionHandler.class, "admission");

    /**
     * Answers {@code ok} while the server accepts connections: for load balancers and orchestrators. A
     * cluster node that lost its Redis answers 503 with the reason instead.
     */
    static final String HEALTH_PATH = "/healthz";
    /** The Prometheus text exposition of {@link SignalingMetrics}. */
    static final String METRICS_PATH = "/metrics";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final SignalingServerOptions options;
    private final OriginPolicy originPolicy;
    private final Map<String, SignalingServer.StaticResource> resources;
    private final SignalingMetrics metrics;
    private final java.util.function.Supplier<String> unhealthyReason;

    HttpAdmissionHandler(SignalingServerOptions options, OriginPolicy originPolicy,
                         Map<String, SignalingServer.StaticResource> resources, SignalingMetrics metrics,
                         java.util.function.Supplier<String> unhealthyReason) {
        this.options = options;
        this.unhealthyReason = unhealthyReason;
        this.originPolicy = originPolicy;
        this.resources = resources;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            respond(ctx, HttpResponseStatus.BAD_REQUEST, "bad request\n");
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.path();
        if (path.equals(options.websocketPath())) {
            if (!HttpMethod.GET.equals(req.method())) {
                respond(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "WebSocket upgrade needs GET\n");
                return;
            }
            String origin = req.headers().get(HttpHeaderNames.ORIGIN);
            String refusal = originPolicy.refusal(origin, req.headers().get(HttpHeaderNames.HOST),
                    (InetSocketAddress) ctx.channel().localAddress());
            if (refusal != null) {
                respond(ctx, HttpResponseStatus.FORBIDDEN, refusal + "\n");
                return;
            }
            Admission admission = Admission.OPEN;
            TokenValidator validator = options.tokenValidator();
            if (validator != null) {
                List<String> tokens = uri.parameters().get("token");
                String token = tokens == null || tokens.isEmpty() ? null : tokens.get(0);
                TokenGrant grant = validator.validate(token, origin);
                if (grant == null || grant.isEmpty()) {
                    respond(ctx, HttpResponseStatus.UNAUTHORIZED, "token rejected\n");
                    return;
                }
                admission = new Admission(grant, token == null ? null : fingerprint(token));
            }
            ctx.channel().attr(ADMISSION).set(admission);
            ctx.fireChannelRead(req.retain()); // to WebSocketServerProtocolHandler
            return;
        }
        if (path.equals(HEALTH_PATH) && HttpMethod.GET.equals(req.method())) {
            String problem = unhealthyReason.get();
            if (problem != null) {
                respond(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "not ok: " + problem + "\n");
                return;
            }
            respond(ctx, HttpResponseStatus.OK, "ok\n");
            return;
        }
        if (path.equals(METRICS_PATH) && HttpMethod.GET.equals(req.method())) {
            InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
            if (!options.publicMetrics() && !remote.getAddress().isLoopbackAddress()) {
                respond(ctx, HttpResponseStatus.FORBIDDEN, "metrics are served to this machine only (publicMetrics)\n");
                return;
            }
            respond(ctx, HttpResponseStatus.OK, metrics.scrape(), PROMETHEUS_TEXT);
            return;
        }
        SignalingServer.StaticResource r = resources.get(path);
        if (r != null && (HttpMethod.GET.equals(req.method()) || HttpMethod.HEAD.equals(req.method()))) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    HttpMethod.HEAD.equals(req.method()) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body()));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
            res.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        respond(ctx, HttpResponseStatus.NOT_FOUND, "not found: " + path + "\n");
    }

    /** SHA-256 of the token: enough to recognise it again, and the token itself is not kept. */
    private static byte[] fingerprint(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
        respond(ctx, status, text, "text/plain; charset=utf-8");
    }

    private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String text, String contentType) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
}
