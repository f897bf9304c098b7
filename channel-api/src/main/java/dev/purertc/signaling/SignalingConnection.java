package dev.purertc.signaling;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Server-side state of one WebSocket connection: its id, the user it registered, the count of
 * messages written to it and not yet taken by its socket, and the graphscript requests relayed to it
 * that still wait for its answer.
 *
 * <p>Threading: {@link #user} is written only on this connection's event loop (register) and read
 * from any loop; {@link #enqueue} may be called from any thread (Netty's write is thread-safe and the
 * queue count is atomic); {@link #pendingToThis} is a concurrent map because the origin's loop inserts
 * and this connection's loop (or a timeout on the origin's loop) removes.
 */
final class SignalingConnection {

    /** A graphscript request relayed to this connection, waiting for {@code {"args","callbackId"}}. */
    record PendingRelay(SignalingConnection origin, JsonNode originCallbackId, boolean wrapInArray,
                        ScheduledFuture<?> timeout) {
    }

    final String id;
    final Channel channel;
    private final int maxQueuedMessages;
    private final AtomicInteger queued = new AtomicInteger();
    final AtomicInteger pendingFromThis = new AtomicInteger();
    final Map<String, PendingRelay> pendingToThis = new ConcurrentHashMap<>();
    volatile String user;

    SignalingConnection(String id, Channel channel, int maxQueuedMessages) {
        this.id = id;
        this.channel = channel;
        this.maxQueuedMessages = maxQueuedMessages;
    }

    int queuedMessages() {
        return queued.get();
    }

    /**
     * Writes one text message unless {@code maxQueuedMessages} are already waiting for this socket.
     * The count drops when Netty hands the frame to the kernel (or the write fails), so a peer that
     * stops reading fills its TCP window, then this queue, and then is refused.
     *
     * @return false when the queue is full and nothing was written
     */
    boolean enqueue(String json) {
        if (queued.incrementAndGet() > maxQueuedMessages) {
            queued.decrementAndGet();
            return false;
        }
        ReadBatch batch = READ_BATCH.get();
        if (batch.active) {
            channel.write(new TextWebSocketFrame(json)).addListener(f -> queued.decrementAndGet());
            batch.touched.add(this);
        } else {
            channel.writeAndFlush(new TextWebSocketFrame(json)).addListener(f -> queued.decrementAndGet());
        }
        return true;
    }

    /**
     * Writes made while a connection's read batch is handled are flushed once at its end (one
     * syscall per target per batch instead of one per message). Per event loop thread.
     */
    static final class ReadBatch {
        boolean active;
        final Set<SignalingConnection> touched = new LinkedHashSet<>();

        void begin() {
            active = true;
        }

        void end() {
            active = false;
            for (SignalingConnection c : touched) {
                c.channel.flush();
            }
            touched.clear();
        }
    }

    static final FastThreadLocal<ReadBatch> READ_BATCH = new FastThreadLocal<>() {
        @Override
        protected ReadBatch initialValue() {
            return new ReadBatch();
        }
    };

    /**
     * A reply to this connection's own message. A connection that floods requests without reading
     * the replies overflows its own queue: it is closed (1008 policy violation) rather than buffered.
     */
    void reply(String json) {
        if (!enqueue(json)) {
            closeWith(WebSocketCloseStatus.POLICY_VIOLATION, "outbound queue full: the client does not read");
        }
    }

    void closeWith(WebSocketCloseStatus status, String reason) {
        if (channel.isActive()) {
            // The close frame bypasses the bound: it is the last frame this connection gets. The peer
            // answers it and closes (RFC 6455 §5.5.1); closing the socket right after writing would reset
            // it while the peer's data is unread, and browsers then report 1006 instead of the status.
            channel.writeAndFlush(new CloseWebSocketFrame(status, reason));
            // A peer that does not read never takes the close frame: do not wait for it forever.
            channel.eventLoop().schedule(() -> channel.close(), 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return id + (user == null ? "" : "(" + user + ")");
    }
}
