package dev.purertc.dtls;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Configuration of {@link DtlsTransport}s: one typed object whose defaults interoperate with
 * browsers. Immutable; build with {@link #builder()}.
 */
public final class DtlsOptions {

    /** Datagram budget of the WebRTC path (dcSCTP and browsers size packets for about 1200 bytes). */
    public static final int DEFAULT_MAX_DATAGRAM_SIZE = 1200;
    /** Largest datagram accepted from the peer; bigger ones are dropped. */
    public static final int DEFAULT_MAX_RECEIVE_DATAGRAM_SIZE = 2048;
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    /** RFC 6347 §4.2.4.1: initial retransmission timer of one second. */
    public static final Duration DEFAULT_INITIAL_RETRANSMIT_TIMEOUT = Duration.ofSeconds(1);

    private static final DtlsOptions DEFAULTS = builder().build();

    private final CryptoBackend cryptoBackend;
    private final List<DtlsCipherSuite> cipherSuites;
    private final Duration handshakeTimeout;
    private final Duration initialRetransmitTimeout;
    private final int maxDatagramSize;
    private final int maxReceiveDatagramSize;
    private final Executor handshakeExecutor;

    private DtlsOptions(Builder b) {
        this.cryptoBackend = b.cryptoBackend;
        this.cipherSuites = List.copyOf(b.cipherSuites);
        this.handshakeTimeout = b.handshakeTimeout;
        this.initialRetransmitTimeout = b.initialRetransmitTimeout;
        this.maxDatagramSize = b.maxDatagramSize;
        this.maxReceiveDatagramSize = b.maxReceiveDatagramSize;
        this.handshakeExecutor = b.handshakeExecutor;
    }

    /** JCA back end, all three cipher suites (AES-128-GCM preferred), 30 s handshake timeout, 1200-byte datagrams. */
    public static DtlsOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.cryptoBackend = cryptoBackend;
        b.cipherSuites = cipherSuites;
        b.handshakeTimeout = handshakeTimeout;
        b.initialRetransmitTimeout = initialRetransmitTimeout;
        b.maxDatagramSize = maxDatagramSize;
        b.maxReceiveDatagramSize = maxReceiveDatagramSize;
        b.handshakeExecutor = handshakeExecutor;
        return b;
    }

    public CryptoBackend cryptoBackend() {
        return cryptoBackend;
    }

    /** Cipher suites in preference order. */
    public List<DtlsCipherSuite> cipherSuites() {
        return cipherSuites;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    public Duration initialRetransmitTimeout() {
        return initialRetransmitTimeout;
    }

    /** Largest datagram this side sends, DTLS record header and cipher overhead included. */
    public int maxDatagramSize() {
        return maxDatagramSize;
    }

    public int maxReceiveDatagramSize() {
        return maxReceiveDatagramSize;
    }

    /** Pool the blocking handshakes run on; empty means PureRTC's shared default pool. */
    public Optional<Executor> handshakeExecutor() {
        return Optional.ofNullable(handshakeExecutor);
    }

    /** Builder of {@link DtlsOptions}; not thread-safe. */
    public static final class Builder {
        private CryptoBackend cryptoBackend = CryptoBackend.JCA;
        private List<DtlsCipherSuite> cipherSuites = List.of(DtlsCipherSuite.values());
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private Duration initialRetransmitTimeout = DEFAULT_INITIAL_RETRANSMIT_TIMEOUT;
        private int maxDatagramSize = DEFAULT_MAX_DATAGRAM_SIZE;
        private int maxReceiveDatagramSize = DEFAULT_MAX_RECEIVE_DATAGRAM_SIZE;
        private Executor handshakeExecutor;

        private Builder() {
        }

        public Builder cryptoBackend(CryptoBackend backend) {
            this.cryptoBackend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /** Cipher suites in preference order; at least one. */
        public Builder cipherSuites(List<DtlsCipherSuite> suites) {
            if (suites.isEmpty()) {
                throw new IllegalArgumentException("at least one cipher suite is needed");
            }
            this.cipherSuites = List.copyOf(suites);
            return this;
        }

        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive(timeout, "handshakeTimeout");
            return this;
        }

        public Builder initialRetransmitTimeout(Duration timeout) {
            this.initialRetransmitTimeout = positive(timeout, "initialRetransmitTimeout");
            return this;
        }

        /** Datagram budget; 256..65507 bytes. */
        public Builder maxDatagramSize(int bytes) {
            if (bytes < 256 || bytes > 65507) {
                throw new IllegalArgumentException("maxDatagramSize out of range: " + bytes);
            }
            this.maxDatagramSize = bytes;
            return this;
        }

        /** Largest datagram accepted; 256..65507 bytes. */
        public Builder maxReceiveDatagramSize(int bytes) {
            if (bytes < 256 || bytes > 65507) {
                throw new IllegalArgumentException("maxReceiveDatagramSize out of range: " + bytes);
            }
            this.maxReceiveDatagramSize = bytes;
            return this;
        }

        /** Pool for the blocking handshakes; null selects the shared default pool. */
        public Builder handshakeExecutor(Executor executor) {
            this.handshakeExecutor = executor;
            return this;
        }

        public DtlsOptions build() {
            return new DtlsOptions(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name + " must be positive and below 2^31 ms: " + d);
            }
            return d;
        }
    }
}
