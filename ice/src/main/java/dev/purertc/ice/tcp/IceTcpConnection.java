package dev.purertc.ice.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One accepted TCP connection of an {@link IceTcpListener}, carrying RFC 4571 frames: a 16-bit big-endian
 * length, then that many bytes (one STUN message or DTLS record per frame), so no frame can exceed 65,535
 * bytes. It reads on the listener's selector thread; {@link #send} may be called from any thread and writes
 * at once when it can, else queues (bounded, {@link IceTcpListener#MAX_QUEUED_WRITE_BYTES}).
 *
 * <p>It is <em>pending</em> until ICE has verified a check from it ({@link #markAuthenticated()}); pending
 * connections count against {@link IceTcpListener#MAX_PENDING_CONNECTIONS} and close after
 * {@link IceTcpListener#UNAUTHENTICATED_TIMEOUT}.
 */
public final class IceTcpConnection {

    /** RFC 4571 §2: the LENGTH field is 16 bits. */
    static final int HEADER_BYTES = 2;
    public static final int MAX_FRAME_BYTES = 0xFFFF;
    private static final int INITIAL_READ_BUFFER = 2048;

    private final IceTcpListener listener;
    private final SocketChannel channel;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    final long acceptedNanos;
    private volatile SelectionKey key;
    /** Selector thread only: bytes read and not yet framed. */
    private ByteBuffer in = ByteBuffer.allocate(INITIAL_READ_BUFFER);
    private volatile IceTcpRegistration owner;
    private volatile boolean authenticated;
    private final AtomicBoolean pending = new AtomicBoolean(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Guarded by itself: frames (or their unwritten rest) waiting for the socket. */
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private int queuedBytes;

    IceTcpConnection(IceTcpListener listener, SocketChannel channel, InetSocketAddress local,
                     InetSocketAddress remote) {
        this.listener = listener;
        this.channel = channel;
        this.local = local;
        this.remote = remote;
        this.acceptedNanos = System.nanoTime();
    }

    void setKey(SelectionKey key) {
        this.key = key;
    }

    /** The listener address the peer connected to. */
    public InetSocketAddress local() {
        return local;
    }

    /** The peer's address and port. */
    public InetSocketAddress remote() {
        return remote;
    }

    public boolean isAuthenticated() {
        return authenticated;
    }

    /**
     * ICE verified a connectivity check from this connection (MESSAGE-INTEGRITY with the agent's password):
     * it stops being pending, so the unauthenticated timeout no longer applies and DTLS from it is accepted.
     */
    public void markAuthenticated() {
        authenticated = true;
        leavePending();
    }

    public boolean isClosed() {
        return closed.get();
    }

    private void leavePending() {
        if (pending.compareAndSet(true, false)) {
            listener.pendingLeft();
        }
    }

    /** Selector thread: reads what is there and hands on every whole frame. */
    void onReadable() {
        int n;
        try {
            n = channel.read(in);
        } catch (IOException e) {
            close();
            return;
        }
        if (n < 0) {
            close();
            return;
        }
        in.flip();
        while (!closed.get() && in.remaining() >= HEADER_BYTES) {
            int start = in.position();
            int length = ((in.get(start) & 0xFF) << 8) | (in.get(start + 1) & 0xFF);
            if (in.remaining() < HEADER_BYTES + length) {
                if (in.capacity() < HEADER_BYTES + length) {
                    ByteBuffer bigger = ByteBuffer.allocate(HEADER_BYTES + MAX_FRAME_BYTES);
                    bigger.put(in);
                    in = bigger;
                    return;   // in is in write mode again
                }
                break;
            }
            in.position(start + HEADER_BYTES + length);
            if (length > 0) {
                deliver(in.array(), start + HEADER_BYTES, length);
            }
        }
        in.compact();
    }

    private void deliver(byte[] data, int offset, int length) {
        IceTcpRegistration o = owner;
        if (o == null) {
            o = listener.route(this, data, offset, length);
            if (o == null) {
                close();
                return;
            }
            owner = o;
        }
        try {
            o.receiver().onFrame(this, data, offset, length);
        } catch (RuntimeException e) {
            // The read buffer is mid-parse: a receiver's failure costs its frame, never the framing.
            listener.receiverFailed(this, e);
        }
    }

    /**
     * Sends one frame. Returns false, sending nothing, if {@link IceTcpListener#MAX_QUEUED_WRITE_BYTES} are
     * queued already (the peer reads too slowly: like a full UDP buffer, the datagram is lost and DTLS/SCTP
     * recover), or if the connection is closed.
     *
     * @throws IllegalArgumentException if {@code length} exceeds {@value #MAX_FRAME_BYTES} (RFC 4571 cannot
     *                                  frame it)
     */
    public boolean send(byte[] data, int offset, int length) {
        if (length > MAX_FRAME_BYTES || length < 0) {
            throw new IllegalArgumentException("RFC 4571 frames hold 0.." + MAX_FRAME_BYTES + " bytes, got " + length);
        }
        if (closed.get()) {
            return false;
        }
        ByteBuffer frame = ByteBuffer.allocate(HEADER_BYTES + length);
        frame.putShort((short) length).put(data, offset, length).flip();
        synchronized (queue) {
            if (!queue.isEmpty()) {
                if (queuedBytes + frame.remaining() > IceTcpListener.MAX_QUEUED_WRITE_BYTES) {
                    listener.writeDropped();
                    return false;
                }
                queue.add(frame);
                queuedBytes += frame.remaining();
                return true;
            }
            try {
                channel.write(frame);
            } catch (IOException e) {
                close();
                return false;
            }
            if (frame.hasRemaining()) {
                queue.add(frame);
                queuedBytes += frame.remaining();
                SelectionKey k = key;
                try {
                    // Java 11+: interest ops may change from any thread; the selector applies them when woken.
                    k.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    listener.wakeup();
                } catch (java.nio.channels.CancelledKeyException e) {
                    return false;   // closed meanwhile
                }
            }
        }
        return true;
    }

    /** Selector thread: the socket can take more of the queue. */
    void onWritable() {
        synchronized (queue) {
            try {
                while (!queue.isEmpty()) {
                    ByteBuffer head = queue.peek();
                    int before = head.remaining();
                    channel.write(head);
                    queuedBytes -= before - head.remaining();
                    if (head.hasRemaining()) {
                        return;
                    }
                    queue.poll();
                }
            } catch (IOException e) {
                close();
                return;
            }
            try {
                key.interestOps(SelectionKey.OP_READ);
            } catch (java.nio.channels.CancelledKeyException e) {
                // closed meanwhile
            }
        }
    }

    /** Bytes waiting to be written. */
    public int queuedBytes() {
        synchronized (queue) {
            return queuedBytes;
        }
    }

    /** Closes the socket; the owning agent is told ({@link IceTcpRegistration.Receiver#onClosed}). Idempotent. */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        leavePending();
        // Forgotten before the socket closes, so the counters are right by the time the peer sees the end.
        listener.forget(this);
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with it
        }
        IceTcpRegistration o = owner;
        if (o != null) {
            o.detach(this);
            o.receiver().onClosed(this);
        }
    }

    @Override
    public String toString() {
        return "IceTcpConnection[" + remote + " -> " + local + (authenticated ? "" : ", pending") + "]";
    }
}
