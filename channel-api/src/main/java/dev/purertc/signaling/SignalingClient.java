package dev.purertc.signaling;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * A Java client of the {@link SignalingServer}: connect, register a user id, send PureRTC messages
 * to other users, call graphscript routes on other users through the server, and answer theirs.
 *
 * <p>Threading: every method may be called from any thread; futures complete and
 * {@link SignalingListener} / {@link RouteHandler} callbacks run on the client's event loop thread,
 * so do not block in them (and do not wait on another future of the same client there). No
 * reconnection: after the connection closes every call fails.
 */
public final class SignalingClient implements AutoCloseable {

    private final SignalingClientOptions options;
    private final Channel channel;
    private final EventLoopGroup ownGroup;
    private final CompletableFuture<SignalingClient> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Map<String, CompletableFuture<ObjectNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, RouteHandler> routes = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile String connectionId;
    private volatile String user;
    private volatile String secret;
    private volatile int closeStatus = -1;
    private volatile String closeReason = "";

    private SignalingClient(URI uri, SignalingClientOptions options) {
        this.options = options;
        this.ownGroup = options.eventLoopGroup() == null
                ? new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("purertc-signaling-client", true),
                        NioIoHandler.newFactory())
                : null;
        EventLoopGroup group = ownGroup != null ? ownGroup : options.eventLoopGroup();
        HttpHeaders headers = new DefaultHttpHeaders();
        if (options.origin() != null) {
            headers.set(HttpHeaderNames.ORIGIN, options.origin());
        }
        WebSocketClientProtocolConfig wsConfig = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .customHeaders(headers)
                .generateOriginHeader(false)
                .maxFramePayloadLength(options.maxFrameBytes())
                .handleCloseFrames(false) // ClientHandler reads the status code
                .handshakeTimeoutMillis(options.requestTimeout().toMillis())
                .build();
        boolean secure = "wss".equals(uri.getScheme());
        if (!secure && !"ws".equals(uri.getScheme())) {
            throw new IllegalArgumentException("only ws:// and wss:// URIs are supported: " + uri);
        }
        String host = uri.getHost().replace("[", "").replace("]", "");
        int port = uri.getPort() > 0 ? uri.getPort() : (secure ? 443 : 80);
        SslContext tls = secure ? clientTls(options) : null;
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        options.requestTimeout().toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (options.receiveBufferBytes() > 0) {
                            ch.config().setReceiveBufferSize(options.receiveBufferBytes());
                        }
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port));
                        }
                        ch.pipeline().addLast(new HttpClientCodec(),
                                new HttpObjectAggregator(8192),
                                new WebSocketClientProtocolHandler(wsConfig),
                                new WebSocketFrameAggregator(options.maxFrameBytes()),
                                new ClientHandler());
                    }
                });
        channel = b.connect(host, port)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        connected.completeExceptionally(f.cause());
                    }
                }).channel();
        channel.closeFuture().addListener(f -> onClosed());
    }

    /** The options' TLS context, or the JDK's trusted CAs with the host name checked. */
    private static SslContext clientTls(SignalingClientOptions options) {
        if (options.tls() != null) {
            return options.tls();
        }
        try {
            return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).endpointIdentificationAlgorithm("HTTPS").build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("the JDK's default TLS context is unusable: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a connection to {@code uri} (e.g. {@link SignalingServer#websocketUri()}). The future
     * completes once the server has assigned the connection id, or fails (an HTTP 401/403 refusal
     * fails it with Netty's {@code WebSocketClientHandshakeException} naming the status).
     */
    public static CompletableFuture<SignalingClient> connect(URI uri, SignalingClientOptions options) {
        SignalingClient c = new SignalingClient(uri, options);
        c.connected.whenComplete((ok, failure) -> {
            if (failure != null) {
                c.channel.close();
                c.shutdownOwnGroup();
            }
        });
        return c.connected;
    }

    /** The id the server gave this connection. */
    public String connectionId() {
        return connectionId;
    }

    /** The registered user id, or null. */
    public String user() {
        return user;
    }

    /**
     * Registers {@code userId}; fails with {@link SignalingException} (e.g. {@code user-taken}; or
     * {@code user-reserved} when the id was freed recently by another client, see
     * {@link #register(String, String)}; or {@code user-not-granted} when the token does not grant it).
     */
    public CompletableFuture<Void> register(String userId) {
        return register(userId, null);
    }

    /**
     * Registers {@code userId}, presenting the {@link #secret()} an earlier connection of this client got
     * for it: after a disconnection the server keeps a user id reserved for a while
     * ({@link SignalingServerOptions#userIdReservation()}) and only the secret (or the same token) claims it
     * back in that time.
     *
     * @param secret the earlier connection's {@link #secret()}, or null
     */
    public CompletableFuture<Void> register(String userId, String secret) {
        ObjectNode m = SignalingJson.object();
        m.put("type", "register");
        m.put("user", userId);
        if (secret != null) {
            m.put("secret", secret);
        }
        return request(m).thenAccept(reply -> {
            if (user == null) {
                user = reply.get("user").asText();
            }
            JsonNode s = reply.get("secret");
            if (s != null && s.isTextual() && this.secret == null) {
                this.secret = s.asText();
            }
        });
    }

    /**
     * The secret the server issued with the first registered user id (null before registering): keep it to
     * re-claim the id from a new connection while the server still reserves it. Treat it like a password.
     */
    public String secret() {
        return secret;
    }

    /**
     * Joins presence session {@code session} (a lobby); completes with its members, this user among them.
     * The other members get {@code member-joined}; this client's listener then hears {@code member-joined}
     * and {@code member-left} messages of the session. Fails with {@link SignalingException}
     * ({@code too-many-sessions}, {@code session-full}, {@code not-registered}).
     */
    public CompletableFuture<java.util.List<String>> join(String session) {
        return presence("join", session).thenApply(SignalingClient::memberList);
    }

    /** Leaves {@code session}; the other members get {@code member-left}. */
    public CompletableFuture<Void> leave(String session) {
        return presence("leave", session).thenAccept(reply -> { });
    }

    /** The members of a session this user is in, in order of their ids. */
    public CompletableFuture<java.util.List<String>> members(String session) {
        return presence("members", session).thenApply(SignalingClient::memberList);
    }

    private CompletableFuture<ObjectNode> presence(String type, String session) {
        ObjectNode m = SignalingJson.object();
        m.put("type", type);
        m.put("session", session);
        return request(m);
    }

    private static java.util.List<String> memberList(ObjectNode reply) {
        java.util.List<String> members = new java.util.ArrayList<>();
        reply.get("members").forEach(n -> members.add(n.asText()));
        return java.util.List.copyOf(members);
    }

    /**
     * Sends a PureRTC message of {@code type} (call, answer, description, candidate, hangup, reject or
     * message) to user {@code to}; {@code fields} (may be null) are copied into the message. Completes
     * when the server has written it to the target's connection; fails with {@link SignalingException}
     * when the server refused it, and then it was not delivered. Sends may be issued without waiting: the
     * server applies back-pressure (stops reading this connection) instead of refusing a burst. A failure
     * other than {@link SignalingException} (the connection closed, or no answer within
     * {@link SignalingClientOptions#requestTimeout()}) means the outcome is unknown.
     */
    public CompletableFuture<Void> send(String to, String type, ObjectNode fields) {
        ObjectNode m = SignalingJson.object();
        m.put("type", type);
        m.put("to", to);
        if (fields != null) {
            for (Map.Entry<String, JsonNode> f : fields.properties()) {
                if (!f.getKey().equals("type") && !f.getKey().equals("to") && !f.getKey().equals("id")) {
                    m.set(f.getKey(), f.getValue());
                }
            }
        }
        return request(m).thenAccept(reply -> { });
    }

    /**
     * graphscript's {@code runConnection(user, 'run', [route, args])}: runs {@code route} on another
     * user's connection and completes with its result ({@code args} of the answer; null when absent).
     */
    public CompletableFuture<JsonNode> run(String targetUser, String route, JsonNode args) {
        return runConnection(targetUser, "run", routeCall(route, args)).thenApply(r -> r.get("args"));
    }

    /** graphscript's {@code runConnection(user, 'post', [route, args])}: completes once relayed. */
    public CompletableFuture<Void> post(String targetUser, String route, JsonNode args) {
        return runConnection(targetUser, "post", routeCall(route, args)).thenAccept(r -> { });
    }

    private static ArrayNode routeCall(String route, JsonNode args) {
        ArrayNode call = SignalingJson.MAPPER.createArrayNode();
        call.add(route);
        if (args != null) {
            call.add(args);
        }
        return call;
    }

    private CompletableFuture<ObjectNode> runConnection(String targetUser, String method, ArrayNode callArgs) {
        String callbackId = "c" + sequence.incrementAndGet();
        ObjectNode inner = SignalingJson.object();
        inner.put("route", "runConnection");
        ArrayNode a = inner.putArray("args");
        a.add(targetUser);
        a.add(method);
        a.add(callArgs);
        ObjectNode req = SignalingJson.object();
        req.put("route", "runRequest");
        ArrayNode outer = req.putArray("args");
        outer.add(inner);
        outer.add(connectionId);
        outer.add(callbackId);
        return awaitReply(callbackId, req);
    }

    /**
     * Answers graphscript calls for {@code route} relayed from other users ({@code run} gets the
     * handler's result back; a {@code post} just runs it). Replaces an earlier handler.
     */
    public void handle(String route, RouteHandler handler) {
        routes.put(route, handler);
    }

    /** Sends one text frame exactly as given (for protocols this class has no method for). */
    public void sendText(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    /** One binary frame (the protocol has none: the server answers binary-not-supported). */
    void sendBinary(byte[] bytes) {
        channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
    }

    /**
     * Stops or resumes reading from the socket (back-pressure: the server's bound then applies). A client
     * that stays unread past the server's idle timeout while the server has messages for it is closed.
     */
    public void setAutoRead(boolean autoRead) {
        channel.config().setAutoRead(autoRead);
    }

    /** Completes when the connection has closed. */
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    /** The close status the server sent, or -1. */
    public int closeStatus() {
        return closeStatus;
    }

    /** Closes the connection (status 1000) and, when the client owns its event loop, stops it. */
    @Override
    public void close() {
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "bye")).addListener(f -> channel.close());
            channel.eventLoop().schedule(() -> channel.close(), 1, TimeUnit.SECONDS);
        } else {
            channel.close();
        }
        closed.orTimeout(5, TimeUnit.SECONDS).exceptionally(t -> null).join();
        shutdownOwnGroup();
        if (ownGroup != null) {
            ownGroup.terminationFuture().syncUninterruptibly();
        }
    }

    private void shutdownOwnGroup() {
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private CompletableFuture<ObjectNode> request(ObjectNode message) {
        String id = "r" + sequence.incrementAndGet();
        message.put("id", id);
        return awaitReply(id, message);
    }

    private CompletableFuture<ObjectNode> awaitReply(String key, ObjectNode message) {
        CompletableFuture<ObjectNode> f = new CompletableFuture<>();
        if (!channel.isActive()) {
            f.completeExceptionally(new IllegalStateException("signaling connection is closed"));
            return f;
        }
        pending.put(key, f);
        String text = SignalingJson.write(message);
        // One hop onto the loop for both the timeout and the write (callers are usually other threads).
        channel.eventLoop().execute(() -> {
            io.netty.util.concurrent.ScheduledFuture<?> timeout = channel.eventLoop().schedule(() -> {
                if (pending.remove(key, f)) {
                    f.completeExceptionally(new TimeoutException("no answer from the signaling server within "
                            + options.requestTimeout().toMillis() + " ms"));
                }
            }, options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            f.whenComplete((r, t) -> timeout.cancel(false));
            channel.writeAndFlush(new TextWebSocketFrame(text)).addListener(w -> {
                if (!w.isSuccess() && pending.remove(key, f)) {
                    f.completeExceptionally(w.cause());
                }
            });
        });
        return f;
    }

    private void onClosed() {
        IllegalStateException gone = new IllegalStateException("signaling connection closed");
        for (String key : pending.keySet()) {
            CompletableFuture<ObjectNode> f = pending.remove(key);
            if (f != null) {
                f.completeExceptionally(gone);
            }
        }
        connected.completeExceptionally(gone);
        if (closed.complete(null)) {
            options.listener().onClose(closeStatus, closeReason);
        }
    }

    private void onText(String text) {
        ObjectNode m;
        try {
            JsonNode n = SignalingJson.parse(text);
            if (!(n instanceof ObjectNode o)) {
                return;
            }
            m = o;
        } catch (JsonProcessingException e) {
            return; // the server only sends JSON objects
        }
        String type = textOf(m, "type");
        String route = textOf(m, "route");
        if ("setId".equals(route) && connectionId == null) {
            connectionId = textOf(m, "args");
            connected.complete(this);
            return;
        }
        // Answers to this client's requests: {"type":"ack"|"registered"|"error","id":...} or {"callbackId":...}
        String key = textOf(m, "id");
        if (key == null && m.has("callbackId") && route == null) {
            key = textOf(m, "callbackId");
        }
        if (key != null) {
            CompletableFuture<ObjectNode> f = pending.remove(key);
            if (f != null) {
                if ("error".equals(type)) {
                    f.completeExceptionally(new SignalingException(
                            SignalingErrorCode.fromWireName(textOf(m, "code")), textOf(m, "message")));
                } else {
                    f.complete(m);
                }
                return;
            }
        }
        if ("runRequest".equals(route)) {
            answerRunRequest(m);
            return;
        }
        if (route != null && type == null) {
            RouteHandler h = routes.get(route);
            if (h != null) {
                h.handle(m.get("args"), textOf(m, "from"));
                return;
            }
        }
        options.listener().onMessage(new SignalingMessage(m));
    }

    /** {@code {"route":"runRequest","args":[{"route":R,"args":A}, myId, relayId],"from":U}}. */
    private void answerRunRequest(ObjectNode m) {
        JsonNode args = m.get("args");
        if (!(args instanceof ArrayNode a) || a.size() < 3) {
            return;
        }
        JsonNode callbackId = a.get(2);
        JsonNode call = a.get(0);
        String route = call == null ? null : textOf(call, "route");
        RouteHandler h = route == null ? null : routes.get(route);
        CompletionStage<JsonNode> result;
        if (h == null) {
            ObjectNode err = SignalingJson.object();
            err.put("error", SignalingErrorCode.UNKNOWN_ROUTE.wireName());
            err.put("message", "no handler for route " + route);
            result = CompletableFuture.completedFuture(err);
        } else {
            try {
                result = h.handle(call.get("args"), textOf(m, "from"));
            } catch (RuntimeException e) {
                result = CompletableFuture.failedFuture(e);
            }
        }
        result.whenComplete((value, failure) -> {
            ObjectNode reply = SignalingJson.object();
            if (failure != null) {
                ObjectNode err = reply.putObject("args");
                err.put("error", "route-failed");
                err.put("message", String.valueOf(failure.getMessage()));
            } else if (value != null) {
                reply.set("args", value);
            }
            reply.set("callbackId", callbackId);
            channel.writeAndFlush(new TextWebSocketFrame(SignalingJson.write(reply)));
        });
    }

    private static String textOf(JsonNode m, String field) {
        JsonNode n = m.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    private final class ClientHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame t) {
                onText(t.text());
            } else if (frame instanceof CloseWebSocketFrame c) {
                closeStatus = c.statusCode();
                closeReason = c.reasonText();
                ctx.writeAndFlush(new CloseWebSocketFrame(c.statusCode(), "")).addListener(f -> ctx.close());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            connected.completeExceptionally(cause);
            ctx.close();
        }
    }
}
