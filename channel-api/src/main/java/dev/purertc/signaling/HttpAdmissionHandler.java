package dev.purertc.signaling;

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

import java.nio.charset.StandardCharsets;

/**
 * Every HTTP request passes here before Netty's WebSocket handshake: requests for the WebSocket path
 * are checked (method, {@code Origin} allow-list, token hook) and passed on to the handshake; GETs of
 * known resources are served; everything else gets 404. Answers are {@code Connection: close}.
 */
final class HttpAdmissionHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final SignalingServerOptions options;
    private final Map<String, SignalingServer.StaticResource> resources;

    HttpAdmissionHandler(SignalingServerOptions options, Map<String, SignalingServer.StaticResource> resources) {
        this.options = options;
        this.resources = resources;
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
            if (origin != null && !options.allowedOrigins().isEmpty() && !options.allowedOrigins().contains(origin)) {
                respond(ctx, HttpResponseStatus.FORBIDDEN, "origin not allowed: " + origin + "\n");
                return;
            }
            TokenValidator validator = options.tokenValidator();
            if (validator != null) {
                List<String> tokens = uri.parameters().get("token");
                String token = tokens == null || tokens.isEmpty() ? null : tokens.get(0);
                if (!validator.accept(token, origin)) {
                    respond(ctx, HttpResponseStatus.UNAUTHORIZED, "token rejected\n");
                    return;
                }
            }
            ctx.fireChannelRead(req.retain()); // to WebSocketServerProtocolHandler
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

    private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
}
