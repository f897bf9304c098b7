package dev.purertc.signaling;

import java.nio.file.Path;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import java.time.Duration;
import java.util.Objects;

import io.netty.channel.EventLoopGroup;

/**
 * Configuration of a {@link SignalingClient}. Build with {@link #builder(SignalingListener)}.
 *
 * @param listener receives messages and the close event (required)
 * @param eventLoopGroup a shared Netty group to run on (not closed by the client), or null for a
 *        private one-thread group the client shuts down on close
 * @param origin {@code Origin} header sent with the upgrade, or null for none
 * @param requestTimeout how long {@code register}/{@code send}/{@code run} wait for the server
 * @param maxFrameBytes largest message accepted from the server
 * @param receiveBufferBytes SO_RCVBUF of the socket, 0 for the OS default
 */
public record SignalingClientOptions(
        SignalingListener listener,
        EventLoopGroup eventLoopGroup,
        String origin,
        Duration requestTimeout,
        int maxFrameBytes,
        int receiveBufferBytes,
        SslContext tls) {

    public SignalingClientOptions {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (maxFrameBytes < 1024 || receiveBufferBytes < 0) {
            throw new IllegalArgumentException("maxFrameBytes >= 1024 and receiveBufferBytes >= 0");
        }
    }

    public static Builder builder(SignalingListener listener) {
        return new Builder(listener);
    }

    /** Builder with working defaults (own event loop, 30 s timeout, 1 MiB frames). */
    public static final class Builder {
        private final SignalingListener listener;
        private EventLoopGroup eventLoopGroup;
        private String origin;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int maxFrameBytes = 1 << 20;
        private int receiveBufferBytes;
        private SslContext tls;

        private Builder(SignalingListener listener) {
            this.listener = listener;
        }

        public Builder eventLoopGroup(EventLoopGroup v) { eventLoopGroup = v; return this; }
        public Builder origin(String v) { origin = v; return this; }
        public Builder requestTimeout(Duration v) { requestTimeout = v; return this; }
        public Builder maxFrameBytes(int v) { maxFrameBytes = v; return this; }
        public Builder receiveBufferBytes(int v) { receiveBufferBytes = v; return this; }
        /** The client TLS context for {@code wss://} (default: the JDK's trusted CAs, host name checked). */
        public Builder tls(SslContext v) { tls = v; return this; }

        /**
         * {@code wss://} trusting only the certificates in {@code pem} (a self-signed server's own
         * certificate, or a private CA), the host name still checked against the certificate.
         *
         * @throws IllegalArgumentException if the file holds no usable certificate
         */
        public Builder trustedCertificates(Path pem) {
            try {
                tls = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(pem.toFile())
                        .endpointIdentificationAlgorithm("HTTPS").build();
            } catch (javax.net.ssl.SSLException | RuntimeException e) {
                throw new IllegalArgumentException("cannot trust " + pem + ": " + e.getMessage(), e);
            }
            return this;
        }

        public SignalingClientOptions build() {
            return new SignalingClientOptions(listener, eventLoopGroup, origin, requestTimeout, maxFrameBytes,
                    receiveBufferBytes, tls);
        }
    }
}
