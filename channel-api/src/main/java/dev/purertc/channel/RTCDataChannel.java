package dev.purertc.channel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import dev.purertc.sctp.channel.DataChannel;
import dev.purertc.sctp.channel.DataChannelListener;
import dev.purertc.sctp.channel.MessageTooLargeException;
import dev.purertc.sctp.channel.ReadyState;
import dev.purertc.sctp.channel.SendBufferFullException;

/**
 * A WebRTC data channel (W3C WebRTC §6.2, RFC 8831) as a browser programmer knows it: {@link #send}
 * text, bytes or empty messages, {@link #bufferedAmount()} with a low-threshold event for back-pressure,
 * {@link #close()} after queued data.
 *
 * <p>Threading: every method may be called from any thread. The channel's protocol state lives on the
 * connection's event loop; a call from another thread checks what it can at once (state, message size,
 * send buffer) and then hands the message to the loop, so a {@code send} that returns normally has queued
 * the message. Called on the loop (from a listener), it runs inline. Listener calls run on the loop.
 *
 * <p>Ownership: arrays given to {@link #send(byte[])} must not be modified afterwards.
 */
public final class RTCDataChannel {

    private final RTCPeerConnection connection;
    private final String label;
    private final RTCDataChannelInit init;
    private volatile int id;
    private volatile ReadyState readyState = ReadyState.CONNECTING;
    private volatile RTCDataChannelListener listener = new RTCDataChannelListener() {
    };
    private volatile long bufferedAmountLowThreshold;
    /** Bytes accepted by {@link #send} and not yet handed to SCTP (the loop has not run the hand-off yet). */
    private final AtomicLong handoffPending = new AtomicLong();
    /** SCTP's bufferedAmount for the stream, as last seen on the loop. */
    private volatile long queuedInSctp;

    // Loop-confined.
    private DataChannel sctp;
    private boolean everOpened;
    private boolean aboveThreshold;
    private volatile boolean closeRequested;

    RTCDataChannel(RTCPeerConnection connection, String label, RTCDataChannelInit init) {
        this.connection = connection;
        this.label = label;
        this.init = init;
        this.id = init.id() == null ? -1 : init.id();
        connection.stats().channelCreated(this);
    }

    public String label() {
        return label;
    }

    public String protocol() {
        return init.protocol();
    }

    public boolean ordered() {
        return init.ordered();
    }

    /** Partial reliability by retransmissions, or null. */
    public Integer maxRetransmits() {
        return init.maxRetransmits();
    }

    /** Partial reliability by lifetime (ms), or null. */
    public Integer maxPacketLifeTime() {
        return init.maxPacketLifeTime();
    }

    public boolean negotiated() {
        return init.negotiated();
    }

    /** The SCTP stream id, or null until the DTLS role is known and an id is allocated. */
    public Integer id() {
        int v = id;
        return v < 0 ? null : v;
    }

    public ReadyState readyState() {
        return readyState;
    }

    public RTCPeerConnection connection() {
        return connection;
    }

    public void setListener(RTCDataChannelListener listener) {
        this.listener = listener == null ? new RTCDataChannelListener() {
        } : listener;
    }

    /** Bytes queued by {@link #send} and not yet handed to the network (Firefox's definition). */
    public long bufferedAmount() {
        return handoffPending.get() + queuedInSctp;
    }

    public long bufferedAmountLowThreshold() {
        return bufferedAmountLowThreshold;
    }

    public void setBufferedAmountLowThreshold(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("threshold must not be negative");
        }
        this.bufferedAmountLowThreshold = bytes;
    }

    /** The largest message {@link #send} accepts: min(local, remote) max-message-size (RFC 8841 §6). */
    public long maxMessageSize() {
        return connection.sendLimit();
    }

    /**
     * Sends a text message (PPID 51; the empty string as PPID 56).
     *
     * @throws IllegalStateException    if the channel is not open
     * @throws MessageTooLargeException if the UTF-8 form exceeds {@link #maxMessageSize()}
     * @throws SendBufferFullException if {@link #bufferedAmount()} plus this message would exceed the send
     *         buffer ({@link dev.purertc.sctp.SctpOptions#sendBufferSize()}); a message larger than the
     *         buffer is accepted when nothing is buffered
     */
    public void send(String text) {
        enqueue(text, text.getBytes(StandardCharsets.UTF_8).length);
    }

    /**
     * Sends a binary message (PPID 53; empty as PPID 57); see {@link #send(String)} for the exceptions.
     * The array is copied, as the browser copies an ArrayBuffer: the caller may reuse it at once.
     */
    public void send(byte[] data) {
        enqueue(data.clone(), data.length);
    }

    /** Sends the buffer's remaining bytes as a binary message (copied; its position is unchanged). */
    public void send(ByteBuffer data) {
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        enqueue(copy, copy.length);
    }

    /** @param payload a String or a byte[] of {@code size} bytes on the wire */
    private void enqueue(Object payload, long size) {
        ReadyState s = readyState;
        if (s != ReadyState.OPEN || closeRequested) {
            throw new IllegalStateException("send() on a data channel in state " + s);
        }
        long limit = connection.sendLimit();
        if (size > limit) {
            throw new MessageTooLargeException(size, limit);
        }
        long bufferLimit = connection.sendBufferLimit();
        // Reserve first, so that senders on several threads cannot together pass the limit.
        long buffered = handoffPending.getAndAdd(size) + queuedInSctp;
        // A message larger than the whole buffer still goes when nothing else is buffered.
        if (buffered + size > bufferLimit && buffered != 0) {
            handoffPending.addAndGet(-size);
            throw new SendBufferFullException(size);
        }
        connection.onLoop(() -> handOff(payload, size));
    }

    /** On the loop: passes one message to SCTP. */
    private void handOff(Object payload, long size) {
        DataChannel c = sctp;
        if (c == null || c.readyState() != ReadyState.OPEN) {
            handoffPending.addAndGet(-size);
            listener.onError(this, "message of " + size + " bytes dropped: channel is " + readyState);
            return;
        }
        try {
            connection.refreshSctpClock();
            if (payload instanceof String text) {
                c.send(text);
            } else {
                c.send((byte[]) payload);
            }
            // Count the bytes as SCTP's before they stop counting as handed off: bufferedAmount() reads
            // the hand-off counter first, so it may see a message twice for a moment but never miss one.
            // refreshBuffered() then sets queuedInSctp to SCTP's exact figure.
            queuedInSctp += size;
        } catch (RuntimeException e) {
            listener.onError(this, "message of " + size + " bytes dropped: " + e.getMessage());
        } finally {
            handoffPending.addAndGet(-size);
        }
        connection.trackBuffered(this);
    }

    /**
     * Closes the channel (RFC 8831 §6.7): messages already sent are still delivered, then the outgoing
     * stream is reset; the channel is CLOSED once the peer has reset its side.
     */
    public void close() {
        connection.onLoop(this::closeOnLoop);
    }

    private void closeOnLoop() {
        if (closeRequested) {
            return;
        }
        closeRequested = true;
        DataChannel c = sctp;
        if (c != null) {
            connection.refreshSctpClock();
            c.close();
            connection.afterWork(); // the stream reset request must leave now, not with the next packet
        } else if (readyState != ReadyState.CLOSED) {
            readyState = ReadyState.CLOSING;
            listener.onClosing(this);
            markClosed(null);
        }
    }

    // ---- loop-side plumbing used by RTCPeerConnection ------------------------------------------

    /** On the loop: binds this channel to its SCTP channel and forwards its events. */
    void attach(DataChannel channel) {
        this.sctp = channel;
        this.id = channel.id();
        channel.setListener(new Events());
        if (channel.readyState() == ReadyState.OPEN) {
            // A channel created while the association is up is open at once (a negotiated one, or one whose
            // DATA_CHANNEL_OPEN was just queued), before this listener was attached: fire the open event here.
            readyState = ReadyState.OPEN;
            opened();
            listener.onOpen(this);
        }
        if (closeRequested) {
            closeRequested = false;
            closeOnLoop();
        }
    }

    /** On the loop: refreshes the SCTP part of bufferedAmount and fires the low event on a crossing. Returns true while bytes stay queued. */
    boolean refreshBuffered() {
        DataChannel c = sctp;
        long q = c == null || c.readyState() == ReadyState.CLOSED ? 0 : c.bufferedAmount();
        queuedInSctp = q;
        long total = q + handoffPending.get();
        long threshold = bufferedAmountLowThreshold;
        if (total > threshold) {
            aboveThreshold = true;
        } else if (aboveThreshold) {
            aboveThreshold = false;
            listener.onBufferedAmountLow(this);
        }
        return total > 0;
    }

    /** On the loop: the connection closed under the channel; {@code error}, unless null, fires onError first. */
    void markClosed(String error) {
        if (readyState == ReadyState.CLOSED) {
            return;
        }
        if (error != null) {
            listener.onError(this, error);
        }
        readyState = ReadyState.CLOSED;
        queuedInSctp = 0;
        connection.stats().channelClosed(this, everOpened);
        listener.onClose(this);
    }

    /** On the loop: the channel is open (counted once for getStats). */
    private void opened() {
        if (!everOpened) {
            everOpened = true;
            connection.stats().channelOpened(this);
        }
    }

    /** On the loop: the SCTP channel under this one, or null before the association. */
    DataChannel sctpChannel() {
        return sctp;
    }

    @Override
    public String toString() {
        return "RTCDataChannel[" + id() + " '" + label + "' " + readyState + "]";
    }

    /** SCTP channel events, forwarded to the user's listener on the loop. */
    private final class Events implements DataChannelListener {
        @Override
        public void onOpen(DataChannel channel) {
            readyState = ReadyState.OPEN;
            opened();
            listener.onOpen(RTCDataChannel.this);
        }

        @Override
        public void onMessage(DataChannel channel, String text) {
            listener.onMessage(RTCDataChannel.this, text);
        }

        @Override
        public void onMessage(DataChannel channel, byte[] data) {
            listener.onMessage(RTCDataChannel.this, data);
        }

        @Override
        public void onBufferedAmountLow(DataChannel channel) {
            refreshBuffered();
        }

        @Override
        public void onClosing(DataChannel channel) {
            readyState = ReadyState.CLOSING;
            listener.onClosing(RTCDataChannel.this);
        }

        @Override
        public void onClose(DataChannel channel) {
            connection.forget(RTCDataChannel.this);
            markClosed(null);
        }

        @Override
        public void onError(DataChannel channel, String error) {
            listener.onError(RTCDataChannel.this, error);
        }
    }
}
