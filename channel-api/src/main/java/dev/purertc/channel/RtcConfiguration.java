package dev.purertc.channel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.purertc.dtls.CryptoBackend;
import dev.purertc.dtls.DtlsCertificate;
import dev.purertc.dtls.DtlsOptions;
import dev.purertc.ice.AnnouncedAddresses;
import dev.purertc.ice.HostAddressFilter;
import dev.purertc.ice.IceOptions;
import dev.purertc.ice.IceServer;
import dev.purertc.ice.IceTransportPolicy;
import dev.purertc.ice.TurnTlsTrust;
import dev.purertc.sctp.SctpOptions;

/**
 * Configuration of an {@link RTCPeerConnection}, shaped like the browser's {@code RTCConfiguration}
 * ({@code iceServers}, {@code iceTransportPolicy}, {@code certificates}, {@code iceCandidatePoolSize})
 * plus what a server needs: which local addresses become candidates, a port range, the DTLS crypto back
 * end, consent-freshness timers and the SCTP limits. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults work on a server: no STUN/TURN server, every non-loopback address, ephemeral ports (a socket
 * and port per connection; {@link Builder#udpMux(int)} puts a factory's connections on one port), the
 * JCA crypto back end, a fresh ECDSA P-256 certificate per connection, max-message-size 262144 and
 * dcSCTP's SCTP defaults. Tests use {@link HostAddressFilter#ipv4LoopbackOnly()}.
 *
 * <p>Failure is reported within these default times (each configurable, as pion's are): a peer that
 * vanishes is {@code disconnected} within 5 s and {@code failed} within 30 s of its last consent
 * response (RFC 7675; consent is checked every 2 s), and ICE checks that find no working pair fail
 * within 30 s of starting ({@link #iceConnectTimeout()}). A failed connection closes its channels with
 * an error event and releases its sockets at once.
 */
public final class RtcConfiguration {

    /** {@link #iceTcpPort()} when connections have no ICE-TCP candidates (the default). */
    public static final int ICE_TCP_OFF = -1;

    /** {@link #udpMuxPort()} when connections have sockets of their own (the default). */
    public static final int UDP_MUX_OFF = -1;

    private final List<IceServer> iceServers;
    private final IceTransportPolicy iceTransportPolicy;
    private final List<DtlsCertificate> certificates;
    private final int iceCandidatePoolSize;
    private final HostAddressFilter hostAddresses;
    private final int portMin;
    private final int portMax;
    private final int socketBufferBytes;
    private final int udpMuxPort;
    private final boolean sharedSocketReader;
    private final int iceTcpPort;
    private final AnnouncedAddresses announcedAddresses;
    private final TurnTlsTrust turnTlsTrust;
    private final Duration icePacing;
    private final Duration consentInterval;
    private final Duration disconnectedTimeout;
    private final Duration consentTimeout;
    private final Duration iceConnectTimeout;
    private final CryptoBackend cryptoBackend;
    private final Duration dtlsHandshakeTimeout;
    private final long maxMessageSize;
    private final int sctpPort;
    private final SctpOptions sctpOptions;

    private RtcConfiguration(Builder b) {
        this.iceServers = List.copyOf(b.iceServers);
        this.iceTransportPolicy = b.iceTransportPolicy;
        this.certificates = List.copyOf(b.certificates);
        this.iceCandidatePoolSize = b.iceCandidatePoolSize;
        this.hostAddresses = b.hostAddresses;
        this.portMin = b.portMin;
        this.portMax = b.portMax;
        this.socketBufferBytes = b.socketBufferBytes;
        this.udpMuxPort = b.udpMuxPort;
        this.sharedSocketReader = b.sharedSocketReader;
        this.iceTcpPort = b.iceTcpPort;
        this.announcedAddresses = b.announcedAddresses;
        this.turnTlsTrust = b.turnTlsTrust;
        this.icePacing = b.icePacing;
        this.consentInterval = b.consentInterval;
        this.disconnectedTimeout = b.disconnectedTimeout;
        this.consentTimeout = b.consentTimeout;
        this.iceConnectTimeout = b.iceConnectTimeout;
        this.cryptoBackend = b.cryptoBackend;
        this.dtlsHandshakeTimeout = b.dtlsHandshakeTimeout;
        this.maxMessageSize = b.maxMessageSize;
        this.sctpPort = b.sctpPort;
        this.sctpOptions = b.sctpOptions;
        if (udpMuxPort != UDP_MUX_OFF && !iceServers.isEmpty()) {
            throw new UnsupportedOperationException("udpMux with STUN/TURN servers is not wired yet: "
                    + "server-reflexive and relayed candidates need sockets of their own");
        }
        // Validate the ICE part now, so a bad configuration fails here rather than in createOffer.
        iceOptions(null, null, null);
    }

    /** The defaults described in the class comment. */
    public static RtcConfiguration defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.iceServers.addAll(iceServers);
        b.iceTransportPolicy = iceTransportPolicy;
        b.certificates.addAll(certificates);
        b.iceCandidatePoolSize = iceCandidatePoolSize;
        b.hostAddresses = hostAddresses;
        b.portMin = portMin;
        b.portMax = portMax;
        b.socketBufferBytes = socketBufferBytes;
        b.udpMuxPort = udpMuxPort;
        b.sharedSocketReader = sharedSocketReader;
        b.iceTcpPort = iceTcpPort;
        b.announcedAddresses = announcedAddresses;
        b.turnTlsTrust = turnTlsTrust;
        b.icePacing = icePacing;
        b.consentInterval = consentInterval;
        b.disconnectedTimeout = disconnectedTimeout;
        b.consentTimeout = consentTimeout;
        b.iceConnectTimeout = iceConnectTimeout;
        b.cryptoBackend = cryptoBackend;
        b.dtlsHandshakeTimeout = dtlsHandshakeTimeout;
        b.maxMessageSize = maxMessageSize;
        b.sctpPort = sctpPort;
        b.sctpOptions = sctpOptions;
        return b;
    }

    public List<IceServer> iceServers() {
        return iceServers;
    }

    public IceTransportPolicy iceTransportPolicy() {
        return iceTransportPolicy;
    }

    /** Certificates to use; empty means a fresh one is generated per connection. Only the first is used. */
    public List<DtlsCertificate> certificates() {
        return certificates;
    }

    /**
     * {@code iceCandidatePoolSize}: when above 0, gathering starts when the connection is created instead
     * of at {@code setLocalDescription}; the candidates are signalled after {@code setLocalDescription}.
     * PureRTC gathers one set of candidates per agent, so 1 and more mean the same.
     */
    public int iceCandidatePoolSize() {
        return iceCandidatePoolSize;
    }

    public HostAddressFilter hostAddresses() {
        return hostAddresses;
    }

    public int portMin() {
        return portMin;
    }

    public int portMax() {
        return portMax;
    }

    /** SO_RCVBUF/SO_SNDBUF asked for on each candidate socket; 0 leaves the kernel default. */
    public int socketBufferBytes() {
        return socketBufferBytes;
    }

    /**
     * The UDP port every connection of the factory shares ({@link Builder#udpMux(int)}), 0 for one the
     * system picks, or {@link #UDP_MUX_OFF} (the default) for a socket and port per connection.
     */
    public int udpMuxPort() {
        return udpMuxPort;
    }

    /**
     * The TCP port of the factory's passive ICE-TCP candidates ({@link Builder#iceTcp(int)}), 0 for one the
     * system picks, or {@link #ICE_TCP_OFF} (the default) for UDP only.
     */
    public int iceTcpPort() {
        return iceTcpPort;
    }

    /** Public addresses announced for host candidates behind a 1:1 NAT ({@link Builder#announcedAddresses}). */
    public AnnouncedAddresses announcedAddresses() {
        return announcedAddresses;
    }

    /** The certificates a {@code turns:} server must chain to ({@link Builder#turnTlsTrust(Path)}). */
    public TurnTlsTrust turnTlsTrust() {
        return turnTlsTrust;
    }

    /** Ta, the pacing of ICE connectivity checks (RFC 8445 §14.2, at least 5 ms). */
    public Duration icePacing() {
        return icePacing;
    }

    public Duration consentInterval() {
        return consentInterval;
    }

    public Duration disconnectedTimeout() {
        return disconnectedTimeout;
    }

    public Duration consentTimeout() {
        return consentTimeout;
    }

    /**
     * ICE checks that have found no working candidate pair this long after they started fail the
     * connection (default 30 s): the server side of a browser behind a firewall that drops UDP, or of a
     * peer whose candidates never arrive, releases its sockets instead of checking forever.
     */
    public Duration iceConnectTimeout() {
        return iceConnectTimeout;
    }

    public CryptoBackend cryptoBackend() {
        return cryptoBackend;
    }

    public Duration dtlsHandshakeTimeout() {
        return dtlsHandshakeTimeout;
    }

    /** The local {@code a=max-message-size} (0 = no limit); the send limit is min(local, remote). */
    public long maxMessageSize() {
        return maxMessageSize;
    }

    /** The local {@code a=sctp-port}. */
    public int sctpPort() {
        return sctpPort;
    }

    /**
     * SCTP tunables (receive window, send buffer, RTO, ...). Ports, MTU and the association's own
     * max-message-size are set by the peer connection from the negotiation and the DTLS record budget.
     * {@link SctpOptions#sendBufferSize()} is also the most each channel may have buffered: a send that
     * would take the channel's {@code bufferedAmount} past it throws {@code SendBufferFullException}
     * (browsers bound each channel's buffer in the same way); a message larger than the whole buffer
     * is accepted when the channel has nothing buffered.
     */
    public SctpOptions sctpOptions() {
        return sctpOptions;
    }

    /**
     * Whether per-connection sockets are read by the factory's one shared reader thread
     * ({@link Builder#sharedSocketReader(boolean)}).
     */
    public boolean sharedSocketReader() {
        return sharedSocketReader;
    }

    /**
     * @param udpMux       the factory's mux for {@link #udpMuxPort()}, or null for per-connection sockets
     * @param iceTcp       the factory's listener for {@link #iceTcpPort()}, or null for UDP only
     * @param sharedReader the factory's reader for {@link #sharedSocketReader()}, or null for ice4j's readers
     */
    IceOptions iceOptions(dev.purertc.ice.mux.UdpMux udpMux, dev.purertc.ice.tcp.IceTcpListener iceTcp,
                          dev.purertc.ice.mux.SharedUdpReader sharedReader) {
        return IceOptions.builder()
                .udpMux(udpMux)
                .sharedUdpReader(sharedReader)
                .iceTcp(iceTcp)
                .announcedAddresses(announcedAddresses)
                .turnTlsTrust(turnTlsTrust)
                .iceServers(iceServers)
                .transportPolicy(iceTransportPolicy)
                .portRange(portMin, portMax)
                .hostAddresses(hostAddresses)
                .consentInterval(consentInterval)
                .disconnectedTimeout(disconnectedTimeout)
                .consentTimeout(consentTimeout)
                .pacing(icePacing)
                .socketBufferBytes(socketBufferBytes)
                .connectTimeout(iceConnectTimeout)
                .build();
    }

    DtlsOptions dtlsOptions(java.util.concurrent.Executor handshakePool) {
        return DtlsOptions.builder()
                .cryptoBackend(cryptoBackend)
                .handshakeTimeout(dtlsHandshakeTimeout)
                .handshakeExecutor(handshakePool)
                .build();
    }

    /** Builder of {@link RtcConfiguration}; not thread-safe. */
    public static final class Builder {
        private final List<IceServer> iceServers = new ArrayList<>();
        private IceTransportPolicy iceTransportPolicy = IceTransportPolicy.ALL;
        private final List<DtlsCertificate> certificates = new ArrayList<>();
        private int iceCandidatePoolSize;
        private HostAddressFilter hostAddresses = HostAddressFilter.DEFAULT;
        private int portMin;
        private int portMax;
        private int socketBufferBytes = IceOptions.DEFAULT_SOCKET_BUFFER_BYTES;
        private int udpMuxPort = UDP_MUX_OFF;
        private boolean sharedSocketReader;
        private int iceTcpPort = ICE_TCP_OFF;
        private AnnouncedAddresses announcedAddresses = AnnouncedAddresses.NONE;
        private TurnTlsTrust turnTlsTrust = TurnTlsTrust.JDK_DEFAULT;
        private Duration icePacing = Duration.ofMillis(20);
        private Duration consentInterval = Duration.ofSeconds(2);
        private Duration disconnectedTimeout = Duration.ofSeconds(5);
        private Duration consentTimeout = Duration.ofSeconds(30);
        private Duration iceConnectTimeout = IceOptions.DEFAULT_CONNECT_TIMEOUT;
        private CryptoBackend cryptoBackend = CryptoBackend.JCA;
        private Duration dtlsHandshakeTimeout = DtlsOptions.DEFAULT_HANDSHAKE_TIMEOUT;
        private long maxMessageSize = 262144;
        private int sctpPort = 5000;
        private SctpOptions sctpOptions = SctpOptions.defaults();

        private Builder() {
        }

        public Builder iceServer(IceServer server) {
            iceServers.add(Objects.requireNonNull(server, "server"));
            return this;
        }

        public Builder iceServers(List<IceServer> servers) {
            iceServers.clear();
            iceServers.addAll(servers);
            return this;
        }

        public Builder iceTransportPolicy(IceTransportPolicy policy) {
            this.iceTransportPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public Builder certificate(DtlsCertificate certificate) {
            certificates.add(Objects.requireNonNull(certificate, "certificate"));
            return this;
        }

        public Builder iceCandidatePoolSize(int size) {
            if (size < 0 || size > 255) {
                throw new IllegalArgumentException("iceCandidatePoolSize must be 0..255, got " + size);
            }
            this.iceCandidatePoolSize = size;
            return this;
        }

        /** Which local addresses become host candidates (interface/address filters, loopback). */
        public Builder hostAddresses(HostAddressFilter filter) {
            this.hostAddresses = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /** Local UDP port range; 0, 0 for ephemeral ports. */
        public Builder portRange(int min, int max) {
            this.portMin = min;
            this.portMax = max;
            return this;
        }

        /**
         * Socket buffer size for the candidate sockets (default {@link IceOptions#DEFAULT_SOCKET_BUFFER_BYTES});
         * small kernel defaults drop datagrams in bursts at high rates. 0 keeps the kernel default.
         */
        public Builder socketBufferBytes(int bytes) {
            this.socketBufferBytes = bytes;
            return this;
        }

        /**
         * One UDP port for every connection of the {@link PeerConnectionFactory} with this setting: the
         * factory opens a {@link dev.purertc.ice.mux.UdpMux} on {@code port} (0: one the system picks) on
         * the {@link #hostAddresses} addresses at the first connection that needs it, shares it between all
         * its connections with the same port, host addresses and {@link #socketBufferBytes}, and closes it
         * with itself. Inbound datagrams are routed by the STUN USERNAME's local ufrag, then by remote
         * address (RFC 8445 §7.2.2), on a fixed number of threads (one reader per local address and one
         * STUN thread) whatever the number of connections. {@link #portRange} does not apply.
         * Not yet combinable with STUN/TURN servers (throws {@link UnsupportedOperationException} at build).
         * Default: off ({@link RtcConfiguration#UDP_MUX_OFF}), a socket and port per connection.
         */
        public Builder udpMux(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("udpMux port must be 0..65535, got " + port);
            }
            this.udpMuxPort = port;
            return this;
        }

        /**
         * Public addresses to announce for local host addresses behind a 1:1 NAT (a cloud VM's public IP
         * DNAT'ed to its private one), as pion's {@code NAT1To1IPs}: each entry is {@code PUBLIC} (for every
         * local address of its family) or {@code PUBLIC/LOCAL}, IP literals only. {@link AnnouncedAddresses.Mode#REPLACE}
         * announces the public address instead of the local one, {@link AnnouncedAddresses.Mode#ADD} beside it.
         * Works with per-connection sockets and {@link #udpMux(int)} (and the ICE-TCP port): checks still arrive
         * at the real sockets. Default: none.
         *
         * @throws dev.purertc.ice.AnnouncedAddressException naming an entry that cannot be used
         */
        public Builder announcedAddresses(AnnouncedAddresses.Mode mode, String... entries) {
            this.announcedAddresses = AnnouncedAddresses.of(mode, entries);
            return this;
        }

        /** @see #announcedAddresses(AnnouncedAddresses.Mode, String...) */
        public Builder announcedAddresses(AnnouncedAddresses addresses) {
            this.announcedAddresses = Objects.requireNonNull(addresses, "addresses");
            return this;
        }

        /**
         * Trusts exactly the certificates in the PEM file {@code pem} (a private CA, or the TURN server's own
         * self-signed certificate) for {@code turns:} servers, instead of the JDK's default CAs. The file is
         * read now. The server's certificate must also name the URL's host (DNS name, or IP address for an IP
         * literal), whatever the trust. Default: the JDK's CAs ({@link TurnTlsTrust#JDK_DEFAULT}).
         *
         * @throws java.io.UncheckedIOException if the file cannot be read
         * @throws IllegalArgumentException     if it holds no certificate
         */
        public Builder turnTlsTrust(Path pem) {
            this.turnTlsTrust = TurnTlsTrust.fromPem(pem);
            return this;
        }

        /** @see #turnTlsTrust(Path) */
        public Builder turnTlsTrust(TurnTlsTrust trust) {
            this.turnTlsTrust = Objects.requireNonNull(trust, "trust");
            return this;
        }

        /**
         * Passive ICE-TCP candidates (RFC 6544, {@code tcptype passive}) beside the UDP ones, on one TCP port
         * for every connection of the {@link PeerConnectionFactory} with this setting, so browsers whose
         * network drops UDP connect with their active TCP candidates. The factory opens a
         * {@link dev.purertc.ice.tcp.IceTcpListener} on {@code port} (0: one the system picks, see
         * {@link PeerConnectionFactory#iceTcpListeners()}) on the {@link #hostAddresses} addresses at the first
         * connection that needs it, shares it, and closes it with itself. One selector thread and one STUN
         * thread whatever the number of connections; each connection costs one socket. Limits, each a guard
         * for a port open to anyone: an unauthenticated connection closes after 10 s, at most 256 are pending,
         * at most 16 per peer connection, at most 1 MiB queued per connection (beyond, datagrams are dropped
         * as UDP would drop them). Default: off ({@link RtcConfiguration#ICE_TCP_OFF}).
         */
        public Builder iceTcp(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("iceTcp port must be 0..65535, got " + port);
            }
            this.iceTcpPort = port;
            return this;
        }

        /** No ICE-TCP candidates (the default). */
        public Builder noIceTcp() {
            this.iceTcpPort = ICE_TCP_OFF;
            return this;
        }

        /**
         * With a socket and port per connection (no {@link #udpMux(int)}): whether the
         * {@link PeerConnectionFactory} reads all those sockets on one thread of its own (a
         * {@link dev.purertc.ice.mux.SharedUdpReader}, opened at the first such connection and closed with the
         * factory) instead of an ice4j reader thread per socket. For a process making many connections as a
         * client (each still has its own port and fd). Applies to connections without STUN/TURN servers
         * (with them, ice4j's readers serve the server-reflexive and relayed harvests) and is ignored with
         * {@link #udpMux(int)}. Default: off.
         */
        public Builder sharedSocketReader(boolean on) {
            this.sharedSocketReader = on;
            return this;
        }

        /** Back to a socket and port per connection (the default). */
        public Builder noUdpMux() {
            this.udpMuxPort = UDP_MUX_OFF;
            return this;
        }

        public Builder icePacing(Duration ta) {
            this.icePacing = Objects.requireNonNull(ta, "ta");
            return this;
        }

        /**
         * RFC 7675 consent freshness: request interval (default 2 s), silence that reports disconnected
         * (default 5 s), and silence that fails the connection (default 30 s). Each state is reported
         * within its timeout of the peer's last consent response.
         */
        public Builder consentFreshness(Duration interval, Duration disconnectedAfter, Duration failedAfter) {
            this.consentInterval = Objects.requireNonNull(interval, "interval");
            this.disconnectedTimeout = Objects.requireNonNull(disconnectedAfter, "disconnectedAfter");
            this.consentTimeout = Objects.requireNonNull(failedAfter, "failedAfter");
            return this;
        }

        /** @see RtcConfiguration#iceConnectTimeout() */
        public Builder iceConnectTimeout(Duration timeout) {
            this.iceConnectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder cryptoBackend(CryptoBackend backend) {
            this.cryptoBackend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        public Builder dtlsHandshakeTimeout(Duration timeout) {
            this.dtlsHandshakeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Local {@code a=max-message-size}: 0 (no limit) or a positive byte count up to 2^31-1. */
        public Builder maxMessageSize(long bytes) {
            if (bytes < 0 || bytes > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("maxMessageSize must be 0..2^31-1, got " + bytes);
            }
            this.maxMessageSize = bytes;
            return this;
        }

        public Builder sctpPort(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("sctpPort must be 1..65535, got " + port);
            }
            this.sctpPort = port;
            return this;
        }

        public Builder sctpOptions(SctpOptions options) {
            this.sctpOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        public RtcConfiguration build() {
            return new RtcConfiguration(this);
        }
    }
}
