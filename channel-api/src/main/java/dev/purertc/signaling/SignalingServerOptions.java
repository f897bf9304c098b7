package dev.purertc.signaling;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Configuration of a {@link SignalingServer}. Immutable; build with {@link #builder()}. The defaults
 * bind 127.0.0.1 on an ephemeral port and accept every origin and no token check.
 *
 * @param bindAddress address to listen on (default 127.0.0.1)
 * @param port TCP port, 0 for an ephemeral one (default 0)
 * @param websocketPath path of the WebSocket endpoint (default {@code /ws})
 * @param maxFrameBytes largest accepted message (a frame, or all fragments of one message); a larger one
 *        closes the connection with status 1009 (default 65536)
 * @param maxQueuedMessages messages written to one connection and not yet handed to its socket; past
 *        this a relayed message to it is refused with {@code peer-congested}, and a connection that
 *        floods its own replies past it is closed with 1008 (default 256)
 * @param maxPendingRequests graphscript {@code run} requests one connection may have waiting on other
 *        users at once (default 64)
 * @param relayTimeout how long a relayed graphscript request waits for the target's answer (default 30 s)
 * @param allowedOrigins browser origins allowed to connect; empty allows all. A request without an
 *        {@code Origin} header (not a browser) is allowed either way.
 * @param tokenValidator optional upgrade check, see {@link TokenValidator}; {@code null} for none
 * @param workerThreads Netty event loop threads serving connections (default 1)
 * @param socketSendBufferBytes SO_SNDBUF of accepted sockets, 0 for the OS default (autotuned)
 * @param staticResources extra HTTP paths served from the class path (path to resource name), e.g. a
 *        demo page; {@code /purertc-signaling.js} is always served
 */
public record SignalingServerOptions(
        InetAddress bindAddress,
        int port,
        String websocketPath,
        int maxFrameBytes,
        int maxQueuedMessages,
        int maxPendingRequests,
        Duration relayTimeout,
        Set<String> allowedOrigins,
        TokenValidator tokenValidator,
        int workerThreads,
        int socketSendBufferBytes,
        Map<String, String> staticResources) {

    public SignalingServerOptions {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(websocketPath, "websocketPath");
        Objects.requireNonNull(relayTimeout, "relayTimeout");
        allowedOrigins = Set.copyOf(allowedOrigins);
        staticResources = Map.copyOf(staticResources);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
        if (!websocketPath.startsWith("/")) {
            throw new IllegalArgumentException("websocketPath must start with '/': " + websocketPath);
        }
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("maxFrameBytes below 1024: " + maxFrameBytes);
        }
        if (maxQueuedMessages < 1 || maxPendingRequests < 1 || workerThreads < 1 || socketSendBufferBytes < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (relayTimeout.isNegative() || relayTimeout.isZero()) {
            throw new IllegalArgumentException("relayTimeout must be positive");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static SignalingServerOptions defaults() {
        return builder().build();
    }

    /** Builder with working defaults. */
    public static final class Builder {
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port;
        private String websocketPath = "/ws";
        private int maxFrameBytes = 65536;
        private int maxQueuedMessages = 256;
        private int maxPendingRequests = 64;
        private Duration relayTimeout = Duration.ofSeconds(30);
        private Set<String> allowedOrigins = Set.of();
        private TokenValidator tokenValidator;
        private int workerThreads = 1;
        private int socketSendBufferBytes;
        private Map<String, String> staticResources = Map.of();

        private Builder() {
        }

        public Builder bindAddress(InetAddress v) { bindAddress = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder websocketPath(String v) { websocketPath = v; return this; }
        public Builder maxFrameBytes(int v) { maxFrameBytes = v; return this; }
        public Builder maxQueuedMessages(int v) { maxQueuedMessages = v; return this; }
        public Builder maxPendingRequests(int v) { maxPendingRequests = v; return this; }
        public Builder relayTimeout(Duration v) { relayTimeout = v; return this; }
        public Builder allowedOrigins(Set<String> v) { allowedOrigins = v; return this; }
        public Builder tokenValidator(TokenValidator v) { tokenValidator = v; return this; }
        public Builder workerThreads(int v) { workerThreads = v; return this; }
        public Builder socketSendBufferBytes(int v) { socketSendBufferBytes = v; return this; }
        public Builder staticResources(Map<String, String> v) { staticResources = v; return this; }

        public SignalingServerOptions build() {
            return new SignalingServerOptions(bindAddress, port, websocketPath, maxFrameBytes, maxQueuedMessages,
                    maxPendingRequests, relayTimeout, allowedOrigins, tokenValidator, workerThreads,
                    socketSendBufferBytes, staticResources);
        }
    }
}
