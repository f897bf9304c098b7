package dev.purertc.sctp.channel;

import dev.purertc.sctp.Association;
import dev.purertc.sctp.AssociationEvent;
import dev.purertc.sctp.AssociationState;
import dev.purertc.sctp.SendOptions;
import dev.purertc.sctp.SendStatus;
import dev.purertc.sctp.dcep.ChannelType;
import dev.purertc.sctp.dcep.DcepAck;
import dev.purertc.sctp.dcep.DcepMessage;
import dev.purertc.sctp.dcep.DcepOpen;
import dev.purertc.sctp.dcep.DcepParseException;
import dev.purertc.sctp.dcep.Ppid;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data channels of one peer connection (RFC 8831, DCEP RFC 8832) over one {@link Association}.
 * Sans-I/O like the association: feed it packets and time, poll packets and the next deadline; it
 * dispatches association events to channels and listeners as it goes.
 *
 * <p>Stream ids follow the DTLS role (RFC 8832 §6): the DTLS client uses even ids, the server odd.
 * DCEP OPEN/ACK travel ordered and reliable on the channel's stream with PPID 50. A channel we open
 * becomes OPEN when the peer's DATA_CHANNEL_ACK arrives; one the peer opens is OPEN at once.
 *
 * <p>Threading: confined to one thread (the connection's event loop), as is the association; every
 * listener is called on that thread, synchronously.
 */
public final class DataChannels {
    /** Connection-level callbacks. */
    public interface Listener {
        /** The peer opened a channel (DCEP OPEN received); it is already OPEN. */
        default void onDataChannel(DataChannel channel) {}

        default void onConnected() {}

        /**
         * The association ended (closed, aborted or failed); every channel is CLOSED. When it ended in
         * error (a failure, or an abort for a protocol error, rather than a close either application asked
         * for), each channel got an error event first.
         */
        default void onAssociationEnded(AssociationEvent reason) {}
    }

    private final Association association;
    private final boolean dtlsClient;
    private final Map<Integer, DataChannel> channels = new TreeMap<>();
    private final List<DataChannel> awaitingConnection = new ArrayList<>();
    private Listener listener = new Listener() {};
    private long remoteMaxMessageSize = 65536; // SDP: an absent a=max-message-size means 65536
    private boolean connected;
    private boolean dispatching;
    /** The application ended the association ({@link #close}, {@link #shutdown}): channels close quietly. */
    private boolean endRequested;

    /**
     * @param association the association to run channels on (not yet connected or connected)
     * @param dtlsClient true when this side is the DTLS client (even stream ids)
     */
    public DataChannels(Association association, boolean dtlsClient) {
        this.association = association;
        this.dtlsClient = dtlsClient;
        this.connected = association.state() == AssociationState.ESTABLISHED;
    }

    public Association association() {
        return association;
    }

    public void setListener(Listener listener) {
        this.listener = listener == null ? new Listener() {} : listener;
    }

    /**
     * The peer's a=max-message-size (0 means no limit, RFC 8841 §6). The send limit is the smaller of
     * it and our own {@code SctpOptions.maxMessageSize()}.
     */
    public void setRemoteMaxMessageSize(long bytes) {
        this.remoteMaxMessageSize = bytes == 0 ? Long.MAX_VALUE : bytes;
    }

    public long maxMessageSize() {
        return Math.min(remoteMaxMessageSize, association.options().maxMessageSize());
    }

    public Collection<DataChannel> channels() {
        return List.copyOf(channels.values());
    }

    public DataChannel channel(int id) {
        return channels.get(id);
    }

    // ---- sans-I/O plumbing ----------------------------------------------------------------------

    public void connect(long now) {
        association.connect(now);
        dispatch();
    }

    public void handleInput(ByteBuffer packet, long now) {
        association.handleInput(packet, now);
        dispatch();
    }

    public void handleInput(byte[] packet, long now) {
        association.handleInput(packet, now);
        dispatch();
    }

    /**
     * Like {@link #handleInput(byte[], long)}, but hands the array over (see
     * {@link Association#handleOwnedInput}): saves a copy of received data; never touch the array again.
     */
    public void handleOwnedInput(byte[] packet, long now) {
        association.handleOwnedInput(packet, now);
        dispatch();
    }

    public void advanceTime(long now) {
        association.advanceTime(now);
        dispatch();
    }

    /**
     * The application closes the connection (the browser's {@code pc.close()}): ABORT with a User-Initiated
     * Abort cause, and every channel closes without an error event, here and at the peer.
     */
    public void close(String reason, long now) {
        endRequested = true;
        association.abort(reason, now);
        dispatch();
    }

    /**
     * The application closes the connection without losing data: graceful SHUTDOWN (RFC 9260 §9.2); the
     * channels close without an error event once it completes.
     */
    public void shutdown(long now) {
        endRequested = true;
        association.shutdown(now);
        dispatch();
    }

    public byte[] pollOutgoingPacket() {
        return association.pollOutgoingPacket();
    }

    /** Writes the next packet into a reusable buffer; see {@link Association#pollOutgoingPacket(ByteBuffer)}. */
    public int pollOutgoingPacket(ByteBuffer out) {
        return association.pollOutgoingPacket(out);
    }

    public long nextTimeoutNanos() {
        return association.nextTimeoutNanos();
    }

    void afterUserCall() {
        dispatch();
    }

    // ---- channels -------------------------------------------------------------------------------

    /**
     * Creates a channel (RTCPeerConnection.createDataChannel). On a connected association the channel is
     * open when this returns (a negotiated one, or one whose DATA_CHANNEL_OPEN is queued), and its open event
     * has gone to the listener it was created with: use {@link #createDataChannel(String, DataChannelInit,
     * DataChannelListener)} to receive it.
     */
    public DataChannel createDataChannel(String label, DataChannelInit init) {
        return createDataChannel(label, init, null);
    }

    /** Creates a channel whose events, its open event included, go to {@code listener} (null: none). */
    public DataChannel createDataChannel(String label, DataChannelInit init, DataChannelListener listener) {
        int id = init.id() >= 0 ? init.id() : allocateId();
        if (channels.containsKey(id)) {
            throw new IllegalArgumentException("stream id " + id + " is in use");
        }
        DataChannel channel = new DataChannel(this, id, label, init);
        if (listener != null) {
            channel.setListener(listener);
        }
        channels.put(id, channel);
        association.setBufferedAmountLowThreshold(id, 0); // a reused id starts from the default
        if (connected) {
            start(channel);
        } else {
            awaitingConnection.add(channel);
        }
        return channel;
    }

    private int allocateId() {
        for (int id = dtlsClient ? 0 : 1; id <= 65534; id += 2) {
            if (!channels.containsKey(id)) {
                return id;
            }
        }
        throw new IllegalStateException("no free stream id");
    }

    private void start(DataChannel channel) {
        if (channel.negotiated()) {
            open(channel);
            return;
        }
        DataChannelInit init = new DataChannelInit(channel.ordered(), channel.maxRetransmits(),
                channel.maxPacketLifeTimeMillis(), channel.protocol(), false, channel.id(), channel.priority());
        byte[] open = new DcepOpen(channelTypeOf(init), init.priority(), reliabilityOf(init), channel.label(),
                channel.protocol()).toBytes();
        channel.openSent = true;
        SendStatus status = association.send(channel.id(), Ppid.DCEP, open, SendOptions.RELIABLE_ORDERED);
        if (status != SendStatus.SUCCESS) {
            channel.listener().onError(channel, "DATA_CHANNEL_OPEN not sent: " + status);
            finishClose(channel);
            return;
        }
        // RFC 8832 §6: the opener may send at once, without waiting for the ACK; as browsers do, its channel
        // is open as soon as the OPEN is queued on a connected association, a round trip before the ACK.
        channel.awaitingAck = true;
        open(channel);
    }

    private static ChannelType channelTypeOf(DataChannelInit init) {
        if (init.maxRetransmits() >= 0) {
            return init.ordered() ? ChannelType.PARTIAL_RELIABLE_REXMIT : ChannelType.PARTIAL_RELIABLE_REXMIT_UNORDERED;
        }
        if (init.maxPacketLifeTimeMillis() >= 0) {
            return init.ordered() ? ChannelType.PARTIAL_RELIABLE_TIMED : ChannelType.PARTIAL_RELIABLE_TIMED_UNORDERED;
        }
        return init.ordered() ? ChannelType.RELIABLE : ChannelType.RELIABLE_UNORDERED;
    }

    private static long reliabilityOf(DataChannelInit init) {
        if (init.maxRetransmits() >= 0) {
            return init.maxRetransmits();
        }
        return Math.max(0, init.maxPacketLifeTimeMillis());
    }

    private void open(DataChannel channel) {
        channel.setState(ReadyState.OPEN);
        channel.listener().onOpen(channel);
    }

    void closeChannel(DataChannel channel) {
        channel.setState(ReadyState.CLOSING);
        channel.listener().onClosing(channel);
        if (association.state() != AssociationState.ESTABLISHED || !association.peerSupportsStreamReset()) {
            // Without RE-CONFIG the stream cannot be reset: the channel just ends on our side.
            finishClose(channel);
            return;
        }
        association.resetStreams(List.of(channel.id()));
        dispatch();
    }

    private void finishClose(DataChannel channel) {
        if (channel.readyState() == ReadyState.CLOSED) {
            return;
        }
        channel.setState(ReadyState.CLOSED);
        channels.remove(channel.id(), channel);
        channel.listener().onClose(channel);
    }

    // ---- association events ---------------------------------------------------------------------

    private void dispatch() {
        if (dispatching) {
            return; // a listener called back into us; the outer loop picks up new events
        }
        dispatching = true;
        try {
            AssociationEvent e;
            while ((e = association.pollEvent()) != null) {
                handle(e);
            }
        } finally {
            dispatching = false;
        }
    }

    private void handle(AssociationEvent e) {
        if (e instanceof AssociationEvent.Connected) {
            connected = true;
            listener.onConnected();
            List<DataChannel> pending = new ArrayList<>(awaitingConnection);
            awaitingConnection.clear();
            for (DataChannel c : pending) {
                if (c.readyState() == ReadyState.CONNECTING) {
                    start(c); // a channel closed before the connection came up stays closed
                }
            }
        } else if (e instanceof AssociationEvent.MessageReceived m) {
            onMessage(m);
        } else if (e instanceof AssociationEvent.BufferedAmountLow low) {
            DataChannel c = channels.get(low.streamId());
            if (c != null && c.readyState() != ReadyState.CLOSED && c.userDataQueued) {
                c.userDataQueued = false;
                c.listener().onBufferedAmountLow(c);
            }
        } else if (e instanceof AssociationEvent.OversizedMessageDropped oversized) {
            // The peer ignored our max-message-size: this channel can no longer deliver its messages in
            // order, so it closes (the browser's error event, then close); the others go on.
            DataChannel c = channels.get(oversized.streamId());
            if (c != null && c.readyState() != ReadyState.CLOSED) {
                c.listener().onError(c, oversized.reason() + ": the channel closes");
                if (c.readyState() != ReadyState.CLOSING) {
                    closeChannel(c);
                }
            }
        } else if (e instanceof AssociationEvent.IncomingStreamsReset reset) {
            for (int id : reset.streamIds()) {
                DataChannel c = channels.get(id);
                if (c == null) {
                    continue;
                }
                c.incomingReset = true;
                if (!c.outgoingReset && c.readyState() != ReadyState.CLOSING) {
                    // The peer closed: reset our side too (RFC 8831 §6.7).
                    c.setState(ReadyState.CLOSING);
                    c.listener().onClosing(c);
                    if (association.state() == AssociationState.ESTABLISHED) {
                        association.resetStreams(List.of(id));
                    } else {
                        c.outgoingReset = true; // shutting down: nothing more will be sent on it
                    }
                }
                if (c.outgoingReset) {
                    finishClose(c);
                }
            }
        } else if (e instanceof AssociationEvent.OutgoingStreamsReset reset) {
            for (int id : reset.streamIds()) {
                DataChannel c = channels.get(id);
                if (c == null) {
                    continue;
                }
                c.outgoingReset = true;
                if (c.incomingReset) {
                    finishClose(c);
                }
            }
        } else if (e instanceof AssociationEvent.StreamsResetFailed failed) {
            for (int id : failed.streamIds()) {
                DataChannel c = channels.get(id);
                if (c != null) {
                    c.listener().onError(c, "stream reset refused: " + failed.reason());
                    finishClose(c);
                }
            }
        } else if (e instanceof AssociationEvent.Closed || e instanceof AssociationEvent.Aborted
                || e instanceof AssociationEvent.Failed) {
            // W3C WebRTC §6.2 (closing procedure): a transport that ends with an error fires the channel's
            // error event before close, so a failure is loud; a close either side asked for is not an error.
            String error = endedInError(e) ? describeEnd(e) : null;
            for (DataChannel c : List.copyOf(channels.values())) {
                if (error != null && c.readyState() != ReadyState.CLOSED) {
                    c.listener().onError(c, error);
                }
                finishClose(c);
            }
            awaitingConnection.clear(); // they were in channels too: closed above
            listener.onAssociationEnded(e);
        }
    }

    /**
     * Whether the end is an error for the channels: neither this application ({@link #close},
     * {@link #shutdown}) nor the peer's (its graceful SHUTDOWN, or an ABORT with no error cause) asked
     * for it. A failure (RFC 9260 §8.1), or an abort caused by a protocol error, is one.
     */
    private boolean endedInError(AssociationEvent e) {
        if (endRequested) {
            return false;
        }
        if (e instanceof AssociationEvent.Closed) {
            return false; // only the peer can have started a SHUTDOWN we did not ask for
        }
        if (e instanceof AssociationEvent.Aborted a) {
            return !(a.byPeer() && a.userInitiated());
        }
        return true;
    }

    /** Why the association ended, in words: the channels' error events use it. */
    public static String describeEnd(AssociationEvent e) {
        if (e instanceof AssociationEvent.Aborted a) {
            return a.byPeer() ? "the peer aborted the SCTP association: " + a.reason()
                    : "the SCTP association was aborted: " + a.reason();
        }
        if (e instanceof AssociationEvent.Failed f) {
            return "the SCTP association failed: " + f.reason();
        }
        return "the peer shut the SCTP association down";
    }

    private void onMessage(AssociationEvent.MessageReceived m) {
        DataChannel c = channels.get(m.streamId());
        long ppid = m.ppid();
        if (ppid == Ppid.DCEP) {
            onDcep(m, c);
            return;
        }
        if (c == null || c.readyState() == ReadyState.CLOSED) {
            return; // data for no channel: dropped, as browsers do
        }
        c.awaitingAck = false; // RFC 8832 §6: data after our OPEN implies the peer accepted it
        if (c.readyState() == ReadyState.CONNECTING) {
            open(c);
        }
        if (ppid == Ppid.STRING || ppid == Ppid.STRING_PARTIAL) {
            c.countReceived(m.payload().length);
            c.listener().onMessage(c, new String(m.payload(), StandardCharsets.UTF_8));
        } else if (ppid == Ppid.STRING_EMPTY) {
            c.countReceived(0);
            c.listener().onMessage(c, "");
        } else if (ppid == Ppid.BINARY || ppid == Ppid.BINARY_PARTIAL) {
            c.countReceived(m.payload().length);
            c.listener().onMessage(c, m.payload());
        } else if (ppid == Ppid.BINARY_EMPTY) {
            c.countReceived(0);
            c.listener().onMessage(c, new byte[0]);
        } else {
            c.listener().onError(c, "message with unknown PPID " + ppid + " dropped");
        }
    }

    private void onDcep(AssociationEvent.MessageReceived m, DataChannel existing) {
        DcepMessage msg;
        try {
            msg = DcepMessage.parse(m.payload());
        } catch (DcepParseException ex) {
            if (existing != null) {
                existing.listener().onError(existing, "bad DCEP message: " + ex.getMessage());
            }
            return;
        }
        if (msg instanceof DcepAck) {
            if (existing != null && existing.openSent) {
                existing.awaitingAck = false; // from now on an unordered channel sends unordered
            }
            return;
        }
        DcepOpen open = (DcepOpen) msg;
        if (existing != null) {
            return; // an OPEN on a stream in use: ignore (RFC 8832 §6 leaves it to the implementation)
        }
        ChannelType type = open.channelType();
        int maxRetransmits = type.limitsRetransmissions() ? (int) Math.min(Integer.MAX_VALUE, open.reliabilityParameter()) : -1;
        long lifetime = type.limitsLifetime() ? open.reliabilityParameter() : -1;
        DataChannelInit init = new DataChannelInit(type.isOrdered(), maxRetransmits, lifetime, open.protocol(), false,
                m.streamId(), open.priority());
        DataChannel channel = new DataChannel(this, m.streamId(), open.label(), init);
        channels.put(m.streamId(), channel);
        association.setBufferedAmountLowThreshold(m.streamId(), 0);
        association.send(m.streamId(), Ppid.DCEP, new DcepAck().toBytes(), SendOptions.RELIABLE_ORDERED);
        channel.setState(ReadyState.OPEN);
        listener.onDataChannel(channel);
        channel.listener().onOpen(channel);
    }
}
