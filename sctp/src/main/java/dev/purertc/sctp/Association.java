package dev.purertc.sctp;

import dev.purertc.sctp.association.HeartbeatHandler;
import dev.purertc.sctp.association.StateCookie;
import dev.purertc.sctp.association.StreamResetHandler;
import dev.purertc.sctp.association.Timer;
import dev.purertc.sctp.packet.AbortChunk;
import dev.purertc.sctp.packet.ChunkType;
import dev.purertc.sctp.packet.Chunk;
import dev.purertc.sctp.packet.CookieAckChunk;
import dev.purertc.sctp.packet.CookieEchoChunk;
import dev.purertc.sctp.packet.CookiePreservativeParameter;
import dev.purertc.sctp.packet.DataChunk;
import dev.purertc.sctp.packet.ErrorCause;
import dev.purertc.sctp.packet.ErrorChunk;
import dev.purertc.sctp.packet.ForwardTsnChunk;
import dev.purertc.sctp.packet.ForwardTsnSupportedParameter;
import dev.purertc.sctp.packet.HeartbeatAckChunk;
import dev.purertc.sctp.packet.HeartbeatRequestChunk;
import dev.purertc.sctp.packet.InitAckChunk;
import dev.purertc.sctp.packet.InitChunk;
import dev.purertc.sctp.packet.MissingMandatoryParameterCause;
import dev.purertc.sctp.packet.NoUserDataCause;
import dev.purertc.sctp.packet.Parameter;
import dev.purertc.sctp.packet.ParameterType;
import dev.purertc.sctp.packet.ProtocolViolationCause;
import dev.purertc.sctp.packet.ReConfigChunk;
import dev.purertc.sctp.packet.SackChunk;
import dev.purertc.sctp.packet.SctpPacket;
import dev.purertc.sctp.packet.SctpPacketException;
import dev.purertc.sctp.packet.ShutdownAckChunk;
import dev.purertc.sctp.packet.ShutdownChunk;
import dev.purertc.sctp.packet.ShutdownCompleteChunk;
import dev.purertc.sctp.packet.StaleCookieCause;
import dev.purertc.sctp.packet.StateCookieParameter;
import dev.purertc.sctp.packet.SupportedExtensionsParameter;
import dev.purertc.sctp.packet.UnknownChunk;
import dev.purertc.sctp.packet.UnknownParameter;
import dev.purertc.sctp.packet.UnrecognizedChunkTypeCause;
import dev.purertc.sctp.packet.UnrecognizedParameter;
import dev.purertc.sctp.packet.UserInitiatedAbortCause;
import dev.purertc.sctp.packet.ZeroChecksumAcceptableParameter;
import dev.purertc.sctp.rx.DataTracker;
import dev.purertc.sctp.rx.OversizedMessage;
import dev.purertc.sctp.rx.ReassemblyQueue;
import dev.purertc.sctp.rx.ReceivedMessage;
import dev.purertc.sctp.tx.ForwardTsnPlan;
import dev.purertc.sctp.tx.OutgoingMessage;
import dev.purertc.sctp.tx.Pacer;
import dev.purertc.sctp.tx.QueueDelayLimit;
import dev.purertc.sctp.tx.RetransmissionQueue;
import dev.purertc.sctp.tx.RetransmissionTimeout;
import dev.purertc.sctp.tx.SendQueue;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A sans-I/O SCTP association (RFC 9260 with RFC 3758 partial reliability, RFC 6525 stream reset and
 * RFC 8261 usage over DTLS): it is <em>fed</em> inbound packets ({@link #handleInput}), the passage
 * of time ({@link #advanceTime}) and user messages ({@link #send}), and <em>polled</em> for packets
 * to transmit ({@link #pollOutgoingPacket}), events ({@link #pollEvent}) and its next timer deadline
 * ({@link #nextTimeoutNanos}). It owns no thread, socket or clock: time is a {@code long} of
 * nanoseconds from an arbitrary origin, given by the caller and never decreasing.
 *
 * <p><b>Threading:</b> not thread safe. Every method must be called from one thread at a time (in
 * PureRTC, the connection's event loop); no callback is ever invoked. <b>Ownership:</b> arrays given
 * to {@link #send} must not be modified afterwards (fragments are views of them until acknowledged);
 * arrays returned by {@link #pollOutgoingPacket()} and in {@link AssociationEvent.MessageReceived}
 * belong to the caller; input given to {@link #handleInput} is not retained, while an array given to
 * {@link #handleOwnedInput} is handed over and must not be touched again.
 *
 * <p><b>Copies:</b> user data is copied once on the way out (fragments are views of the message
 * until a packet is written, by {@link #pollOutgoingPacket()} into a new array or by
 * {@link #pollOutgoingPacket(ByteBuffer)} into the caller's buffer) and once on the way in when the
 * input is handed over with {@link #handleOwnedInput} (a multi-fragment message is assembled from
 * views of the packets into one array); {@link #handleInput} adds one copy of each fragment it must
 * keep, into reused blocks, so a caller moving packets through one reusable buffer
 * ({@link #pollOutgoingPacket(ByteBuffer)}, {@link #handleInput(ByteBuffer, long)}) makes the
 * association allocate little more than the received messages themselves.
 */
public final class Association {

    private final SctpOptions options;
    private final Random random;
    private final byte[] cookieSecret = new byte[32];
    /** Packets waiting to be polled, encoded only then (their DATA chunks are views of the messages). */
    private final ArrayDeque<PendingPacket> outgoingPackets = new ArrayDeque<>();

    private record PendingPacket(SctpPacket packet, boolean zeroChecksum) {}
    private final ArrayDeque<AssociationEvent> events = new ArrayDeque<>();
    private final SendQueue sendQueue = new SendQueue();
    private final RetransmissionTimeout rto;

    private AssociationState state = AssociationState.CLOSED;
    private boolean everStarted;
    private long now;

    // Handshake (RFC 9260 §5.1).
    private long localTag;
    private long peerTag;
    private long localInitialTsn;
    private InitChunk sentInit;
    private int staleCookieRetries;
    private CookieEchoChunk sentCookieEcho;
    private final Timer t1Init = new Timer("T1-init");
    private final Timer t1Cookie = new Timer("T1-cookie");

    // Transmission control block, built when the peer's parameters are known.
    private DataTracker dataTracker;
    private ReassemblyQueue reassemblyQueue;
    private RetransmissionQueue retransmissionQueue;
    private StreamResetHandler streamReset;
    private boolean peerSupportsForwardTsn;
    private boolean peerSupportsReconfig;
    private boolean sendZeroChecksum;
    private long undeliveredMessageBytes;
    private int errorCounter;
    private boolean sackNow;
    /** A SACK is due and goes alone: it is built by the next poll (see {@link #emitSackDueAtPoll}). */
    private boolean sackAtPoll;

    private final Timer t3Rtx = new Timer("T3-rtx");
    private final Timer delayedAck = new Timer("delayed-ack");
    private final Timer t2Shutdown = new Timer("T2-shutdown");
    private final HeartbeatHandler heartbeat;
    /** Null when {@link SctpOptions#pacing()} is off. */
    private final Pacer pacer;
    /** When the pacer next lets held-back DATA leave; {@link Long#MAX_VALUE} when nothing waits for it. */
    private long pacingDeadline = Long.MAX_VALUE;

    private final ArrayList<Chunk> pendingControl = new ArrayList<>();

    /** An association with a {@link SecureRandom} for tags, TSNs and the cookie secret. */
    public Association(SctpOptions options) {
        this(options, new SecureRandom());
    }

    /** An association drawing tags, initial TSNs and the cookie secret from {@code random} (tests: seeded). */
    public Association(SctpOptions options, Random random) {
        this.options = options;
        this.random = random;
        random.nextBytes(cookieSecret);
        this.rto = new RetransmissionTimeout(options.rtoInitial(), options.rtoMin(), options.rtoMax());
        this.heartbeat = new HeartbeatHandler(options.heartbeatInterval(), rto);
        this.pacer = options.pacing() ? new Pacer((long) options.pacingBurstMtus() * options.mtu()) : null;
    }

    public SctpOptions options() {
        return options;
    }

    public AssociationState state() {
        return state;
    }

    /**
     * The sender's congestion state and counters now; before the association is established, the
     * initial window and zero counters.
     */
    public AssociationStats stats() {
        long srtt = rto.hasMeasurement() ? rto.srtt() : -1;
        RetransmissionQueue q = retransmissionQueue;
        if (q == null) {
            long initialCwnd = (long) options.initialCwndMtus() * options.mtu();
            return new AssociationStats(initialCwnd, 0, 0, srtt, options.mtu(), 0, rto.rto(), 0, 0, 0, 0);
        }
        return new AssociationStats(q.cwnd(), q.peerRwnd(), q.inFlightBytes(), srtt, options.mtu(), q.ssthresh(),
                rto.rto(), q.retransmittedChunks(), q.t3Expiries(), q.fastRecoveries(), q.lostRetransmissions());
    }

    // ---------------------------------------------------------------------------------------------
    // Polled outputs

    /** The next packet to transmit (at most {@link SctpOptions#mtu()} bytes) in a new array, or null. */
    public byte[] pollOutgoingPacket() {
        emitSackDueAtPoll();
        PendingPacket p = outgoingPackets.poll();
        return p == null ? null : p.packet().toBytes(p.zeroChecksum());
    }

    /**
     * Writes the next packet to transmit at {@code out}'s position and advances the position past it;
     * the buffer can be reused for every packet (nothing of it is retained).
     *
     * @return the packet's length (at most {@link SctpOptions#mtu()}), or 0 when nothing is pending
     * @throws java.nio.BufferOverflowException when fewer bytes than the packet's length remain in
     *         {@code out}; the packet stays queued then. {@code out.remaining() >= mtu} always suffices.
     */
    public int pollOutgoingPacket(ByteBuffer out) {
        emitSackDueAtPoll();
        PendingPacket p = outgoingPackets.peek();
        if (p == null) {
            return 0;
        }
        int length = p.packet().encodedLength();
        if (out.remaining() < length) {
            throw new java.nio.BufferOverflowException();
        }
        outgoingPackets.poll();
        p.packet().writeTo(out, p.zeroChecksum());
        return length;
    }

    /**
     * RFC 9260 §6.2 asks for a SACK at least every second DATA packet and at once on gaps or
     * duplicates; a SACK that would travel alone is built only when the driver polls, after the last
     * packet queued so far, so it covers every packet the driver fed before polling. A receiver that
     * falls behind then answers a burst with one SACK instead of one per packet: toward Chromium,
     * whose network thread reads its socket only between sends, one SACK per packet overflowed its
     * socket buffer (about 100 datagrams), the lost gap reports left its fast retransmit blind and its
     * T3-rtx resent what had arrived.
     */
    private void emitSackDueAtPoll() {
        if (!sackAtPoll || !outgoingPackets.isEmpty()) {
            return;
        }
        sackAtPoll = false;
        if (state != AssociationState.CLOSED && dataTracker != null && dataTracker.isAckDue()) {
            emitPacket(peerTag, List.of(buildSack()));
        }
    }

    /** The next event, or null. */
    public AssociationEvent pollEvent() {
        AssociationEvent e = events.poll();
        if (e instanceof AssociationEvent.MessageReceived m) {
            undeliveredMessageBytes -= m.payload().length;
            maybeScheduleWindowUpdate();
        }
        return e;
    }

    /**
     * When {@link #advanceTime} must next be called, or {@link Long#MAX_VALUE} if no timer runs. Besides
     * the protocol timers this is the moment the pacer lets held-back DATA leave: a driver that calls
     * {@link #advanceTime} then keeps paced packets on time.
     */
    public long nextTimeoutNanos() {
        long t = Math.min(t1Init.deadline(), t1Cookie.deadline());
        t = Math.min(t, pacingDeadline);
        t = Math.min(t, Math.min(t3Rtx.deadline(), delayedAck.deadline()));
        t = Math.min(t, Math.min(t2Shutdown.deadline(), heartbeat.timer().deadline()));
        if (streamReset != null) {
            t = Math.min(t, streamReset.timer().deadline());
        }
        return t;
    }

    // ---------------------------------------------------------------------------------------------
    // User API

    /** Starts the handshake (RFC 9260 §5.1 A): sends INIT and enters COOKIE-WAIT. */
    public void connect(long now) {
        updateTime(now);
        if (state != AssociationState.CLOSED) {
            return; // already connecting or connected (e.g. the peer's INIT came first)
        }
        if (everStarted) {
            throw new IllegalStateException("connect() on an association that was closed; create a new one");
        }
        everStarted = true;
        localTag = newTag();
        localInitialTsn = newTag();
        sentInit = new InitChunk(localTag, options.receiveWindow(), options.announcedStreams(),
                options.announcedStreams(), localInitialTsn, ourCapabilityParameters());
        state = AssociationState.COOKIE_WAIT;
        emitPacket(0, List.of(sentInit));
        t1Init.start(now, options.rtoInitial());
    }

    /** Queues a message using the latest time the association was given. */
    public SendStatus send(int streamId, long ppid, byte[] message, SendOptions sendOptions) {
        return send(streamId, ppid, message, sendOptions, now);
    }

    /** Queues a copy of the buffer's remaining bytes (the buffer's position is not changed). */
    public SendStatus send(int streamId, long ppid, ByteBuffer message, SendOptions sendOptions) {
        byte[] copy = new byte[message.remaining()];
        message.duplicate().get(copy);
        return send(streamId, ppid, copy, sendOptions, now);
    }

    /**
     * Queues a user message on a stream (RFC 9260 §10.1 SEND). It is sent as soon as the congestion
     * and receive windows allow, possibly during this call. Messages may be queued before the
     * association is established. {@code message} must not be modified afterwards.
     */
    public SendStatus send(int streamId, long ppid, byte[] message, SendOptions sendOptions, long now) {
        updateTime(now);
        if (streamId < 0 || streamId > 65535) {
            throw new IllegalArgumentException("stream id " + streamId);
        }
        if (message.length == 0) {
            return SendStatus.EMPTY_MESSAGE;
        }
        if (message.length > options.maxMessageSize()) {
            return SendStatus.MESSAGE_TOO_LARGE;
        }
        if (everStarted && state != AssociationState.ESTABLISHED && state != AssociationState.COOKIE_WAIT
                && state != AssociationState.COOKIE_ECHOED) {
            return SendStatus.NOT_CONNECTED;
        }
        if (sendQueue.isResetPending(streamId)) {
            return SendStatus.STREAM_RESETTING;
        }
        if (sendQueue.totalBufferedAmount() + message.length > options.sendBufferSize()) {
            return SendStatus.SEND_BUFFER_FULL;
        }
        long expiresAt = sendOptions.lifetimeNanos() < 0 ? Long.MAX_VALUE : now + sendOptions.lifetimeNanos();
        sendQueue.add(new OutgoingMessage(streamId, ppid, message, sendOptions.unordered(),
                sendOptions.maxRetransmits(), expiresAt));
        flush();
        return SendStatus.SUCCESS;
    }

    /** Bytes queued on a stream and not yet handed to the network as DATA chunks. */
    public long bufferedAmount(int streamId) {
        return sendQueue.bufferedAmount(streamId);
    }

    /** Bytes queued on all streams and not yet sent once. */
    public long totalBufferedAmount() {
        return sendQueue.totalBufferedAmount();
    }

    /** The stream's buffered-amount-low threshold in bytes (0 by default). */
    public long bufferedAmountLowThreshold(int streamId) {
        return sendQueue.bufferedAmountLowThreshold(streamId);
    }

    /** Sets the threshold under which {@link AssociationEvent.BufferedAmountLow} fires for a stream. */
    public void setBufferedAmountLowThreshold(int streamId, long bytes) {
        sendQueue.setBufferedAmountLowThreshold(streamId, bytes);
    }

    /**
     * Resets outgoing streams (RFC 6525 §5.1.2), as closing a data channel does: messages already
     * queued on them are sent first, new ones are refused until the reset completes
     * ({@link AssociationEvent.OutgoingStreamsReset}).
     */
    public void resetStreams(List<Integer> streamIds) {
        if (state != AssociationState.ESTABLISHED) {
            throw new IllegalStateException("stream reset needs an established association, state is " + state);
        }
        if (!peerSupportsReconfig) {
            throw new UnsupportedOperationException("the peer did not advertise RE-CONFIG (RFC 6525)");
        }
        streamReset.requestReset(streamIds);
        flush();
    }

    /** Starts a graceful shutdown (RFC 9260 §9.2): queued data is delivered first. */
    public void shutdown(long now) {
        updateTime(now);
        switch (state) {
            case CLOSED -> { }
            case COOKIE_WAIT, COOKIE_ECHOED -> {
                closeQuietly();
                events.add(new AssociationEvent.Closed());
            }
            case ESTABLISHED -> {
                state = AssociationState.SHUTDOWN_PENDING;
                progressShutdown();
                flush();
            }
            default -> { }
        }
    }

    /** Aborts the association (RFC 9260 §9.1), sending ABORT with a User-Initiated Abort cause. */
    public void abort(String reason, long now) {
        updateTime(now);
        if (state == AssociationState.CLOSED) {
            return;
        }
        sendAbort(new UserInitiatedAbortCause(reason.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        closeQuietly();
        events.add(new AssociationEvent.Aborted(false, reason));
    }

    // ---------------------------------------------------------------------------------------------
    // Time

    /** Runs every timer due at {@code now}, then sends what became sendable. */
    public void advanceTime(long now) {
        updateTime(now);
        if (t1Init.expire(now)) {
            onT1InitExpired();
        }
        if (t1Cookie.expire(now)) {
            onT1CookieExpired();
        }
        if (t2Shutdown.expire(now)) {
            onT2ShutdownExpired();
        }
        if (t3Rtx.expire(now)) {
            onT3Expired();
        }
        if (delayedAck.expire(now)) {
            sackNow = true;
        }
        if (heartbeat.timer().expire(now)) {
            onHeartbeatTimer();
        }
        if (streamReset != null && streamReset.timer().expire(now)) {
            boolean lost = !streamReset.isRetryAfterInProgress();
            ReConfigChunk again = streamReset.handleTimerExpiry(now, rto.rto());
            if (again != null) {
                if (lost && countError("RE-CONFIG request unanswered")) {
                    return;
                }
                pendingControl.add(again);
            }
        }
        flush();
    }

    private void updateTime(long now) {
        if (now > this.now) {
            this.now = now;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Input

    /** Handles one received SCTP packet (the whole array; it is not retained and may be reused at once). */
    public void handleInput(byte[] packet, long now) {
        handleInput(ByteBuffer.wrap(packet), now, false);
    }

    /** Handles one received SCTP packet (the buffer's remaining bytes; position unchanged, not retained). */
    public void handleInput(ByteBuffer packet, long now) {
        handleInput(packet, now, false);
    }

    /**
     * Handles one received SCTP packet (the whole array) and takes ownership of the array: fragments of
     * a message may be kept as views of it until the message is complete, which saves a copy of every
     * byte. The caller must never read or modify the array afterwards (e.g. a freshly decrypted record).
     */
    public void handleOwnedInput(byte[] packet, long now) {
        handleInput(ByteBuffer.wrap(packet), now, true);
    }

    private void handleInput(ByteBuffer packet, long now, boolean owned) {
        updateTime(now);
        SctpPacket p;
        boolean acceptZero = options.zeroChecksumErrorDetectionMethod() != 0;
        try {
            p = SctpPacket.parse(packet, acceptZero);
        } catch (SctpPacketException e) {
            return; // RFC 9260 §6.8: a packet with a bad checksum or format is silently discarded
        }
        if (acceptZero && p.chunks().get(0) instanceof InitChunk
                && packet.getInt(packet.position() + SctpPacket.CHECKSUM_OFFSET) == 0) {
            return; // RFC 9653 §5.3: a packet with INIT always carries a real CRC32C
        }
        if (p.sourcePort() != options.remotePort() || p.destinationPort() != options.localPort()) {
            return;
        }
        if (!acceptVerificationTag(p)) {
            return;
        }
        boolean hadData = false;
        List<Chunk> chunks = p.chunks();
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            if (c instanceof DataChunk d) {
                hadData = true;
                if (!handleData(d, owned)) {
                    return;
                }
            } else if (c instanceof SackChunk s) {
                handleSack(s);
            } else if (c instanceof InitChunk init) {
                handleInit(init);
            } else if (c instanceof InitAckChunk initAck) {
                handleInitAck(initAck);
            } else if (c instanceof CookieEchoChunk echo) {
                if (!handleCookieEcho(echo, p.verificationTag())) {
                    return;
                }
            } else if (c instanceof CookieAckChunk) {
                handleCookieAck();
            } else if (c instanceof HeartbeatRequestChunk hb) {
                if (state != AssociationState.CLOSED) {
                    pendingControl.add(HeartbeatHandler.answer(hb));
                }
            } else if (c instanceof HeartbeatAckChunk hbAck) {
                if (heartbeat.onAck(hbAck, now)) {
                    errorCounter = 0;
                }
            } else if (c instanceof AbortChunk abortChunk) {
                handleAbort(abortChunk);
                return;
            } else if (c instanceof ShutdownChunk s) {
                handleShutdown(s);
            } else if (c instanceof ShutdownAckChunk) {
                handleShutdownAck();
            } else if (c instanceof ShutdownCompleteChunk) {
                handleShutdownComplete();
            } else if (c instanceof ErrorChunk error) {
                handleError(error);
            } else if (c instanceof ForwardTsnChunk fwd) {
                handleForwardTsn(fwd);
            } else if (c instanceof ReConfigChunk reconfig) {
                handleReconfig(reconfig);
            } else if (c instanceof UnknownChunk unknown) {
                // RFC 9260 §3.2: the two high bits of the type say what to do.
                if (unknown.action().report() && state != AssociationState.CLOSED) {
                    pendingControl.add(new ErrorChunk(List.of(new UnrecognizedChunkTypeCause(unknown.toChunkBytes()))));
                }
                if (!unknown.action().skip()) {
                    break;
                }
            }
            if (state == AssociationState.CLOSED) {
                break; // closed by this chunk (SHUTDOWN COMPLETE, failure): the rest is moot
            }
        }
        if (hadData && dataTracker != null) {
            if (dataTracker.packetEnded() || state == AssociationState.SHUTDOWN_SENT) {
                sackNow = true;
            } else if (!delayedAck.isRunning()) {
                delayedAck.start(now, options.delayedAckTimeout());
            }
            if (state == AssociationState.SHUTDOWN_SENT) {
                // §9.2: answer DATA in SHUTDOWN-SENT with SHUTDOWN and restart T2.
                pendingControl.add(new ShutdownChunk(dataTracker.cumulativeTsnAck()));
                t2Shutdown.start(now, rto.rto());
            }
        }
        flush();
    }

    /** RFC 9260 §8.5, §8.5.1: which verification tag each packet must carry. */
    private boolean acceptVerificationTag(SctpPacket p) {
        List<Chunk> chunks = p.chunks();
        Chunk first = chunks.get(0);
        long vtag = p.verificationTag();
        if (first instanceof InitChunk) {
            return vtag == 0 && chunks.size() == 1; // §8.5.1 A: INIT is alone, with tag 0
        }
        if (first instanceof CookieEchoChunk) {
            return true; // checked against the cookie's own tags (§5.2.4)
        }
        if (first instanceof AbortChunk a) {
            return state != AssociationState.CLOSED
                    && ((!a.tagReflected() && vtag == localTag) || (a.tagReflected() && vtag == peerTag));
        }
        if (first instanceof ShutdownCompleteChunk sc) {
            return (!sc.tagReflected() && vtag == localTag) || (sc.tagReflected() && vtag == peerTag);
        }
        if (state == AssociationState.CLOSED) {
            handleOutOfTheBlue(p);
            return false;
        }
        return vtag == localTag;
    }

    /** RFC 9260 §8.4: out-of-the-blue packets. */
    private void handleOutOfTheBlue(SctpPacket p) {
        for (Chunk c : p.chunks()) {
            if (c instanceof AbortChunk || c instanceof ShutdownCompleteChunk || c instanceof CookieAckChunk
                    || c instanceof ErrorChunk) {
                return;
            }
            if (c instanceof ShutdownAckChunk) {
                emitPacket(p.verificationTag(), List.of(new ShutdownCompleteChunk(true)));
                return;
            }
        }
        emitPacket(p.verificationTag(), List.of(new AbortChunk(true, List.of())));
    }

    // ---------------------------------------------------------------------------------------------
    // Handshake: RFC 9260 §5.1, collisions and restarts §5.2

    private List<Parameter> ourCapabilityParameters() {
        List<Parameter> params = new ArrayList<>(3);
        // RFC 8261 / DESIGN: advertise RE-CONFIG and FORWARD-TSN, plus Forward-TSN-Supported.
        params.add(new SupportedExtensionsParameter(List.of(ChunkType.RE_CONFIG, ChunkType.FORWARD_TSN)));
        params.add(new ForwardTsnSupportedParameter());
        if (options.zeroChecksumErrorDetectionMethod() != 0) {
            params.add(new ZeroChecksumAcceptableParameter(options.zeroChecksumErrorDetectionMethod()));
        }
        return params;
    }

    private record PeerCapabilities(boolean forwardTsn, boolean reconfig, long zeroChecksumMethod,
            List<Parameter> unrecognized) {}

    private static PeerCapabilities capabilitiesOf(List<Parameter> params) {
        boolean fwd = false;
        boolean reconfig = false;
        long zc = 0;
        List<Parameter> unrecognized = new ArrayList<>();
        for (Parameter p : params) {
            if (p instanceof ForwardTsnSupportedParameter) {
                fwd = true;
            } else if (p instanceof SupportedExtensionsParameter ext) {
                fwd |= ext.supports(ChunkType.FORWARD_TSN);
                reconfig |= ext.supports(ChunkType.RE_CONFIG);
            } else if (p instanceof ZeroChecksumAcceptableParameter z) {
                zc = z.errorDetectionMethod();
            } else if (p instanceof UnknownParameter u) {
                var action = dev.purertc.sctp.packet.UnrecognizedAction.forParameterType(u.type());
                if (action.report()) {
                    ByteBuffer b = ByteBuffer.allocate(u.encodedLength());
                    u.writeTo(b);
                    unrecognized.add(new UnrecognizedParameter(b.array()));
                }
                if (!action.skip()) {
                    break;
                }
            }
        }
        return new PeerCapabilities(fwd, reconfig, zc, unrecognized);
    }

    private void handleInit(InitChunk init) {
        if (init.initiateTag() == 0 || init.outboundStreams() == 0 || init.inboundStreams() == 0) {
            // §3.3.2: invalid mandatory values; ABORT with the peer's tag (or reflected).
            emitPacket(init.initiateTag(), List.of(new AbortChunk(init.initiateTag() == 0, List.of(
                    new dev.purertc.sctp.packet.InvalidMandatoryParameterCause()))));
            return;
        }
        if (state == AssociationState.SHUTDOWN_ACK_SENT) {
            // §9.2: an INIT in SHUTDOWN-ACK-SENT is answered with SHUTDOWN ACK.
            pendingControl.add(new ShutdownAckChunk());
            return;
        }
        long tag;
        long initialTsn;
        long tieLocal;
        long tiePeer;
        switch (state) {
            case CLOSED -> {
                tag = newTag();
                initialTsn = newTag();
                tieLocal = 0;
                tiePeer = 0;
            }
            case COOKIE_WAIT, COOKIE_ECHOED -> {
                // §5.2.1: answer with the same parameters as our own INIT (the collision case).
                tag = localTag;
                initialTsn = localInitialTsn;
                tieLocal = localTag;
                tiePeer = peerTag;
            }
            default -> {
                // §5.2.2: an INIT in an established association: a new tag and tie-tags (a restart if
                // the COOKIE ECHO comes back).
                tag = newTag();
                initialTsn = newTag();
                tieLocal = localTag;
                tiePeer = peerTag;
            }
        }
        PeerCapabilities caps = capabilitiesOf(init.parameters());
        // §5.2.6: honour a Cookie Preservative by dating the cookie later, at most one lifetime more.
        long extension = init.parameter(CookiePreservativeParameter.class)
                .map(cp -> Math.min(options.cookieLifetime(), cp.lifespanIncrementMillis() * 1_000_000L)).orElse(0L);
        StateCookie cookie = new StateCookie(tag, init.initiateTag(), initialTsn, init.initialTsn(),
                init.advertisedReceiverWindowCredit(), init.outboundStreams(), init.inboundStreams(), tieLocal,
                tiePeer, now + extension, caps.forwardTsn(), caps.reconfig(), caps.zeroChecksumMethod());
        List<Parameter> params = new ArrayList<>(ourCapabilityParameters());
        params.add(new StateCookieParameter(cookie.sign(cookieSecret)));
        params.addAll(caps.unrecognized());
        InitAckChunk initAck = new InitAckChunk(tag, options.receiveWindow(), options.announcedStreams(),
                options.announcedStreams(), initialTsn, params);
        emitPacket(init.initiateTag(), List.of(initAck));
    }

    private void handleInitAck(InitAckChunk initAck) {
        if (state != AssociationState.COOKIE_WAIT) {
            return; // §5.2.3: discard an unexpected INIT ACK
        }
        var cookie = initAck.parameter(StateCookieParameter.class);
        if (cookie.isEmpty()) {
            sendAbortTo(initAck.initiateTag(), new MissingMandatoryParameterCause(List.of(ParameterType.STATE_COOKIE)));
            closeQuietly();
            events.add(new AssociationEvent.Failed("INIT ACK without a state cookie"));
            return;
        }
        if (initAck.initiateTag() == 0) {
            return;
        }
        t1Init.stop();
        peerTag = initAck.initiateTag();
        PeerCapabilities caps = capabilitiesOf(initAck.parameters());
        createTcb(initAck.initialTsn(), initAck.advertisedReceiverWindowCredit(), caps.forwardTsn(), caps.reconfig(),
                caps.zeroChecksumMethod());
        sentCookieEcho = new CookieEchoChunk(cookie.get().cookie());
        state = AssociationState.COOKIE_ECHOED;
        emitPacket(peerTag, List.of(sentCookieEcho));
        t1Cookie.start(now, rto.rto());
    }

    /** @return false when the rest of the packet must be discarded */
    private boolean handleCookieEcho(CookieEchoChunk echo, long packetTag) {
        StateCookie c = StateCookie.verify(cookieSecret, echo.cookie());
        if (c == null || c.localTag() != packetTag) {
            return false; // §5.1.5: a cookie we did not make, or the wrong tag: discard silently
        }
        long age = now - c.createdAt();
        if (age > options.cookieLifetime()) {
            // §5.1.5 3: stale cookie error with the measure of staleness in microseconds.
            long staleMicros = Math.min(0xFFFF_FFFFL, (age - options.cookieLifetime()) / 1000);
            emitPacket(c.peerTag(), List.of(new ErrorChunk(List.of(new StaleCookieCause(staleMicros)))));
            return false;
        }
        if (state == AssociationState.CLOSED) {
            if (everStarted && dataTracker != null) {
                return false; // this association is over; it is never reopened
            }
            everStarted = true;
            establishFromCookie(c, false);
            return true;
        }
        boolean localMatch = c.localTag() == localTag;
        boolean peerMatch = c.peerTag() == peerTag;
        if (!localMatch && !peerMatch && c.localTieTag() == localTag && c.peerTieTag() == peerTag) {
            // §5.2.4 case A: the peer restarted.
            if (state == AssociationState.SHUTDOWN_ACK_SENT) {
                emitPacket(c.peerTag(), List.of(new ErrorChunk(List.of(
                        new dev.purertc.sctp.packet.CookieReceivedWhileShuttingDownCause()))));
                return false;
            }
            establishFromCookie(c, true);
            events.add(new AssociationEvent.Restarted());
            return true;
        }
        if (localMatch && !peerMatch) {
            // §5.2.4 case B: an INIT collision; adopt the peer's tag from the cookie.
            establishFromCookie(c, false);
            return true;
        }
        if (localMatch) {
            // §5.2.4 case D: both tags match.
            establishFromCookie(c, false);
            return true;
        }
        return false; // case C and anything else: discard
    }

    private void establishFromCookie(StateCookie c, boolean restart) {
        boolean wasEstablished = state != AssociationState.CLOSED && state != AssociationState.COOKIE_WAIT
                && state != AssociationState.COOKIE_ECHOED;
        localTag = c.localTag();
        peerTag = c.peerTag();
        if (!wasEstablished || restart) {
            localInitialTsn = c.localInitialTsn();
            if (restart) {
                sendQueue.resetAllSsns();
            }
            createTcb(c.peerInitialTsn(), c.peerReceiveWindow(), c.peerSupportsForwardTsn(),
                    c.peerSupportsReconfig(), c.peerZeroChecksumMethod());
        }
        t1Init.stop();
        t1Cookie.stop();
        pendingControl.add(new CookieAckChunk());
        if (!wasEstablished) {
            enterEstablished();
        } else if (restart) {
            state = AssociationState.ESTABLISHED;
            armHeartbeat();
        }
    }

    private void handleCookieAck() {
        if (state != AssociationState.COOKIE_ECHOED) {
            return;
        }
        t1Cookie.stop();
        enterEstablished();
    }

    private void createTcb(long peerInitialTsn, long peerRwnd, boolean forwardTsn, boolean reconfig, long peerZc) {
        peerSupportsForwardTsn = forwardTsn;
        peerSupportsReconfig = reconfig;
        sendZeroChecksum = options.zeroChecksumErrorDetectionMethod() != 0
                && peerZc == options.zeroChecksumErrorDetectionMethod();
        dataTracker = new DataTracker(peerInitialTsn);
        reassemblyQueue = new ReassemblyQueue(options.maxMessageSize());
        retransmissionQueue = new RetransmissionQueue(sendQueue, rto, options.mtu(), localInitialTsn,
                (long) options.initialCwndMtus() * options.mtu(), peerRwnd, forwardTsn,
                options.queueDelayLimit() ? new QueueDelayLimit() : null);
        streamReset = new StreamResetHandler(localInitialTsn, peerInitialTsn, sendQueue, retransmissionQueue,
                dataTracker, reassemblyQueue, events::add);
        errorCounter = 0;
        undeliveredMessageBytes = 0;
        t3Rtx.stop();
        delayedAck.stop();
    }

    private void enterEstablished() {
        state = AssociationState.ESTABLISHED;
        errorCounter = 0;
        events.add(new AssociationEvent.Connected());
        armHeartbeat();
    }

    private void onT1InitExpired() {
        if (state != AssociationState.COOKIE_WAIT) {
            return;
        }
        if (t1Init.expirations() > options.maxInitRetransmissions()) {
            closeQuietly();
            events.add(new AssociationEvent.Failed("no INIT ACK after " + options.maxInitRetransmissions()
                    + " INIT retransmissions"));
            return;
        }
        emitPacket(0, List.of(sentInit));
        t1Init.rearm(now, Math.min(options.rtoMax(), t1Init.duration() * 2)); // §5.1 C, §6.3.3 E2
    }

    private void onT1CookieExpired() {
        if (state != AssociationState.COOKIE_ECHOED) {
            return;
        }
        if (t1Cookie.expirations() > options.maxInitRetransmissions()) {
            closeQuietly();
            events.add(new AssociationEvent.Failed("no COOKIE ACK after " + options.maxInitRetransmissions()
                    + " COOKIE ECHO retransmissions"));
            return;
        }
        emitPacket(peerTag, List.of(sentCookieEcho));
        t1Cookie.rearm(now, Math.min(options.rtoMax(), t1Cookie.duration() * 2));
    }

    // ---------------------------------------------------------------------------------------------
    // Data: RFC 9260 §6

    /** @return false when the association was aborted */
    private boolean handleData(DataChunk d, boolean owned) {
        if (dataTracker == null || (state != AssociationState.ESTABLISHED
                && state != AssociationState.SHUTDOWN_PENDING && state != AssociationState.SHUTDOWN_SENT)) {
            return true;
        }
        if (d.payloadLength() == 0) {
            // §6.2: a DATA chunk without user data: ABORT with the No User Data cause.
            sendAbort(new NoUserDataCause(d.tsn()));
            closeQuietly();
            events.add(new AssociationEvent.Aborted(false, "peer sent DATA without user data", false));
            return false;
        }
        dataChunksReceived++;
        long tsn = dataTracker.unwrap(d.tsn());
        long buffered = reassemblyQueue.bufferedBytes() + undeliveredMessageBytes;
        if (buffered >= options.receiveWindow() && tsn > dataTracker.highestReceivedUnwrapped()) {
            return true; // §6.2: window closed: drop new data above the highest TSN received
        }
        if (buffered >= 2 * options.receiveWindow()) {
            return true; // a peer ignoring our window: never buffer without bound
        }
        if (d.immediateAck()) {
            dataTracker.requestImmediateAck();
        }
        if (dataTracker.observe(tsn) != DataTracker.Observation.NEW) {
            return true;
        }
        // A message over our max-message-size is dropped with its stream, not the association: the
        // TSNs are still acknowledged, so the peer's sender moves on (see ReassemblyQueue).
        reassemblyQueue.add(tsn, d.streamId(), d.ssn(), d.ppid(), d.unordered(), d.beginning(), d.ending(),
                d.payloadArray(), d.payloadOffset(), d.payloadLength(), owned);
        drainReassembly();
        return true;
    }

    private void drainReassembly() {
        OversizedMessage o;
        while ((o = reassemblyQueue.pollOversized()) != null) {
            events.add(new AssociationEvent.OversizedMessageDropped(o.streamId(), o.bytes(), o.maxMessageSize(),
                    o.reason()));
        }
        ReceivedMessage m;
        while ((m = reassemblyQueue.poll()) != null) {
            undeliveredMessageBytes += m.payload().length;
            events.add(new AssociationEvent.MessageReceived(m.streamId(), m.ppid(), m.unordered(), m.payload()));
        }
    }

    /**
     * After the peer saw a (nearly) closed window, reading messages reopens it: send a window update
     * SACK (RFC 9260 §6.2) at the next {@link #advanceTime} instead of waiting for the peer's probe.
     */
    private void maybeScheduleWindowUpdate() {
        if (dataTracker != null && state == AssociationState.ESTABLISHED && lastAdvertisedRwnd < 2L * options.mtu()
                && advertisedReceiveWindow() >= options.receiveWindow() / 4) {
            lastAdvertisedRwnd = advertisedReceiveWindow();
            dataTracker.markAckDue();
            delayedAck.start(now, 0);
        }
    }

    private long lastAdvertisedRwnd = Long.MAX_VALUE;

    private long advertisedReceiveWindow() {
        long used = reassemblyQueue.bufferedBytes() + undeliveredMessageBytes;
        return Math.max(0, options.receiveWindow() - used);
    }

    private final int[] gapScratch = new int[2 * DataTracker.MAX_GAP_BLOCKS];

    private SackChunk buildSack() {
        int n = dataTracker.gapAckBlocks(gapScratch);
        List<SackChunk.GapAckBlock> gaps = List.of();
        if (n > 0) {
            SackChunk.GapAckBlock[] blocks = new SackChunk.GapAckBlock[n];
            for (int i = 0; i < n; i++) {
                blocks[i] = new SackChunk.GapAckBlock(gapScratch[2 * i], gapScratch[2 * i + 1]);
            }
            gaps = List.of(blocks);
        }
        long[] dups = dataTracker.duplicateTsns();
        List<Long> dupList = List.of();
        if (dups.length > 0) {
            Long[] boxed = new Long[dups.length];
            for (int i = 0; i < dups.length; i++) {
                boxed[i] = dups[i];
            }
            dupList = List.of(boxed);
        }
        lastAdvertisedRwnd = advertisedReceiveWindow();
        SackChunk sack = new SackChunk(dataTracker.cumulativeTsnAck(), lastAdvertisedRwnd, gaps, dupList);
        dataTracker.sackSent();
        delayedAck.stop();
        sackNow = false;
        return sack;
    }

    /**
     * Scratch for a received SACK's gap blocks and duplicate TSNs, grown on demand up to 1,024 blocks and
     * 256 duplicates (what is read of one SACK): an idle association holds a few hundred bytes, not 10 KiB.
     */
    private static final int MAX_SACK_GAP_BLOCKS = 1024;
    private static final int MAX_SACK_DUPLICATES = 256;
    private int[] sackGapScratch = new int[2 * 16];

    private void handleSack(SackChunk sack) {
        if (retransmissionQueue == null || state == AssociationState.COOKIE_WAIT) {
            return;
        }
        sacksReceived++;
        if (!sack.gapAckBlocks().isEmpty()) {
            sacksWithGapsReceived++;
        }
        int n = Math.min(sack.gapAckBlocks().size(), MAX_SACK_GAP_BLOCKS);
        if (2 * n > sackGapScratch.length) {
            sackGapScratch = new int[Math.min(2 * MAX_SACK_GAP_BLOCKS, Math.max(2 * n, 2 * sackGapScratch.length))];
        }
        for (int i = 0; i < n; i++) {
            SackChunk.GapAckBlock g = sack.gapAckBlocks().get(i);
            sackGapScratch[2 * i] = g.start();
            sackGapScratch[2 * i + 1] = g.end();
        }
        List<Long> dups = sack.duplicateTsns();
        int d = Math.min(dups.size(), MAX_SACK_DUPLICATES);
        if (d > sackDupScratch.length) {
            sackDupScratch = new long[Math.min(MAX_SACK_DUPLICATES, Math.max(d, 2 * sackDupScratch.length))];
        }
        for (int i = 0; i < d; i++) {
            sackDupScratch[i] = dups.get(i);
        }
        applySack(sack.cumulativeTsnAck(), sack.advertisedReceiverWindowCredit(), sackGapScratch, n, d);
    }

    private long[] sackDupScratch = new long[16];
    private long sacksReceived;
    private long sacksWithGapsReceived;
    private long dataChunksReceived;

    private void applySack(long cumTsnAck, long arwnd, int[] gaps, int gapCount) {
        applySack(cumTsnAck, arwnd, gaps, gapCount, 0);
    }

    private void applySack(long cumTsnAck, long arwnd, int[] gaps, int gapCount, int dupCount) {
        RetransmissionQueue.SackResult r = retransmissionQueue.handleSack(cumTsnAck, arwnd, gaps, gapCount,
                sackDupScratch, dupCount, now);
        if (r == RetransmissionQueue.SackResult.IGNORED) {
            return;
        }
        // The peer is alive: §8.1 / §8.3 reset the error counter on acknowledgement.
        errorCounter = 0;
        if (retransmissionQueue.hasOutstanding()) {
            if (r == RetransmissionQueue.SackResult.ACKED_NEW_DATA || !t3Rtx.isRunning()) {
                t3Rtx.start(now, rto.rto()); // §6.3.2 R3
            }
        } else {
            t3Rtx.stop(); // §6.3.2 R2
        }
        progressShutdown();
    }

    private void onT3Expired() {
        if (retransmissionQueue == null || !retransmissionQueue.hasOutstanding()) {
            return;
        }
        if (countError("retransmission limit reached (T3-rtx)")) {
            return;
        }
        retransmissionQueue.handleT3Expiry(now);
        t3Rtx.start(now, rto.rto()); // §6.3.3 E3 after the backoff of E2
    }

    /** Counts a failure toward Association.Max.Retrans (§8.1). @return true when the association failed */
    private boolean countError(String reason) {
        errorCounter++;
        if (errorCounter > options.maxRetransmissions()) {
            sendAbort(ProtocolViolationCause.ofInfo(reason));
            closeQuietly();
            events.add(new AssociationEvent.Failed(reason));
            return true;
        }
        return false;
    }

    private void handleForwardTsn(ForwardTsnChunk fwd) {
        if (dataTracker == null || state == AssociationState.COOKIE_WAIT) {
            return;
        }
        long newCum = dataTracker.unwrap(fwd.newCumulativeTsn());
        dataTracker.forwardTo(newCum);
        int[] ids = new int[fwd.skippedStreams().size()];
        int[] ssns = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = fwd.skippedStreams().get(i).streamId();
            ssns[i] = fwd.skippedStreams().get(i).ssn();
        }
        reassemblyQueue.forwardTsn(newCum, ids, ssns); // only what the sender skipped, not what followed
        drainReassembly();
        sackNow = true; // RFC 3758 §3.6: answer a FORWARD TSN with a SACK at once
    }

    private void handleReconfig(ReConfigChunk reconfig) {
        if (streamReset == null || state == AssociationState.COOKIE_WAIT) {
            return;
        }
        ReConfigChunk response = streamReset.handle(reconfig, now, rto.rto());
        if (response != null) {
            pendingControl.add(response);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Heartbeat: RFC 9260 §8.3

    private void armHeartbeat() {
        heartbeat.start(now);
    }

    private void onHeartbeatTimer() {
        if (state == AssociationState.CLOSED || state == AssociationState.COOKIE_WAIT
                || state == AssociationState.COOKIE_ECHOED) {
            return;
        }
        if (heartbeat.previousUnanswered() && countError("heartbeat unanswered")) {
            return;
        }
        pendingControl.add(heartbeat.onTimerExpired(now));
    }

    // ---------------------------------------------------------------------------------------------
    // Shutdown and abort: RFC 9260 §9

    private void progressShutdown() {
        if (retransmissionQueue == null) {
            return;
        }
        boolean drained = !sendQueue.hasDataToSend() && retransmissionQueue.isEmpty();
        if (state == AssociationState.SHUTDOWN_PENDING && drained) {
            state = AssociationState.SHUTDOWN_SENT;
            pendingControl.add(new ShutdownChunk(dataTracker.cumulativeTsnAck()));
            t3Rtx.stop();
            t2Shutdown.start(now, rto.rto());
        } else if (state == AssociationState.SHUTDOWN_RECEIVED && drained) {
            state = AssociationState.SHUTDOWN_ACK_SENT;
            pendingControl.add(new ShutdownAckChunk());
            t3Rtx.stop();
            t2Shutdown.start(now, rto.rto());
        }
    }

    private void handleShutdown(ShutdownChunk s) {
        if (retransmissionQueue == null) {
            return;
        }
        switch (state) {
            case ESTABLISHED, SHUTDOWN_PENDING -> {
                applySack(s.cumulativeTsnAck(), retransmissionQueue.peerRwnd() + retransmissionQueue.inFlightBytes(),
                        new int[0], 0);
                state = AssociationState.SHUTDOWN_RECEIVED;
                heartbeat.stop();
                progressShutdown();
            }
            case SHUTDOWN_SENT -> {
                // §9.2: both sides shut down at once.
                state = AssociationState.SHUTDOWN_ACK_SENT;
                pendingControl.add(new ShutdownAckChunk());
                t2Shutdown.start(now, rto.rto());
            }
            case SHUTDOWN_RECEIVED -> applySack(s.cumulativeTsnAck(),
                    retransmissionQueue.peerRwnd() + retransmissionQueue.inFlightBytes(), new int[0], 0);
            default -> { }
        }
    }

    private void handleShutdownAck() {
        if (state == AssociationState.SHUTDOWN_SENT || state == AssociationState.SHUTDOWN_ACK_SENT) {
            emitPacket(peerTag, List.of(new ShutdownCompleteChunk(false)));
            closeQuietly();
            events.add(new AssociationEvent.Closed());
        }
    }

    private void handleShutdownComplete() {
        if (state == AssociationState.SHUTDOWN_ACK_SENT) {
            closeQuietly();
            events.add(new AssociationEvent.Closed());
        }
    }

    private void onT2ShutdownExpired() {
        if (countError("no answer to SHUTDOWN")) {
            return;
        }
        rto.backOff();
        if (state == AssociationState.SHUTDOWN_SENT) {
            pendingControl.add(new ShutdownChunk(dataTracker.cumulativeTsnAck()));
        } else if (state == AssociationState.SHUTDOWN_ACK_SENT) {
            pendingControl.add(new ShutdownAckChunk());
        } else {
            return;
        }
        t2Shutdown.rearm(now, rto.rto());
    }

    private void handleAbort(AbortChunk abortChunk) {
        if (state == AssociationState.CLOSED) {
            return;
        }
        StringBuilder reason = new StringBuilder();
        boolean userInitiated = true; // no cause at all: the peer gave no error either
        for (ErrorCause cause : abortChunk.causes()) {
            if (reason.length() > 0) {
                reason.append("; ");
            }
            if (cause instanceof UserInitiatedAbortCause u) {
                reason.append(u.reasonString());
            } else if (cause instanceof ProtocolViolationCause pv) {
                reason.append(pv.infoString());
                userInitiated = false;
            } else {
                reason.append(cause);
                userInitiated = false;
            }
        }
        closeQuietly();
        events.add(new AssociationEvent.Aborted(true, reason.toString(), userInitiated));
    }

    private void handleError(ErrorChunk error) {
        for (ErrorCause cause : error.causes()) {
            if (cause instanceof StaleCookieCause stale && state == AssociationState.COOKIE_ECHOED) {
                // §5.2.6: start over with an INIT asking for a longer cookie life (Cookie Preservative,
                // twice the staleness), a bounded number of times.
                t1Cookie.stop();
                if (++staleCookieRetries > options.maxInitRetransmissions()) {
                    closeQuietly();
                    events.add(new AssociationEvent.Failed("peer keeps reporting stale cookies"));
                    return;
                }
                long incrementMillis = Math.min(0xFFFF_FFFFL, Math.max(1, stale.measureOfStalenessMicros() / 500));
                List<Parameter> params = new ArrayList<>();
                for (Parameter p : sentInit.parameters()) {
                    if (!(p instanceof CookiePreservativeParameter)) {
                        params.add(p);
                    }
                }
                params.add(new CookiePreservativeParameter(incrementMillis));
                sentInit = new InitChunk(sentInit.initiateTag(), sentInit.advertisedReceiverWindowCredit(),
                        sentInit.outboundStreams(), sentInit.inboundStreams(), sentInit.initialTsn(), params);
                state = AssociationState.COOKIE_WAIT;
                emitPacket(0, List.of(sentInit));
                t1Init.start(now, rto.rto());
                return;
            }
            events.add(new AssociationEvent.PeerError(cause.toString()));
        }
    }

    private void sendAbort(ErrorCause cause) {
        if (state != AssociationState.CLOSED && peerTag != 0) {
            sendAbortTo(peerTag, cause);
        }
    }

    private void sendAbortTo(long tag, ErrorCause cause) {
        emitPacket(tag, List.of(new AbortChunk(false, List.of(cause))));
    }

    private void closeQuietly() {
        state = AssociationState.CLOSED;
        t1Init.stop();
        t1Cookie.stop();
        t2Shutdown.stop();
        t3Rtx.stop();
        delayedAck.stop();
        heartbeat.stop();
        pacingDeadline = Long.MAX_VALUE;
        if (streamReset != null) {
            streamReset.timer().stop();
        }
        pendingControl.clear();
    }

    // ---------------------------------------------------------------------------------------------
    // Output

    private boolean canSendData() {
        return state == AssociationState.ESTABLISHED || state == AssociationState.SHUTDOWN_PENDING
                || state == AssociationState.SHUTDOWN_RECEIVED;
    }

    private final ArrayList<Chunk> packetChunks = new ArrayList<>();

    /** Builds and queues packets: control chunks, a SACK when due, FORWARD TSN, then DATA (§6.10 bundling). */
    private void flush() {
        if (state == AssociationState.CLOSED || dataTracker == null) {
            if (!pendingControl.isEmpty() && state != AssociationState.CLOSED) {
                emitPacket(peerTag, List.copyOf(pendingControl));
                pendingControl.clear();
            }
            return;
        }
        if (state == AssociationState.ESTABLISHED && streamReset.isBusy()) {
            ReConfigChunk request = streamReset.maybeCreateRequest(now, rto.rto());
            if (request != null) {
                pendingControl.add(request);
            }
        }
        int mtu = options.mtu();
        int dataPackets = 0;
        boolean sentData = false;
        boolean heldByPacer = false;
        pacingDeadline = Long.MAX_VALUE;
        if (pacer != null) {
            pacer.updateRate(retransmissionQueue.cwnd(), rto.hasMeasurement() ? rto.srtt() : 0,
                    retransmissionQueue.isInSlowStart(), now);
        }
        while (true) {
            ArrayList<Chunk> chunks = packetChunks;
            chunks.clear();
            int size = SctpPacket.COMMON_HEADER_LENGTH;
            // RFC 9260 §6.1 Max.Burst bounds what one event sends; once the pacer has a rate, its bucket
            // bounds bursts in time instead, and a per-event cap would only throttle a receiver that
            // acknowledges a batch with one SACK (4 packets per SACK of 8).
            boolean burstOpen = dataPackets < options.maxBurst() || (pacer != null && pacer.bytesPerSecond() > 0);
            boolean dataAllowed = canSendData() && burstOpen;
            if (dataAllowed && pacer != null && !pacer.canSend(mtu, now)) {
                dataAllowed = false;
                heldByPacer = true;
            }
            boolean willSendData = dataAllowed && retransmissionQueue.hasSomethingToSend();
            boolean sackOnly = !willSendData && pendingControl.isEmpty()
                    && !(peerSupportsForwardTsn && retransmissionQueue.isForwardTsnPending() && canSendData());
            if (dataTracker.isAckDue() && sackNow && sackOnly) {
                // A SACK alone is built when the packet is polled: the packets a driver hands over
                // before it polls (one receive batch) are then acknowledged by one SACK, not one each.
                sackAtPoll = true;
            } else if (dataTracker.isAckDue() && (sackNow || willSendData)) {
                SackChunk sack = buildSack();
                chunks.add(sack);
                size += sack.encodedLength();
            }
            while (!pendingControl.isEmpty() && size + pendingControl.get(0).encodedLength() <= mtu) {
                Chunk c = pendingControl.remove(0);
                chunks.add(c);
                size += c.encodedLength();
            }
            if (peerSupportsForwardTsn && retransmissionQueue.isForwardTsnPending() && canSendData()) {
                ForwardTsnPlan plan = retransmissionQueue.takeForwardTsn();
                List<ForwardTsnChunk.SkippedStream> skipped = new ArrayList<>(plan.streamIds().length);
                for (int i = 0; i < plan.streamIds().length; i++) {
                    skipped.add(new ForwardTsnChunk.SkippedStream(plan.streamIds()[i], plan.ssns()[i]));
                }
                ForwardTsnChunk fwd = new ForwardTsnChunk(plan.newCumulativeTsn(), skipped);
                if (size + fwd.encodedLength() <= mtu) {
                    chunks.add(fwd);
                    size += fwd.encodedLength();
                }
            }
            boolean hasData = false;
            if (dataAllowed) {
                RetransmissionQueue.SentChunk sc;
                while (size + DataChunk.HEADER_LENGTH < mtu
                        && (sc = retransmissionQueue.nextChunk(now, mtu - size)) != null) {
                    var f = sc.fragment();
                    DataChunk dc = new DataChunk(sc.tsn(), f.streamId(), f.ssn(), f.ppid(), f.unordered(),
                            f.beginning(), f.ending(), false, f.payloadArray(), f.payloadOffset(), f.payloadLength());
                    chunks.add(dc);
                    size += dc.encodedLength();
                    hasData = true;
                }
            }
            if (chunks.isEmpty()) {
                break;
            }
            emitPacket(peerTag, List.copyOf(chunks)); // SctpPacket keeps an immutable list as is
            if (hasData) {
                dataPackets++;
                sentData = true;
                if (pacer != null) {
                    pacer.onSent(size, now);
                }
            }
        }
        if (heldByPacer && retransmissionQueue.hasSomethingToSend()) {
            pacer.onDelayed();
            pacingDeadline = pacer.nextSendTime(mtu, now);
        }
        if (sentData) {
            if (!t3Rtx.isRunning()) {
                t3Rtx.start(now, rto.rto()); // §6.3.2 R1
            }
            heartbeat.pathUsed(now);
        }
        Integer low;
        while ((low = sendQueue.pollBufferedAmountLow()) != null) {
            events.add(new AssociationEvent.BufferedAmountLow(low));
        }
        if (dataTracker.isAckDue() && !sackNow && !delayedAck.isRunning()) {
            delayedAck.start(now, options.delayedAckTimeout());
        }
        progressShutdownAfterFlush();
    }

    private void progressShutdownAfterFlush() {
        if ((state == AssociationState.SHUTDOWN_PENDING || state == AssociationState.SHUTDOWN_RECEIVED)
                && !sendQueue.hasDataToSend() && retransmissionQueue.isEmpty()) {
            progressShutdown();
            if (!pendingControl.isEmpty()) {
                emitPacket(peerTag, List.copyOf(pendingControl));
                pendingControl.clear();
            }
        }
    }

    private void emitPacket(long verificationTag, List<Chunk> chunks) {
        SctpPacket p = new SctpPacket(options.localPort(), options.remotePort(), verificationTag, chunks);
        boolean zero = sendZeroChecksum && !(chunks.get(0) instanceof InitChunk);
        outgoingPackets.add(new PendingPacket(p, zero));
    }

    private long newTag() {
        long t;
        do {
            t = random.nextInt() & 0xFFFF_FFFFL;
        } while (t == 0);
        return t;
    }

    // ---------------------------------------------------------------------------------------------
    // Introspection for tests and statistics

    /** Congestion window in bytes (0 before the TCB exists). */
    public long congestionWindow() {
        return retransmissionQueue == null ? 0 : retransmissionQueue.cwnd();
    }

    /** T3-rtx expiries so far (each collapses cwnd to one MTU, RFC 9260 §7.2.3). */
    public long t3Expiries() {
        return retransmissionQueue == null ? 0 : retransmissionQueue.t3Expiries();
    }

    /** Fast recovery episodes so far (RFC 9260 §7.2.4): each halves cwnd. */
    public long fastRecoveries() {
        return retransmissionQueue == null ? 0 : retransmissionQueue.fastRecoveries();
    }

    /** Times DATA was ready but waited for the pacer (0 with pacing off). */
    public long pacingDelays() {
        return pacer == null ? 0 : pacer.packetsDelayed();
    }

    /** SACKs received so far, and of those, how many carried gap ack blocks (statistics: loss toward the peer). */
    public long sacksReceived() {
        return sacksReceived;
    }

    /** SACKs received that carried gap ack blocks: the peer saw a hole (loss or reordering). */
    public long sacksWithGapsReceived() {
        return sacksWithGapsReceived;
    }

    /** DATA chunks received (each counted on arrival, duplicates included). */
    public long dataChunksReceived() {
        return dataChunksReceived;
    }

    /** DATA chunks that arrived again after being received: the peer retransmitted what had arrived. */
    public long duplicateDataChunksReceived() {
        return dataTracker == null ? 0 : dataTracker.duplicatesReceived();
    }

    /** Smoothed RTT in nanoseconds (RFC 9260 §6.3.1), 0 before the first measurement. */
    public long smoothedRtt() {
        return rto.srtt();
    }

    /** Current RTO in nanoseconds. */
    public long currentRto() {
        return rto.rto();
    }

    /**
     * Messages abandoned under partial reliability (RFC 3758) so far: after (re)transmission, or
     * because their lifetime ended while still queued.
     */
    public long abandonedMessages() {
        return sendQueue.expiredBeforeSending()
                + (retransmissionQueue == null ? 0 : retransmissionQueue.abandonedMessages());
    }

    /** True when the peer advertised RE-CONFIG (RFC 6525), so {@link #resetStreams} can be used. */
    public boolean peerSupportsStreamReset() {
        return peerSupportsReconfig;
    }

    /** True when the peer advertised FORWARD TSN (RFC 3758), so partial reliability is effective. */
    public boolean peerSupportsPartialReliability() {
        return peerSupportsForwardTsn;
    }

    /** Our verification tag (for tests of the handshake). */
    public long localVerificationTag() {
        return localTag;
    }

    /** The peer's verification tag. */
    public long peerVerificationTag() {
        return peerTag;
    }
}
