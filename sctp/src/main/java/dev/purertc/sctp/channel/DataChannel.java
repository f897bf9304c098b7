package dev.purertc.sctp.channel;

import dev.purertc.sctp.SendOptions;
import dev.purertc.sctp.SendStatus;
import dev.purertc.sctp.dcep.Ppid;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One WebRTC data channel (RFC 8831) on an SCTP stream, with the browser's semantics: messages are
 * sent with PPID 51/53 (56/57 with one zero byte for empty ones), {@link #bufferedAmount()} counts
 * bytes queued and not yet handed to the network (as Firefox does), a send larger than
 * {@link #maxMessageSize()} throws and sends nothing, and {@link #close()} resets the outgoing stream
 * after queued data (RFC 8831 §6.7), the channel being CLOSED once both directions are reset.
 *
 * <p>Threading: like its {@link DataChannels}, a channel is confined to one thread (the connection's
 * event loop); listeners are called on it.
 */
public final class DataChannel {
    private final DataChannels owner;
    private final int id;
    private final String label;
    private final DataChannelInit init;
    private final SendOptions sendOptions;
    /** {@link #sendOptions} delivered in order: an unordered channel's messages until the peer's ACK. */
    private final SendOptions sendOptionsBeforeAck;
    private ReadyState readyState = ReadyState.CONNECTING;
    private DataChannelListener listener = new DataChannelListener() {};
    boolean outgoingReset;
    boolean incomingReset;
    boolean openSent;
    /**
     * This side sent DATA_CHANNEL_OPEN and the channel is open, but neither the peer's ACK nor any data from
     * the peer has arrived yet (RFC 8832 §6): messages go ordered meanwhile, so none can overtake the OPEN.
     */
    boolean awaitingAck;
    /** User data was queued since the last buffered-amount-low event (DCEP alone never fires it). */
    boolean userDataQueued;
    private long messagesSent;
    private long bytesSent;
    private long messagesReceived;
    private long bytesReceived;

    DataChannel(DataChannels owner, int id, String label, DataChannelInit init) {
        this.owner = owner;
        this.id = id;
        this.label = label;
        this.init = init;
        long lifetime = init.maxPacketLifeTimeMillis() < 0 ? -1 : init.maxPacketLifeTimeMillis() * 1_000_000L;
        this.sendOptions = new SendOptions(!init.ordered(), init.maxRetransmits(), lifetime);
        this.sendOptionsBeforeAck = new SendOptions(false, init.maxRetransmits(), lifetime);
    }

    public int id() {
        return id;
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

    public int maxRetransmits() {
        return init.maxRetransmits();
    }

    public long maxPacketLifeTimeMillis() {
        return init.maxPacketLifeTimeMillis();
    }

    public boolean negotiated() {
        return init.negotiated();
    }

    public int priority() {
        return init.priority();
    }

    public ReadyState readyState() {
        return readyState;
    }

    public void setListener(DataChannelListener listener) {
        this.listener = listener == null ? new DataChannelListener() {} : listener;
    }

    DataChannelListener listener() {
        return listener;
    }

    /** Largest message {@link #send} accepts: min(local, remote) max-message-size. */
    public long maxMessageSize() {
        return owner.maxMessageSize();
    }

    /** Bytes queued on this channel and not yet handed to the network. */
    public long bufferedAmount() {
        return owner.association().bufferedAmount(id);
    }

    public long bufferedAmountLowThreshold() {
        return owner.association().bufferedAmountLowThreshold(id);
    }

    public void setBufferedAmountLowThreshold(long bytes) {
        owner.association().setBufferedAmountLowThreshold(id, bytes);
    }

    /** Messages {@code send} accepted so far (getStats' {@code messagesSent}). */
    public long messagesSent() {
        return messagesSent;
    }

    /** Payload bytes of those messages, UTF-8 for text, an empty message counting 0. */
    public long bytesSent() {
        return bytesSent;
    }

    /** Messages delivered to the listener so far (getStats' {@code messagesReceived}). */
    public long messagesReceived() {
        return messagesReceived;
    }

    /** Payload bytes of those messages, as received on the wire, an empty message counting 0. */
    public long bytesReceived() {
        return bytesReceived;
    }

    /** On the owner's thread: one message of {@code bytes} payload bytes is being delivered. */
    void countReceived(int bytes) {
        messagesReceived++;
        bytesReceived += bytes;
    }

    /** Sends a text message (PPID 51; the empty string as PPID 56 with one zero byte). */
    public void send(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            sendRaw(Ppid.STRING_EMPTY, new byte[1], 0);
        } else {
            sendRaw(Ppid.STRING, bytes, bytes.length);
        }
    }

    /** Sends a binary message (PPID 53; empty as PPID 57). The array must not be modified afterwards. */
    public void send(byte[] data) {
        if (data.length == 0) {
            sendRaw(Ppid.BINARY_EMPTY, new byte[1], 0);
        } else {
            sendRaw(Ppid.BINARY, data, data.length);
        }
    }

    /** Sends the buffer's remaining bytes as a binary message (copied; the position is unchanged). */
    public void send(ByteBuffer data) {
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        send(copy);
    }

    private void sendRaw(long ppid, byte[] payload, int logicalSize) {
        if (readyState != ReadyState.OPEN) {
            throw new IllegalStateException("send() on a data channel in state " + readyState);
        }
        if (logicalSize > maxMessageSize()) {
            throw new MessageTooLargeException(logicalSize, maxMessageSize());
        }
        SendStatus status = owner.association().send(id, ppid, payload, awaitingAck ? sendOptionsBeforeAck : sendOptions);
        switch (status) {
            case SUCCESS -> {
                userDataQueued = true;
                messagesSent++;
                bytesSent += logicalSize;
            }
            case SEND_BUFFER_FULL -> throw new SendBufferFullException(payload.length);
            case MESSAGE_TOO_LARGE -> throw new MessageTooLargeException(logicalSize, owner.association().options().maxMessageSize());
            default -> throw new IllegalStateException("send failed: " + status);
        }
        owner.afterUserCall();
    }

    /**
     * Closes the channel (RFC 8831 §6.7): queued messages are still delivered, then the outgoing
     * stream is reset; the peer resets its side and the channel becomes CLOSED.
     */
    public void close() {
        if (readyState == ReadyState.CLOSING || readyState == ReadyState.CLOSED) {
            return;
        }
        owner.closeChannel(this);
    }

    void setState(ReadyState state) {
        this.readyState = state;
    }

    @Override
    public String toString() {
        return "DataChannel[" + id + " '" + label + "' " + readyState + "]";
    }
}
