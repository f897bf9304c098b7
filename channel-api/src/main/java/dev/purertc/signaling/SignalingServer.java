package dev.purertc.signaling;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signaling server: a WebSocket endpoint ({@link SignalingServerOptions#websocketPath()}) that
 * gives each connection an id, lets it register a user id, and relays session information between
 * users by id, stamping the sender; and an HTTP endpoint on the same port serving the browser client
 * module {@code /purertc-signaling.js} (plus any configured static resources). The wire format is in
 * the package documentation.
 *
 * <p>Exposure: the server binds 127.0.0.1 unless told otherwise; on any other address {@link #start}
 * refuses ({@link UnauthenticatedBindException}) unless a {@link TokenValidator} is configured or the
 * operator opted out with {@link SignalingServerOptions.Builder#allowUnauthenticatedNonLoopback}. Browsers
 * may connect only from the server's own origin unless {@link SignalingServerOptions#allowedOrigins()}
 * widens it; every connection is bounded in time (handshake, idle) and number (in all, per address).
 *
 * <p>Threading and lifecycle: {@link #start} binds synchronously and returns a running server. One
 * acceptor thread and {@link SignalingServerOptions#workerThreads()} Netty event loop threads
 * (daemon, named {@code purertc-signaling-*}) serve every connection; each connection's messages are
 * handled in order on its own loop. All public methods are thread-safe. {@link #close()} closes every
 * connection and returns once the event loop threads have ended.
 */
public final class SignalingServer implements AutoCloseable {

    /** HTTP path of the JavaScript client module. */
    public static final String CLIENT_MODULE_PATH = "/purertc-signaling.js";
    static final String CLIENT_MODULE_RESOURCE = "/dev/purertc/signaling/purertc-signaling.js";

    private static final Logger LOG = LoggerFactory.getLogger(SignalingServer.class);

    private final SignalingServerOptions options;
    private final ConnectionLimiter connectionLimiter;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final Channel serverChannel;
    private final UserRouter router;
    private final SignalingMetrics metrics;
    private final Map<String, SignalingConnection> connections = new ConcurrentHashMap<>();
    private final AtomicLong connectionSequence = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    /** The cross-node relay of a cluster node; null on a single node (no Redis class is loaded then). */
    private final ClusterRouting cluster;

    private SignalingServer(SignalingServerOptions options) throws InterruptedException {
        this.options = options;
        checkExposure(options);
        this.router = new UserRouter(options);
        this.metrics = new SignalingMetrics(() -> router.users().size(), this::connectionCount);
        router.metrics(metrics);
        if (options.cluster() != null) {
            cluster = new ClusterRouting(redisBus(options.cluster()), router, router.registry(), connections::get, options);
            cluster.start(router.lobbies()); // throws ClusterUnavailableException before anything is bound
            router.cluster(cluster);
        } else {
            cluster = null;
        }
        this.connectionLimiter = new ConnectionLimiter(options.maxConnections(), options.maxConnectionsPerAddress());
        OriginPolicy originPolicy = new OriginPolicy(options.allowedOrigins());
        Map<String, StaticResource> resources = loadResources(options);
        bossGroup = new MultiThreadIoEventLoopGroup(1,
                recording(new DefaultThreadFactory("purertc-signaling-accept", true)), NioIoHandler.newFactory());
        workerGroup = new MultiThreadIoEventLoopGroup(options.workerThreads(),
                recording(new DefaultThreadFactory("purertc-signaling", true)), NioIoHandler.newFactory());
        WebSocketServerProtocolConfig wsConfig = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(options.websocketPath())
                .checkStartsWith(true) // the upgrade URL may carry ?token=...
                .handshakeTimeoutMillis(options.handshakeTimeout().toMillis())
                .handleCloseFrames(true)
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(options.maxFrameBytes())
                        .allowExtensions(false)
                        // SignalingFrameHandler sends the close frame and lets the peer finish the closing
                        // handshake: closing the socket at once resets it and browsers report 1006, not 1009.
                        .closeOnProtocolViolation(false)
                        .build())
                .build();
        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        java.net.InetAddress remote = ch.remoteAddress().getAddress();
                        String refusal = connectionLimiter.tryAcquire(remote);
                        if (refusal != null) {
                            // Refused at accept, before reading anything: an over-limit client must not hold
                            // the socket for a handshake timeout. A best-effort 503 says why.
                            LOG.debug("refused connection from {}: {}", ch.remoteAddress(), refusal);
                            ch.writeAndFlush(io.netty.buffer.Unpooled.copiedBuffer(
                                    "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
                                    java.nio.charset.StandardCharsets.US_ASCII))
                                    .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                            return;
                        }
                        ch.closeFuture().addListener(f -> connectionLimiter.release(remote));
                        if (options.socketSendBufferBytes() > 0) {
                            ch.config().setSendBufferSize(options.socketSendBufferBytes());
                        }
                        ChannelPipeline p = ch.pipeline();
                        p.addLast(new HandshakeTimeoutHandler(options.handshakeTimeout().toMillis()));
                        if (options.tls() != null) {
                            p.addLast(options.tls().newHandler(ch.alloc()));
                        }
                        p.addLast(new HttpServerCodec(4096, 8192, 8192));
                        p.addLast(new HttpObjectAggregator(8192));
                        p.addLast(new HttpAdmissionHandler(options, originPolicy, resources, metrics,
                                SignalingServer.this::unhealthyReason));
                        p.addLast(ClientCloseMarker.INSTANCE);
                        p.addLast(new WebSocketServerProtocolHandler(wsConfig));
                        p.addLast(new WebSocketFrameAggregator(options.maxFrameBytes()));
                        p.addLast(new SignalingFrameHandler(SignalingServer.this));
                    }
                });
        try {
            serverChannel = b.bind(options.bindAddress(), options.port()).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            shutdownGroups();
            if (cluster != null) {
                cluster.close();
            }
            throw e;
        }
        if (!options.userIdReservation().isZero()) {
            long period = Math.max(1000, options.userIdReservation().toMillis() / 4);
            bossGroup.next().scheduleAtFixedRate(router::purgeExpired, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /** Only a configured cluster reaches this: the Redis client classes load here, not before. */
    private static ClusterBus redisBus(ClusterOptions o) {
        return new RedisClusterBus(o);
    }

    /** Why {@code /healthz} is not ok (a cluster node that lost its Redis), or null. */
    String unhealthyReason() {
        return cluster == null ? null : cluster.unhealthyReason();
    }

    /** This node's id in its cluster, or null for a single server. */
    public String clusterNodeId() {
        return cluster == null ? null : cluster.nodeId();
    }

    /** Refuses a non-loopback bind without authentication, before anything is bound. */
    private static void checkExposure(SignalingServerOptions options) {
        if (options.bindAddress().isLoopbackAddress() || options.tokenValidator() != null) {
            return;
        }
        if (!options.allowUnauthenticatedNonLoopback()) {
            throw new UnauthenticatedBindException(options.bindAddress());
        }
        LOG.warn("signaling server listens on {} WITHOUT authentication (allowUnauthenticatedNonLoopback): anyone "
                + "who reaches it can register any free user id", options.bindAddress().getHostAddress());
    }

    /**
     * Binds and starts a server.
     *
     * @throws InterruptedException if interrupted while binding
     * @throws UnauthenticatedBindException if the address is not loopback and neither a token validator
     *         nor {@code allowUnauthenticatedNonLoopback} is configured (nothing was bound)
     * @throws ClusterUnavailableException if {@link SignalingServerOptions#cluster()} is set and its Redis
     *         cannot be reached, or another live node has the same node id (nothing was bound)
     * @throws io.netty.channel.ChannelException (or another unchecked exception) if the port cannot be bound
     */
    public static SignalingServer start(SignalingServerOptions options) throws InterruptedException {
        return new SignalingServer(options);
    }

    /** The address actually bound (with the ephemeral port resolved). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** {@code ws://host:port/ws} for clients ({@code wss://} with TLS). */
    public URI websocketUri() {
        return uri(options.tls() == null ? "ws" : "wss", options.websocketPath());
    }

    /** {@code http://host:port<path>} ({@code https://} with TLS), e.g. {@code httpUri(CLIENT_MODULE_PATH)}. */
    public URI httpUri(String path) {
        return uri(options.tls() == null ? "http" : "https", path);
    }

    /** The server's figures ({@code GET /metrics}); add meters of your own to its registry. */
    public SignalingMetrics metrics() {
        return metrics;
    }

    private URI uri(String scheme, String path) {
        InetSocketAddress a = localAddress();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create(scheme + "://" + host + ":" + a.getPort() + path);
    }

    /** User ids registered on this server (a snapshot; in a cluster, this node's users only). */
    public Set<String> users() {
        return router.users();
    }

    /** Open WebSocket connections (upgrades completed and not closed). */
    public int connectionCount() {
        return connections.size();
    }

    /**
     * TCP connections the server holds now, WebSocket or not (upgrades in progress, HTTP requests): what
     * {@link SignalingServerOptions#maxConnections()} caps.
     */
    public int socketCount() {
        return connectionLimiter.total();
    }

    /** User ids freed and still reserved for their last holder (diagnostics). */
    public int reservedUserIds() {
        return router.registry().reservedCount();
    }

    /** The connection id a user is registered on here, or null (in a cluster: null for other nodes' users). */
    public String connectionOf(String user) {
        SignalingConnection c = router.connectionOf(user);
        return c == null ? null : c.id;
    }

    /**
     * Diagnostics: messages written to a connection and not yet handed to its socket, or -1 for an
     * unknown connection id. Relayed messages stop at {@link SignalingServerOptions#maxQueuedMessages()};
     * replies to the connection's own messages may pass it by what one read held (its reads stop first).
     */
    public int queuedMessages(String connectionId) {
        SignalingConnection c = connections.get(connectionId);
        return c == null ? -1 : c.queuedMessages();
    }

    /**
     * Diagnostics: bytes of the messages counted by {@link #queuedMessages}, or -1 for an unknown
     * connection id.
     */
    public long queuedBytes(String connectionId) {
        SignalingConnection c = connections.get(connectionId);
        return c == null ? -1 : c.queuedBytes();
    }

    SignalingConnection open(Channel channel, HttpAdmissionHandler.Admission admission) {
        HttpAdmissionHandler.Admission a = admission == null ? HttpAdmissionHandler.Admission.OPEN : admission;
        // In a cluster, connection ids name their node too (graphscript pages see them as socket ids).
        String id = "socket" + connectionSequence.incrementAndGet() + (cluster == null ? "" : "@" + cluster.nodeId());
        SignalingConnection c = new SignalingConnection(id, channel,
                options.maxQueuedMessages(), options.maxQueuedBytes(), a.grant(), a.tokenFingerprint(),
                new UnknownUserRateLimiter(options.unknownUserBurst(), options.unknownUserRefill().toNanos()));
        connections.put(c.id, c);
        return c;
    }

    void closed(SignalingConnection c) {
        connections.remove(c.id);
        router.onClose(c);
        c.drained(); // whoever waited for this connection to drain resumes
    }

    SignalingServerOptions options() {
        return options;
    }

    UserRouter router() {
        return router;
    }

    /** Closes every connection and the listening socket and stops the event loop threads (waits for them). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        serverChannel.close().syncUninterruptibly();
        for (SignalingConnection c : connections.values()) {
            c.channel.close();
        }
        shutdownGroups();
        if (cluster != null) {
            cluster.close(); // after every connection's close released its ids
        }
    }

    private void shutdownGroups() {
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        bossGroup.terminationFuture().syncUninterruptibly();
        workerGroup.terminationFuture().syncUninterruptibly();
        // The termination future completes just before each thread returns: wait for the threads too.
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private ThreadFactory recording(ThreadFactory delegate) {
        return r -> {
            Thread t = delegate.newThread(r);
            threads.add(t);
            return t;
        };
    }

    /** Bytes and content type of one HTTP resource. */
    record StaticResource(byte[] body, String contentType) {
    }

    private static Map<String, StaticResource> loadResources(SignalingServerOptions options) {
        Map<String, StaticResource> out = new HashMap<>();
        out.put(CLIENT_MODULE_PATH, load(CLIENT_MODULE_RESOURCE));
        options.staticResources().forEach((path, resource) -> out.put(path, load(resource)));
        return Map.copyOf(out);
    }

    private static StaticResource load(String resource) {
        String name = resource.startsWith("/") ? resource : "/" + resource;
        try (InputStream in = SignalingServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("class path resource " + name + " not found");
            }
            return new StaticResource(in.readAllBytes(), contentType(name));
        } catch (IOException e) {
            throw new IllegalStateException("class path resource " + name + " unreadable", e);
        }
    }

    private static String contentType(String name) {
        if (name.endsWith(".js") || name.endsWith(".mjs")) {
            return "text/javascript; charset=utf-8"; // module scripts need a JavaScript MIME type
        } else if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        } else if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        } else if (name.endsWith(".json")) {
            return "application/json";
        }
        return "application/octet-stream";
    }
}
