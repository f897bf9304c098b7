package dev.purertc.ice;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.purertc.ice.mux.SharedUdpReader;
import dev.purertc.ice.mux.UdpMux;
import dev.purertc.ice.tcp.IceTcpListener;

/**
 * Configuration of an {@link IceAgent}. Immutable; build one with {@link #builder()}.
 *
 * <p>Nothing here is read from system properties: PureRTC turns ice4j's own global harvesters (AWS,
 * UPnP, STUN mapping) off and only contacts the servers listed in {@link #iceServers()}.
 *
 * @param iceServers          STUN and TURN servers, as the browser's {@code RTCConfiguration.iceServers}
 * @param transportPolicy     {@link IceTransportPolicy#ALL} or {@link IceTransportPolicy#RELAY}
 * @param portMin             lowest local UDP port, or 0 with {@code portMax} 0 for ephemeral ports
 * @param portMax             highest local UDP port, or 0 with {@code portMin} 0 for ephemeral ports
 * @param hostAddresses       which local addresses become host candidates
 * @param consentInterval     RFC 7675 §5.1 consent check interval (randomised 0.8-1.2 by ice4j). Default 2 s,
 *                            so that two lost responses in a row still stay under the 5 s disconnected timeout
 * @param disconnectedTimeout no consent response for this long reports {@link IceConnectionState#DISCONNECTED}.
 *                            Default 5 s, pion's: a vanished peer is noticed in seconds, not tens of seconds
 * @param consentTimeout      no consent response for this long reports {@link IceConnectionState#FAILED}
 *                            (RFC 7675 §5.1: 30 s, the default)
 * @param pacing              Ta, the interval between connectivity checks (RFC 8445 §14.2, at least 5 ms)
 * @param socketBufferBytes   SO_RCVBUF and SO_SNDBUF requested on every host candidate socket (the TURN
 *                            traffic of relayed candidates flows over those sockets too), or 0 to keep the
 *                            kernel's defaults. The kernel may grant less (Linux caps the request at
 *                            {@code net.core.rmem_max}/{@code wmem_max}); {@link IceTransport#receiveBufferBytes()}
 *                            tells what was granted. Default {@link #DEFAULT_SOCKET_BUFFER_BYTES}.
 * @param connectTimeout      connectivity checks that have found no valid pair this long after they started
 *                            report {@link IceConnectionState#FAILED} (a peer behind a firewall that drops
 *                            UDP, or whose candidates never arrive). Default 30 s: RFC 7675's consent timeout,
 *                            and about twice the 15 s after which Chromium gives up on its side.
 * @param udpMux              a shared {@link UdpMux} whose one port carries this agent's host candidates, or
 *                            {@code null} (the default) for a socket and port of its own per host candidate.
 *                            With a mux, {@code portMin}/{@code portMax}, {@code hostAddresses} and
 *                            {@code socketBufferBytes} are the mux's business (fixed when it was opened) and
 *                            STUN/TURN servers are not supported yet. The agent registers with the mux and
 *                            unregisters on close; it never closes the mux, whose opener owns it.
 * @param announcedAddresses  public addresses announced for local host addresses behind a 1:1 NAT, replacing
 *                            them or added beside them ({@link AnnouncedAddresses}); checks still arrive at and
 *                            are answered from the real sockets (or the mux). Default {@link AnnouncedAddresses#NONE}
 * @param iceTcp              a shared {@link IceTcpListener} whose port carries passive TCP host candidates
 *                            (RFC 6544, {@code tcptype passive}) beside the UDP ones, for peers whose network drops
 *                            UDP; or {@code null} (the default) for UDP only. The agent registers its ufrag and
 *                            unregisters on close; the listener's opener closes it.
 * @param turnTlsTrust        the certificates a {@code turns:} server must chain to; its certificate must also
 *                            name the URL's host. Default {@link TurnTlsTrust#JDK_DEFAULT}
 * @param sharedUdpReader     with per-connection sockets (no {@code udpMux}) and no STUN or TURN server: the
 *                            {@link SharedUdpReader} whose one thread reads this agent's sockets instead of an
 *                            ice4j reader thread per socket; {@code null} (the default) for ice4j's readers.
 *                            Ignored with a {@code udpMux}, with STUN or TURN servers, and with policy relay
 *
 * <p>The three timeouts are measured from the last sign of the peer (its last consent response, or the
 * start of the checks) and reported within them: a once-per-{@code timeout/20} check (at most 250 ms)
 * reports the state at most that much early, never late.
 */
public record IceOptions(List<IceServer> iceServers, IceTransportPolicy transportPolicy, int portMin, int portMax,
                         HostAddressFilter hostAddresses, Duration consentInterval, Duration disconnectedTimeout,
                         Duration consentTimeout, Duration pacing, int socketBufferBytes, Duration connectTimeout,
                         UdpMux udpMux, AnnouncedAddresses announcedAddresses, IceTcpListener iceTcp,
                         TurnTlsTrust turnTlsTrust, SharedUdpReader sharedUdpReader) {

    /**
     * 4 MiB: a 64 KiB message is about 55 datagrams of 1200 bytes, and Linux' default 208 KiB receive
     * buffer holds only about 90 of them (each costs a page-sized skb), so a reader thread that stalls for
     * a moment (it also decrypts DTLS) would lose datagrams and SCTP would retransmit.
     */
    public static final int DEFAULT_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

    /** RFC 8445 §14.2: Ta must not be below 5 ms. */
    static final Duration MIN_PACING = Duration.ofMillis(5);

    /** Default {@link #connectTimeout()}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /** The options as they were before {@code sharedUdpReader}: an ice4j reader thread per socket. */
    public IceOptions(List<IceServer> iceServers, IceTransportPolicy transportPolicy, int portMin, int portMax,
                      HostAddressFilter hostAddresses, Duration consentInterval, Duration disconnectedTimeout,
                      Duration consentTimeout, Duration pacing, int socketBufferBytes, Duration connectTimeout,
                      UdpMux udpMux, AnnouncedAddresses announcedAddresses, IceTcpListener iceTcp,
                      TurnTlsTrust turnTlsTrust) {
        this(iceServers, transportPolicy, portMin, portMax, hostAddresses, consentInterval, disconnectedTimeout,
                consentTimeout, pacing, socketBufferBytes, connectTimeout, udpMux, announcedAddresses, iceTcp,
                turnTlsTrust, null);
    }

    /** The options as they were before {@code turnTlsTrust}: {@code turns:} servers checked against the JDK's CAs. */
    public IceOptions(List<IceServer> iceServers, IceTransportPolicy transportPolicy, int portMin, int portMax,
                      HostAddressFilter hostAddresses, Duration consentInterval, Duration disconnectedTimeout,
                      Duration consentTimeout, Duration pacing, int socketBufferBytes, Duration connectTimeout,
                      UdpMux udpMux, AnnouncedAddresses announcedAddresses, IceTcpListener iceTcp) {
        this(iceServers, transportPolicy, portMin, portMax, hostAddresses, consentInterval, disconnectedTimeout,
                consentTimeout, pacing, socketBufferBytes, connectTimeout, udpMux, announcedAddresses, iceTcp,
                TurnTlsTrust.JDK_DEFAULT);
    }

    /** The options as they were before {@code iceTcp}: UDP candidates only. */
    public IceOptions(List<IceServer> iceServers, IceTransportPolicy transportPolicy, int portMin, int portMax,
                      HostAddressFilter hostAddresses, Duration consentInterval, Duration disconnectedTimeout,
                      Duration consentTimeout, Duration pacing, int socketBufferBytes, Duration connectTimeout,
                      UdpMux udpMux, AnnouncedAddresses announcedAddresses) {
        this(iceServers, transportPolicy, portMin, portMax, hostAddresses, consentInterval, disconnectedTimeout,
                consentTimeout, pacing, socketBufferBytes, connectTimeout, udpMux, announcedAddresses, null);
    }

    /** The options as they were before {@code announcedAddresses}: host candidates announced as they are. */
    public IceOptions(List<IceServer> iceServers, IceTransportPolicy transportPolicy, int portMin, int portMax,
                      HostAddressFilter hostAddresses, Duration consentInterval, Duration disconnectedTimeout,
                      Duration consentTimeout, Duration pacing, int socketBufferBytes, Duration connectTimeout,
                      UdpMux udpMux) {
        this(iceServers, transportPolicy, portMin, portMax, hostAddresses, consentInterval, disconnectedTimeout,
                consentTimeout, pacing, socketBufferBytes, connectTimeout, udpMux, AnnouncedAddresses.NONE);
    }

    /** The options as they were before {@code udpMux}: per-connection sockets. */
    public IceOptions(List<IceServer> iceServers, IceTransportPolicy transportPolicy, int portMin, int portMax,
                      HostAddressFilter hostAddresses, Duration consentInterval, Duration disconnectedTimeout,
                      Duration consentTimeout, Duration pacing, int socketBufferBytes, Duration connectTimeout) {
        this(iceServers, transportPolicy, portMin, portMax, hostAddresses, consentInterval, disconnectedTimeout,
                consentTimeout, pacing, socketBufferBytes, connectTimeout, null);
    }

    /** The options as they were before {@code socketBufferBytes}: the later fields get their defaults. */
    public IceOptions(List<IceServer> iceServers, IceTransportPolicy transportPolicy, int portMin, int portMax,
                      HostAddressFilter hostAddresses, Duration consentInterval, Duration disconnectedTimeout,
                      Duration consentTimeout, Duration pacing) {
        this(iceServers, transportPolicy, portMin, portMax, hostAddresses, consentInterval, disconnectedTimeout,
                consentTimeout, pacing, DEFAULT_SOCKET_BUFFER_BYTES);
    }

    /** The options as they were before {@code connectTimeout}: that field gets its default. */
    public IceOptions(List<IceServer> iceServers, IceTransportPolicy transportPolicy, int portMin, int portMax,
                      HostAddressFilter hostAddresses, Duration consentInterval, Duration disconnectedTimeout,
                      Duration consentTimeout, Duration pacing, int socketBufferBytes) {
        this(iceServers, transportPolicy, portMin, portMax, hostAddresses, consentInterval, disconnectedTimeout,
                consentTimeout, pacing, socketBufferBytes, DEFAULT_CONNECT_TIMEOUT);
    }

    public IceOptions {
        iceServers = List.copyOf(Objects.requireNonNull(iceServers, "iceServers"));
        Objects.requireNonNull(transportPolicy, "transportPolicy");
        Objects.requireNonNull(hostAddresses, "hostAddresses");
        Objects.requireNonNull(consentInterval, "consentInterval");
        Objects.requireNonNull(disconnectedTimeout, "disconnectedTimeout");
        Objects.requireNonNull(consentTimeout, "consentTimeout");
        Objects.requireNonNull(pacing, "pacing");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(announcedAddresses, "announcedAddresses");
        Objects.requireNonNull(turnTlsTrust, "turnTlsTrust");
        if (portMin != 0 || portMax != 0) {
            if (portMin < 1 || portMax > 65535 || portMin > portMax) {
                throw new IllegalArgumentException("port range must be 1 <= min <= max <= 65535, got " + portMin
                        + ".." + portMax);
            }
        }
        if (consentInterval.toMillis() < 100) {
            throw new IllegalArgumentException("consentInterval below 100 ms: " + consentInterval);
        }
        if (disconnectedTimeout.compareTo(consentInterval) <= 0) {
            throw new IllegalArgumentException("disconnectedTimeout must exceed consentInterval");
        }
        if (consentTimeout.compareTo(disconnectedTimeout) < 0) {
            throw new IllegalArgumentException("consentTimeout must be at least disconnectedTimeout");
        }
        if (pacing.compareTo(MIN_PACING) < 0) {
            throw new IllegalArgumentException("pacing (Ta) below 5 ms violates RFC 8445 §14.2: " + pacing);
        }
        if (connectTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("connectTimeout below 100 ms: " + connectTimeout);
        }
        if (socketBufferBytes < 0) {
            throw new IllegalArgumentException("socketBufferBytes must be 0 (kernel default) or positive, got "
                    + socketBufferBytes);
        }
        if (udpMux != null && !iceServers.isEmpty()) {
            throw new UnsupportedOperationException("STUN/TURN servers with a UDP mux are not wired yet: "
                    + "server-reflexive and relayed candidates need their own sockets; use per-connection sockets");
        }
        if (transportPolicy == IceTransportPolicy.RELAY
                && iceServers.stream().flatMap(s -> s.parsedUrls().stream()).noneMatch(IceServerUrl::isTurn)) {
            throw new IllegalArgumentException("iceTransportPolicy relay needs at least one TURN server");
        }
    }

    /**
     * Defaults: no servers, policy all, ephemeral ports, every non-loopback address, consent every 2 s,
     * disconnected after 5 s and failed after 30 s without a response, checks that fail after 30 s,
     * 4 MiB socket buffers.
     */
    public static IceOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.iceServers.addAll(iceServers);
        b.transportPolicy = transportPolicy;
        b.portMin = portMin;
        b.portMax = portMax;
        b.hostAddresses = hostAddresses;
        b.consentInterval = consentInterval;
        b.disconnectedTimeout = disconnectedTimeout;
        b.consentTimeout = consentTimeout;
        b.pacing = pacing;
        b.socketBufferBytes = socketBufferBytes;
        b.connectTimeout = connectTimeout;
        b.udpMux = udpMux;
        b.announcedAddresses = announcedAddresses;
        b.iceTcp = iceTcp;
        b.turnTlsTrust = turnTlsTrust;
        b.sharedUdpReader = sharedUdpReader;
        return b;
    }

    /** Builder for {@link IceOptions}; not thread-safe. */
    public static final class Builder {
        private final List<IceServer> iceServers = new ArrayList<>();
        private IceTransportPolicy transportPolicy = IceTransportPolicy.ALL;
        private int portMin;
        private int portMax;
        private HostAddressFilter hostAddresses = HostAddressFilter.DEFAULT;
        private Duration consentInterval = Duration.ofSeconds(2);
        private Duration disconnectedTimeout = Duration.ofSeconds(5);
        private Duration consentTimeout = Duration.ofSeconds(30);
        private Duration pacing = Duration.ofMillis(20);
        private int socketBufferBytes = DEFAULT_SOCKET_BUFFER_BYTES;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private UdpMux udpMux;
        private AnnouncedAddresses announcedAddresses = AnnouncedAddresses.NONE;
        private IceTcpListener iceTcp;
        private TurnTlsTrust turnTlsTrust = TurnTlsTrust.JDK_DEFAULT;
        private SharedUdpReader sharedUdpReader;

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

        public Builder transportPolicy(IceTransportPolicy policy) {
            this.transportPolicy = policy;
            return this;
        }

        public Builder portRange(int min, int max) {
            this.portMin = min;
            this.portMax = max;
            return this;
        }

        public Builder hostAddresses(HostAddressFilter filter) {
            this.hostAddresses = filter;
            return this;
        }

        public Builder consentInterval(Duration interval) {
            this.consentInterval = interval;
            return this;
        }

        public Builder disconnectedTimeout(Duration timeout) {
            this.disconnectedTimeout = timeout;
            return this;
        }

        public Builder consentTimeout(Duration timeout) {
            this.consentTimeout = timeout;
            return this;
        }

        public Builder pacing(Duration ta) {
            this.pacing = ta;
            return this;
        }

        /**
         * SO_RCVBUF and SO_SNDBUF to request on each host candidate socket, 0 for the kernel's defaults.
         *
         * @see IceOptions#socketBufferBytes()
         */
        public Builder socketBufferBytes(int bytes) {
            this.socketBufferBytes = bytes;
            return this;
        }

        /** @see IceOptions#connectTimeout() */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Host candidates on this shared mux's port instead of sockets of their own; {@code null} (the
         * default) for per-connection sockets.
         *
         * @see IceOptions#udpMux()
         */
        public Builder udpMux(UdpMux mux) {
            this.udpMux = mux;
            return this;
        }

        /**
         * Public addresses to announce for host candidates behind a 1:1 NAT; {@link AnnouncedAddresses#NONE}
         * (the default) announces them as they are.
         *
         * @see IceOptions#announcedAddresses()
         */
        public Builder announcedAddresses(AnnouncedAddresses addresses) {
            this.announcedAddresses = addresses;
            return this;
        }

        /**
         * Passive ICE-TCP host candidates on this shared listener's port besides the UDP ones; {@code null}
         * (the default) for UDP only.
         *
         * @see IceOptions#iceTcp()
         */
        public Builder iceTcp(IceTcpListener listener) {
            this.iceTcp = listener;
            return this;
        }

        /**
         * The certificates {@code turns:} servers must chain to; {@link TurnTlsTrust#JDK_DEFAULT} by default.
         *
         * @see IceOptions#turnTlsTrust()
         */
        public Builder turnTlsTrust(TurnTlsTrust trust) {
            this.turnTlsTrust = trust;
            return this;
        }

        /**
         * Per-connection sockets read by this {@link SharedUdpReader}'s one thread instead of an ice4j reader
         * thread each; {@code null} (the default) for ice4j's readers.
         *
         * @see IceOptions#sharedUdpReader()
         */
        public Builder sharedUdpReader(SharedUdpReader reader) {
            this.sharedUdpReader = reader;
            return this;
        }

        public IceOptions build() {
            return new IceOptions(iceServers, transportPolicy, portMin, portMax, hostAddresses, consentInterval,
                    disconnectedTimeout, consentTimeout, pacing, socketBufferBytes, connectTimeout, udpMux,
                    announcedAddresses, iceTcp, turnTlsTrust, sharedUdpReader);
        }
    }
}
