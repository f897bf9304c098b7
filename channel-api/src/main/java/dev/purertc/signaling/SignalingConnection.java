package dev.purertc.signaling;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Server-side state of one WebSocket connection: its id, the user ids it registered, what its token
 * granted, the count of messages written to it and not yet taken by its socket, and the graphscript
 * requests relayed to it that still wait for its answer.
 *
 * <p>Outbound accounting: every message written to the connection counts (and its bytes) until Netty
 * hands it to the kernel. At half of {@code maxQueuedMessages} or {@code maxQueuedBytes}
 * ({@link #aboveHighWater}) whoever writes to it is paused (its own reads, or the sender's, see
 * {@link InboundFlowControl}); at either bound a relayed message is refused. When both fall back to a
 * quarter ({@link #atOrBelowLowWater}) the paused connections resume.
 *
 * <p>Threading: {@link #users} is written only on this connection's event loop (register) and read from
 * any loop; {@link #enqueue} and {@link #reply} may be called from any thread (Netty's write is
 * thread-safe and the count is atomic); {@link #pendingToThis} is a concurrent map because the origin's
 * loop inserts and this connection's loop (or a timeout on the origin's loop) removes.
 */
final class SignalingConnection {

    /**
     * A graphscript request relayed to this connection, waiting for {@code {"args","callbackId"}}: from
     * {@code origin} on this node, or (in a cluster) from a connection of another node, {@code remote}
     * (then {@code origin} is null).
     */
    record PendingRelay(SignalingConnection origin, JsonNode originCallbackId, boolean wrapInArray,
                        ScheduledFuture<?> timeout, ClusterRouting.RemoteOrigin remote) {
    }

    /** Writes to one connection within one read batch are flushed at least every this many messages. */
    private static final int FLUSH_EVERY = 16;

    final String id;
    final Channel channel;
    final TokenGrant grant;
    final byte[] tokenFingerprint;
    final UnknownUserRateLimiter unknownUsers;
    private final int maxQueuedMessages;
    private final long maxQueuedBytes;
    private final int highWater;
    private final int lowWater;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong taken = new AtomicLong();
    private volatile long lastProgressNanos = System.nanoTime();
    /** Connections paused until this one drains (they wrote to it past its high-water mark). */
    final Set<SignalingConnection> drainWaiters = ConcurrentHashMap.newKeySet();
    /** Took nothing while a sender waited for it: senders no longer pause for it, until it drains. */
    volatile boolean stalled;
    /** Presence sessions this connection's user is in (see {@link Lobbies}). */
    final java.util.Set<String> sessions = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** When the frame being handled arrived (System.nanoTime), for the relay latency metric; on the connection's loop. */
    long frameArrivedNanos;
    final AtomicInteger pendingFromThis = new AtomicInteger();
    final Map<String, PendingRelay> pendingToThis = new ConcurrentHashMap<>();
    private final List<String> users = new CopyOnWriteArrayList<>();
    private volatile InboundFlowControl flow;

    SignalingConnection(String id, Channel channel, int maxQueuedMessages, long maxQueuedBytes, TokenGrant grant,
                        byte[] tokenFingerprint, UnknownUserRateLimiter unknownUsers) {
        this.id = id;
        this.channel = channel;
        this.maxQueuedMessages = maxQueuedMessages;
        this.maxQueuedBytes = maxQueuedBytes;
        this.highWater = maxQueuedMessages / 2;
        this.lowWater = maxQueuedMessages / 4;
        this.grant = grant;
        this.tokenFingerprint = tokenFingerprint;
        this.unknownUsers = unknownUsers;
    }

    /** The first user id this connection registered (the sender of its messages), or null. */
    String user() {
        return users.isEmpty() ? null : users.get(0);
    }

    /** Every user id this connection registered, in order. */
    List<String> users() {
        return List.copyOf(users);
    }

    boolean holds(String user) {
        return users.contains(user);
    }

    void addUser(String user) {
        users.add(user);
    }

    InboundFlowControl flow() {
        return flow;
    }

    void flow(InboundFlowControl f) {
        flow = f;
    }

    int queuedMessages() {
        return queued.get();
    }

    long queuedBytes() {
        return queuedBytes.get();
    }

    /** At or above half of either bound: writers to this connection pause. */
    boolean aboveHighWater() {
        return queued.get() >= highWater || queuedBytes.get() >= maxQueuedBytes / 2;
    }

    /** At or below a quarter of both bounds: paused writers resume. */
    boolean atOrBelowLowWater() {
        return queued.get() <= lowWater && queuedBytes.get() <= maxQueuedBytes / 4;
    }

    /** Messages this connection's socket has taken so far (progress, for the stall check). */
    long taken() {
        return taken.get();
    }

    long lastProgressNanos() {
        return lastProgressNanos;
    }

    /**
     * A message relayed from another connection: written unless {@code maxQueuedMessages} are already
     * waiting for this socket (a peer that stops reading fills its TCP window, then this queue, and then is
     * refused).
     *
     * @return false when the queue is full and nothing was written
     */
    /** Whether the client sent a WebSocket close frame (it left on purpose; see {@link ClientCloseMarker}). */
    boolean closedByClient() {
        return Boolean.TRUE.equals(channel.attr(ClientCloseMarker.CLOSED_BY_CLIENT).get());
    }

    boolean enqueue(String json) {
        TextWebSocketFrame frame = new TextWebSocketFrame(json);
        int size = frame.content().readableBytes();
        int q = queued.incrementAndGet();
        long b = queuedBytes.addAndGet(size);
        // One message always fits an empty queue, however large (it is at most maxFrameBytes plus "from").
        if (q > maxQueuedMessages || (b > maxQueuedBytes && q > 1)) {
            queued.decrementAndGet();
            queuedBytes.addAndGet(-size);
            frame.release();
            return false;
        }
        write(frame, size);
        return true;
    }

    /**
     * A reply to this connection's own message. Never refused and never a reason to disconnect: the
     * connection's reads stop while its queue is above the high-water mark ({@link InboundFlowControl}),
     * so replies exceed that mark by at most what one read already held.
     */
    void reply(String json) {
        TextWebSocketFrame frame = new TextWebSocketFrame(json);
        int size = frame.content().readableBytes();
        queued.incrementAndGet();
        queuedBytes.addAndGet(size);
        write(frame, size);
    }

    private void write(TextWebSocketFrame frame, int size) {
        ReadBatch batch = READ_BATCH.get();
        if (batch.active) {
            channel.write(frame).addListener(f -> onTaken(size));
            batch.touched(this);
        } else {
            channel.writeAndFlush(frame).addListener(f -> onTaken(size));
        }
    }

    /** Netty handed one message to the kernel (or failed it): runs on this channel's event loop. */
    private void onTaken(int size) {
        int q = queued.decrementAndGet();
        long b = queuedBytes.addAndGet(-size);
        taken.incrementAndGet();
        lastProgressNanos = System.nanoTime();
        long lowBytes = maxQueuedBytes / 4;
        boolean nowLow = q <= lowWater && b <= lowBytes;
        boolean wasLow = q + 1 <= lowWater && b + size <= lowBytes;
        // Writes from other loops may interleave with these two reads, so a crossing can be missed here;
        // InboundFlowControl re-checks on its stall timer and on the idle handler's tick.
        if (nowLow && !wasLow) {
            drained();
        }
    }

    /** Below the low-water mark again (or closed): resume whoever waited for this connection. */
    void drained() {
        stalled = false;
        InboundFlowControl own = flow;
        if (own != null) {
            own.ownQueueLow();
        }
        for (SignalingConnection waiter : drainWaiters) {
            if (drainWaiters.remove(waiter)) {
                InboundFlowControl f = waiter.flow;
                if (f != null) {
                    f.targetDrained(this);
                }
            }
        }
    }

    /**
     * Writes made while a connection's read batch is handled are flushed at its end (one syscall per
     * target per batch instead of one per message), and every {@link #FLUSH_EVERY} messages on the way,
     * so a burst never sits unflushed and counted against the queue. Per event loop thread.
     */
    static final class ReadBatch {
        boolean active;
        private final Map<SignalingConnection, int[]> touched = new HashMap<>();

        void begin() {
            active = true;
        }

        void touched(SignalingConnection c) {
            int[] n = touched.computeIfAbsent(c, k -> new int[1]);
            if (++n[0] >= FLUSH_EVERY) {
                n[0] = 0;
                c.channel.flush();
            }
        }

        void end() {
            active = false;
            for (SignalingConnection c : touched.keySet()) {
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
        List<String> u = users;
        return id + (u.isEmpty() ? "" : "(" + String.join(",", u) + ")");
    }
}
