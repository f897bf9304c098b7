package dev.purertc.signaling;

import java.nio.file.Path;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Configuration of a {@link SignalingServer}. Immutable; build with {@link #builder()}. The defaults are
 * safe for a server reachable from a network: 127.0.0.1 only, browsers only from the server's own origin,
 * and every limit set (the package documentation says why each default was chosen).
 *
 * @param bindAddress address to listen on (default 127.0.0.1). Any address that is not loopback needs a
 *        {@link #tokenValidator} or {@link #allowUnauthenticatedNonLoopback}, or {@link SignalingServer#start}
 *        throws {@link UnauthenticatedBindException}
 * @param port TCP port, 0 for an ephemeral one (default 0)
 * @param websocketPath path of the WebSocket endpoint (default {@code /ws})
 * @param maxFrameBytes largest accepted message (a frame, or all fragments of one message); a larger one
 *        closes the connection with status 1009 (default 65536)
 * @param maxQueuedMessages messages written to one connection and not yet handed to its socket. Past half
 *        of it the connections writing to it stop being read until it drains (back-pressure); at the bound a
 *        relayed message to it is refused with {@code peer-congested} (default 256)
 * @param maxQueuedBytes the same bound in bytes (the encoded frames), so that large messages cannot make
 *        256 queued messages cost 16 MiB; one message always fits an empty queue (default 512 KiB)
 * @param maxPendingRequests graphscript {@code run} requests one connection may have waiting on other
 *        users at once (default 64)
 * @param relayTimeout how long a relayed graphscript request waits for the target's answer (default 30 s)
 * @param allowedOrigins browser origins allowed besides the server's own (exact {@code scheme://host[:port]}
 *        strings; {@code "*"} allows every origin). Default empty: same-origin only. A request without an
 *        {@code Origin} header (not a browser) is allowed either way
 * @param tokenValidator optional upgrade check that also says which user ids the connection may register,
 *        see {@link TokenValidator}; {@code null} for none
 * @param allowUnauthenticatedNonLoopback the operator's explicit opt-out: listen on a non-loopback address
 *        without a token validator (logged as a warning at start; default false)
 * @param userIdReservation how long a freed user id stays reserved for the client that held it (same
 *        token, or the {@code secret} from its {@code registered} reply); zero disables (default 60 s)
 * @param unknownUserBurst lookups of user ids that are not registered (messages to them, refused
 *        registrations) one connection may make at once before it is rate-limited (default 10)
 * @param unknownUserRefill time to earn back one such lookup (default 1 s)
 * @param handshakeTimeout a TCP connection must complete its WebSocket upgrade (or its HTTP request)
 *        within this time or it is closed (default 10 s)
 * @param idleTimeout a WebSocket connection from which nothing arrives for this long (not even the pong
 *        to the server's pings) is closed (default 60 s)
 * @param pingInterval the server sends a ping when nothing arrived for this long (default 20 s; below
 *        {@code idleTimeout})
 * @param maxConnections TCP connections held at once, in all (default 1000)
 * @param maxConnectionsPerAddress TCP connections held at once from one remote IPv4 address or IPv6 /64
 *        (default 32)
 * @param maxUsersPerConnection user ids one connection may register (default 1)
 * @param congestionStallTimeout how long a sender stays paused for a congested target that takes nothing
 *        from its queue; afterwards the target counts as stalled and messages to it are refused once its
 *        queue is full (default 2 s)
 * @param workerThreads Netty event loop threads serving connections (default 1)
 * @param socketSendBufferBytes SO_SNDBUF of accepted sockets, 0 for the OS default (autotuned)
 * @param staticResources extra HTTP paths served from the class path (path to resource name), e.g. a
 *        demo page; {@code /purertc-signaling.js} is always served
 * @param tls when not null, every connection speaks TLS ({@code https://}, {@code wss://}) with this
 *        server context; {@link Builder#tls(Path, Path)} builds one from PEM files (default null: plain)
 * @param publicMetrics whether {@code GET /metrics} answers clients that are not on the server's own
 *        machine (default false: only loopback clients read the figures; {@code /healthz} answers anyone)
 * @param cluster when not null, the server is one node of a cluster sharing users, presence and relay
 *        through Redis ({@link ClusterOptions}); default null: a single node holding its users in memory,
 *        with no Redis and no Redis client class loaded
 */
public record SignalingServerOptions(
        InetAddress bindAddress,
        int port,
        String websocketPath,
        int maxFrameBytes,
        int maxQueuedMessages,
        long maxQueuedBytes,
        int maxPendingRequests,
        Duration relayTimeout,
        Set<String> allowedOrigins,
        TokenValidator tokenValidator,
        boolean allowUnauthenticatedNonLoopback,
        Duration userIdReservation,
        int unknownUserBurst,
        Duration unknownUserRefill,
        Duration handshakeTimeout,
        Duration idleTimeout,
        Duration pingInterval,
        int maxConnections,
        int maxConnectionsPerAddress,
        int maxUsersPerConnection,
        Duration congestionStallTimeout,
        int workerThreads,
        int socketSendBufferBytes,
        Map<String, String> staticResources,
        SslContext tls,
        boolean publicMetrics,
        ClusterOptions cluster) {

    public SignalingServerOptions {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(websocketPath, "websocketPath");
        Objects.requireNonNull(relayTimeout, "relayTimeout");
        Objects.requireNonNull(userIdReservation, "userIdReservation");
        Objects.requireNonNull(unknownUserRefill, "unknownUserRefill");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(congestionStallTimeout, "congestionStallTimeout");
        allowedOrigins = Set.copyOf(allowedOrigins);
        staticResources = Map.copyOf(staticResources);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
        if (!websocketPath.startsWith("/")) {
            throw new IllegalArgumentException("websocketPath must start with '/': " + websocketPath);
        }
        if (maxQueuedBytes < 4096) {
            throw new IllegalArgumentException("maxQueuedBytes below 4096: " + maxQueuedBytes);
        }
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("maxFrameBytes below 1024: " + maxFrameBytes);
        }
        if (maxQueuedMessages < 4 || maxPendingRequests < 1 || workerThreads < 1 || socketSendBufferBytes < 0
                || unknownUserBurst < 1 || maxConnections < 1 || maxConnectionsPerAddress < 1
                || maxUsersPerConnection < 1) {
            throw new IllegalArgumentException("limits must be positive (maxQueuedMessages at least 4)");
        }
        for (Duration d : new Duration[] {relayTimeout, unknownUserRefill, handshakeTimeout, idleTimeout,
                pingInterval, congestionStallTimeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts and intervals must be positive: " + d);
            }
        }
        if (userIdReservation.isNegative()) {
            throw new IllegalArgumentException("userIdReservation must not be negative");
        }
        if (pingInterval.compareTo(idleTimeout) >= 0) {
            throw new IllegalArgumentException("pingInterval " + pingInterval + " must be below idleTimeout "
                    + idleTimeout + " (a live peer's pong must arrive in time)");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static SignalingServerOptions defaults() {
        return builder().build();
    }

    /** Builder with safe defaults (see the record's parameters). */
    public static final class Builder {
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port;
        private String websocketPath = "/ws";
        private int maxFrameBytes = 65536;
        private int maxQueuedMessages = 256;
        private long maxQueuedBytes = 512 * 1024;
        private int maxPendingRequests = 64;
        private Duration relayTimeout = Duration.ofSeconds(30);
        private Set<String> allowedOrigins = Set.of();
        private TokenValidator tokenValidator;
        private boolean allowUnauthenticatedNonLoopback;
        private Duration userIdReservation = Duration.ofSeconds(60);
        private int unknownUserBurst = 10;
        private Duration unknownUserRefill = Duration.ofSeconds(1);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration pingInterval = Duration.ofSeconds(20);
        private int maxConnections = 1000;
        private int maxConnectionsPerAddress = 32;
        private int maxUsersPerConnection = 1;
        private Duration congestionStallTimeout = Duration.ofSeconds(2);
        private int workerThreads = 1;
        private int socketSendBufferBytes;
        private Map<String, String> staticResources = Map.of();
        private SslContext tls;
        private boolean publicMetrics;
        private ClusterOptions cluster;

        private Builder() {
        }

        public Builder bindAddress(InetAddress v) { bindAddress = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder websocketPath(String v) { websocketPath = v; return this; }
        public Builder maxFrameBytes(int v) { maxFrameBytes = v; return this; }
        public Builder maxQueuedMessages(int v) { maxQueuedMessages = v; return this; }
        public Builder maxQueuedBytes(long v) { maxQueuedBytes = v; return this; }
        public Builder maxPendingRequests(int v) { maxPendingRequests = v; return this; }
        public Builder relayTimeout(Duration v) { relayTimeout = v; return this; }
        public Builder allowedOrigins(Set<String> v) { allowedOrigins = v; return this; }
        public Builder tokenValidator(TokenValidator v) { tokenValidator = v; return this; }
        public Builder allowUnauthenticatedNonLoopback(boolean v) { allowUnauthenticatedNonLoopback = v; return this; }
        public Builder userIdReservation(Duration v) { userIdReservation = v; return this; }
        public Builder unknownUserBurst(int v) { unknownUserBurst = v; return this; }
        public Builder unknownUserRefill(Duration v) { unknownUserRefill = v; return this; }
        public Builder handshakeTimeout(Duration v) { handshakeTimeout = v; return this; }
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        public Builder pingInterval(Duration v) { pingInterval = v; return this; }
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        public Builder maxConnectionsPerAddress(int v) { maxConnectionsPerAddress = v; return this; }
        public Builder maxUsersPerConnection(int v) { maxUsersPerConnection = v; return this; }
        public Builder congestionStallTimeout(Duration v) { congestionStallTimeout = v; return this; }
        public Builder workerThreads(int v) { workerThreads = v; return this; }
        public Builder socketSendBufferBytes(int v) { socketSendBufferBytes = v; return this; }
        public Builder staticResources(Map<String, String> v) { staticResources = v; return this; }
        public Builder tls(SslContext v) { tls = v; return this; }
        public Builder publicMetrics(boolean v) { publicMetrics = v; return this; }
        public Builder cluster(ClusterOptions v) { cluster = v; return this; }

        /**
         * TLS from a PEM certificate chain and a PEM PKCS#8 private key (what {@code openssl req -x509
         * -newkey ... -nodes} or an ACME client writes), with the JDK's TLS implementation.
         *
         * @throws IllegalArgumentException if the files cannot be read or do not hold a certificate and key
         */
        public Builder tls(Path certificateChainPem, Path privateKeyPem) {
            try {
                tls = SslContextBuilder.forServer(certificateChainPem.toFile(), privateKeyPem.toFile())
                        .sslProvider(SslProvider.JDK).build();
            } catch (javax.net.ssl.SSLException | RuntimeException e) {
                throw new IllegalArgumentException("cannot use " + certificateChainPem + " and " + privateKeyPem
                        + " for TLS: " + e.getMessage(), e);
            }
            return this;
        }

        public SignalingServerOptions build() {
            return new SignalingServerOptions(bindAddress, port, websocketPath, maxFrameBytes, maxQueuedMessages,
                    maxQueuedBytes, maxPendingRequests, relayTimeout, allowedOrigins, tokenValidator, allowUnauthenticatedNonLoopback,
                    userIdReservation, unknownUserBurst, unknownUserRefill, handshakeTimeout, idleTimeout,
                    pingInterval, maxConnections, maxConnectionsPerAddress, maxUsersPerConnection,
                    congestionStallTimeout, workerThreads, socketSendBufferBytes, staticResources, tls, publicMetrics,
                    cluster);
        }
    }
}
