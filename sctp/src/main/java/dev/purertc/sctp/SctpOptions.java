package dev.purertc.sctp;

/**
 * Every tunable of an {@link Association}, with defaults matching dcSCTP (libwebrtc) and the WebRTC
 * facts in docs/interop.md. Times are nanoseconds. Build with {@link #builder()}; immutable.
 *
 * @param localPort SCTP source port (RFC 8841 a=sctp-port, default 5000)
 * @param remotePort SCTP destination port
 * @param mtu largest SCTP packet produced, bytes (before DTLS)
 * @param receiveWindow bytes we advertise as a_rwnd and buffer at most for reassembly
 * @param sendBufferSize bytes the send queue holds before {@code send} refuses more
 * @param rtoInitial initial retransmission timeout (RFC 9260 RTO.Initial)
 * @param rtoMin minimum RTO
 * @param rtoMax maximum RTO
 * @param initialCwndMtus initial congestion window, in MTUs
 * @param maxBurst most DATA packets sent by one event (RFC 9260 Max.Burst) while the pacer has no rate
 *        (pacing off, or before the first RTT measurement); a pacing rate bounds bursts instead
 * @param maxRetransmissions consecutive T3/heartbeat failures before the association fails
 *        (Association.Max.Retrans)
 * @param maxInitRetransmissions INIT / COOKIE ECHO retransmissions before giving up (Max.Init.Retransmits)
 * @param delayedAckTimeout longest a SACK is delayed (RFC 9260 §6.2, at most 500 ms)
 * @param heartbeatInterval heartbeat interval on an idle path (HB.interval); 0 disables heartbeats
 * @param cookieLifetime how long a state cookie is valid (Valid.Cookie.Life)
 * @param maxMessageSize largest message accepted for sending or reassembly, bytes; a larger inbound message
 *                       is dropped with its stream ({@link AssociationEvent.OversizedMessageDropped}), the
 *                       association goes on
 * @param announcedStreams inbound/outbound stream counts announced in INIT (WebRTC: 65535)
 * @param zeroChecksumErrorDetectionMethod RFC 9653 alternate error detection method to advertise
 *        (1 = DTLS); 0 means zero checksum is off
 * @param pacing whether DATA packets are paced at about cwnd / SRTT ({@link dev.purertc.sctp.tx.Pacer})
 *        instead of leaving a whole window at memory speed. On by default: toward headless Chromium on
 *        loopback it cut the SACKs reporting gaps (datagrams lost at Chromium's 100-datagram socket
 *        buffer) from 7-18 % to about 4 % and the fast recoveries from 22-35 to 11-19 per 68 MiB; on a
 *        20 ms path it delivers 2.6 times as much into a 100-datagram buffer (PacingTest); where
 *        cwnd / SRTT exceeds what the receiver reads it never holds a packet back, and Java to Java on
 *        loopback measured the same with and without it
 * @param pacingBurstMtus the fewest MTU-sized packets the pacer lets leave back to back (its bucket;
 *        at high rates the bucket holds 250 us of sending, at most 64 KiB), also what may leave before an
 *        RTT is measured; RFC 9002 §7.7 suggests the initial window
 * @param queueDelayLimit whether the congestion window also stops growing, and shrinks, when the round
 *        trip shows a standing queue ({@link dev.purertc.sctp.tx.QueueDelayLimit}). On by default: toward
 *        headless Chromium on loopback it held the window at about 20 KB instead of 60-98 KB, with no
 *        loss instead of a fast recovery every 6 MB, and moved 11.1-11.4 MB/s instead of 8.2; Java to
 *        Java it kept SRTT at 1.3 ms instead of 8.4 ms (a 2 MB window queued in the peer) at the same
 *        rate. Off, the window follows losses only, as RFC 9260 §7.2 and browsers' SCTP do: a transfer
 *        that shares a bottleneck with loss-based TCP flows then keeps its share, where a delay-based
 *        window yields to the queue they build
 */
public record SctpOptions(int localPort, int remotePort, int mtu, long receiveWindow, long sendBufferSize,
        long rtoInitial, long rtoMin, long rtoMax, int initialCwndMtus, int maxBurst, int maxRetransmissions,
        int maxInitRetransmissions, long delayedAckTimeout, long heartbeatInterval, long cookieLifetime,
        int maxMessageSize, int announcedStreams, long zeroChecksumErrorDetectionMethod, boolean pacing,
        int pacingBurstMtus, boolean queueDelayLimit) {

    private static final long MS = 1_000_000L;

    public SctpOptions {
        if (mtu < 300 || mtu > 65535) {
            throw new IllegalArgumentException("mtu " + mtu + " outside [300, 65535]");
        }
        if (receiveWindow < 1500 || receiveWindow > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("receiveWindow " + receiveWindow);
        }
        if (rtoMin <= 0 || rtoMax < rtoMin || rtoInitial < rtoMin || rtoInitial > rtoMax) {
            throw new IllegalArgumentException("RTO bounds: initial " + rtoInitial + ", min " + rtoMin + ", max " + rtoMax);
        }
        if (maxMessageSize <= 0 || maxBurst <= 0 || initialCwndMtus <= 0 || announcedStreams <= 0
                || announcedStreams > 65535 || maxRetransmissions < 0 || maxInitRetransmissions < 0
                || pacingBurstMtus <= 0) {
            throw new IllegalArgumentException("invalid option values");
        }
    }

    /** The defaults: dcSCTP's, as listed in docs/interop.md. */
    public static SctpOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.localPort = localPort;
        b.remotePort = remotePort;
        b.mtu = mtu;
        b.receiveWindow = receiveWindow;
        b.sendBufferSize = sendBufferSize;
        b.rtoInitial = rtoInitial;
        b.rtoMin = rtoMin;
        b.rtoMax = rtoMax;
        b.initialCwndMtus = initialCwndMtus;
        b.maxBurst = maxBurst;
        b.maxRetransmissions = maxRetransmissions;
        b.maxInitRetransmissions = maxInitRetransmissions;
        b.delayedAckTimeout = delayedAckTimeout;
        b.heartbeatInterval = heartbeatInterval;
        b.cookieLifetime = cookieLifetime;
        b.maxMessageSize = maxMessageSize;
        b.announcedStreams = announcedStreams;
        b.zeroChecksumErrorDetectionMethod = zeroChecksumErrorDetectionMethod;
        b.pacing = pacing;
        b.pacingBurstMtus = pacingBurstMtus;
        b.queueDelayLimit = queueDelayLimit;
        return b;
    }

    /** Mutable builder for {@link SctpOptions}. */
    public static final class Builder {
        private int localPort = 5000;
        private int remotePort = 5000;
        private int mtu = 1200;
        private long receiveWindow = 5L * 1024 * 1024;
        private long sendBufferSize = 2_000_000L;
        private long rtoInitial = 500 * MS;
        private long rtoMin = 400 * MS;
        private long rtoMax = 60_000 * MS;
        private int initialCwndMtus = 10;
        private int maxBurst = 4;
        private int maxRetransmissions = 10;
        private int maxInitRetransmissions = 8;
        private long delayedAckTimeout = 200 * MS;
        private long heartbeatInterval = 30_000 * MS;
        private long cookieLifetime = 60_000 * MS;
        private int maxMessageSize = 256 * 1024;
        private int announcedStreams = 65535;
        private long zeroChecksumErrorDetectionMethod = 0;
        private boolean pacing = true;
        private int pacingBurstMtus = 10;
        private boolean queueDelayLimit = true;

        private Builder() {}

        public Builder localPort(int v) { localPort = v; return this; }
        public Builder remotePort(int v) { remotePort = v; return this; }
        public Builder mtu(int v) { mtu = v; return this; }
        public Builder receiveWindow(long v) { receiveWindow = v; return this; }
        public Builder sendBufferSize(long v) { sendBufferSize = v; return this; }
        public Builder rtoInitial(long nanos) { rtoInitial = nanos; return this; }
        public Builder rtoMin(long nanos) { rtoMin = nanos; return this; }
        public Builder rtoMax(long nanos) { rtoMax = nanos; return this; }
        public Builder initialCwndMtus(int v) { initialCwndMtus = v; return this; }
        public Builder maxBurst(int v) { maxBurst = v; return this; }
        public Builder maxRetransmissions(int v) { maxRetransmissions = v; return this; }
        public Builder maxInitRetransmissions(int v) { maxInitRetransmissions = v; return this; }
        public Builder delayedAckTimeout(long nanos) { delayedAckTimeout = nanos; return this; }
        public Builder heartbeatInterval(long nanos) { heartbeatInterval = nanos; return this; }
        public Builder cookieLifetime(long nanos) { cookieLifetime = nanos; return this; }
        public Builder maxMessageSize(int v) { maxMessageSize = v; return this; }
        public Builder announcedStreams(int v) { announcedStreams = v; return this; }
        public Builder zeroChecksumErrorDetectionMethod(long v) { zeroChecksumErrorDetectionMethod = v; return this; }
        public Builder pacing(boolean v) { pacing = v; return this; }
        public Builder pacingBurstMtus(int v) { pacingBurstMtus = v; return this; }
        public Builder queueDelayLimit(boolean v) { queueDelayLimit = v; return this; }

        public SctpOptions build() {
            return new SctpOptions(localPort, remotePort, mtu, receiveWindow, sendBufferSize, rtoInitial, rtoMin,
                    rtoMax, initialCwndMtus, maxBurst, maxRetransmissions, maxInitRetransmissions, delayedAckTimeout,
                    heartbeatInterval, cookieLifetime, maxMessageSize, announcedStreams,
                    zeroChecksumErrorDetectionMethod, pacing, pacingBurstMtus, queueDelayLimit);
        }
    }
}
