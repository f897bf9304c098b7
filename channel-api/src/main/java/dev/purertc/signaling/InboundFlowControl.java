package dev.purertc.signaling;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Read back-pressure for one connection: instead of refusing or disconnecting a client that sends a
 * burst, the server stops reading it ({@code autoRead} off) while
 * <ul>
 *   <li>its own outbound queue (the replies to what it sent) is at or above the high-water mark, until
 *       the queue drains to the low-water mark; or</li>
 *   <li>a user it just relayed a message to has a queue at or above the high-water mark, until that
 *       queue drains, or until the target has taken nothing for {@code congestionStallTimeout}: then the
 *       target counts as stalled, this connection resumes (one silent user must not block its senders'
 *       other traffic) and messages to the stalled target are refused once its queue is full.</li>
 * </ul>
 * Messages already read when the pause starts (one socket read can hold hundreds of small frames) wait
 * in a backlog and are handled in order on resume, so nothing is dropped and order is kept. The backlog
 * is bounded; a client that overflows it (by fragmenting messages so the decoder keeps reading) is
 * closed with 1008.
 *
 * <p>Threading: every method runs on the connection's event loop, except {@link #ownQueueLow} and
 * {@link #targetDrained}, which may be called from any thread and hop onto that loop.
 */
final class InboundFlowControl {

    /** A binary frame in the backlog (its content is never used: the protocol has none). */
    static final Object BINARY = new Object();

    /** Interface to the message handling, so this class only decides when. */
    interface Sink {
        void text(String text);

        void binary();
    }

    private final SignalingConnection connection;
    private final Sink sink;
    private final long stallNanos;
    private final long backlogLimitChars;
    private final ArrayDeque<Object> backlog = new ArrayDeque<>();
    private long backlogChars;
    private boolean pausedOwn;
    private SignalingConnection waitingFor;
    private long waitingMark;
    private ScheduledFuture<?> stallTimer;
    private long pausedSince;
    private boolean resumeScheduled;
    private boolean closed;

    InboundFlowControl(SignalingConnection connection, Sink sink, long stallMillis, int maxFrameBytes) {
        this.connection = connection;
        this.sink = sink;
        this.stallNanos = TimeUnit.MILLISECONDS.toNanos(stallMillis);
        // One read (Netty reads at most 64 KiB at once) plus a message that was being completed, twice over.
        this.backlogLimitChars = 2L * (65536 + maxFrameBytes);
    }

    boolean paused() {
        return pausedOwn || waitingFor != null;
    }

    boolean pausedForOwnOutbound() {
        return pausedOwn;
    }

    boolean waitingForTarget() {
        return waitingFor != null;
    }

    long pausedSince() {
        return pausedSince;
    }

    /** A complete inbound message (a String, or {@link #BINARY}). */
    void onMessage(Object message) {
        if (closed) {
            return;
        }
        if (paused() || !backlog.isEmpty()) {
            backlog.add(message);
            backlogChars += message instanceof String s ? s.length() : 1;
            if (backlogChars > backlogLimitChars) {
                closed = true;
                backlog.clear();
                connection.closeWith(WebSocketCloseStatus.POLICY_VIOLATION,
                        "kept sending while the server applied back-pressure");
                return;
            }
            if (!paused()) {
                drainBacklog();
            }
            return;
        }
        handle(message);
    }

    private void handle(Object message) {
        if (message instanceof String s) {
            sink.text(s);
        } else {
            sink.binary();
        }
        if (!pausedOwn && connection.aboveHighWater() && connection.channel.isActive()) {
            pausedOwn = true;
            pause();
        }
    }

    /**
     * {@code target} just got a message from this connection and is at or above its high-water mark:
     * stop reading until it drains (unless it is stalled, or this connection already waits).
     */
    void waitFor(SignalingConnection target) {
        if (closed || target == connection || waitingFor != null || target.stalled) {
            return;
        }
        waitingFor = target;
        waitingMark = target.taken();
        pause();
        target.drainWaiters.add(connection);
        // It may have drained between the caller's check and the registration above.
        if (target.atOrBelowLowWater() || !target.channel.isActive()) {
            target.drainWaiters.remove(connection);
            waitingFor = null;
            scheduleResume();
            return;
        }
        stallTimer = connection.channel.eventLoop().schedule(this::checkStall, stallNanos, TimeUnit.NANOSECONDS);
    }

    private void checkStall() {
        SignalingConnection target = waitingFor;
        if (target == null) {
            return;
        }
        long taken = target.taken();
        if (target.atOrBelowLowWater() || !target.channel.isActive()) {
            target.drainWaiters.remove(connection); // drained, and the wake-up was missed
            waitingFor = null;
            scheduleResume();
            return;
        }
        if (taken != waitingMark) {
            waitingMark = taken; // slow but reading: keep waiting
            stallTimer = connection.channel.eventLoop().schedule(this::checkStall, stallNanos, TimeUnit.NANOSECONDS);
            return;
        }
        target.stalled = true;
        target.drainWaiters.remove(connection);
        waitingFor = null;
        scheduleResume();
    }

    /**
     * Safety net for a drain whose wake-up was missed (see {@code SignalingConnection.onTaken}): called on
     * the event loop by the idle handler's periodic tick.
     */
    void recheck() {
        if (pausedOwn && connection.atOrBelowLowWater()) {
            pausedOwn = false;
            scheduleResume();
        }
    }

    /** This connection's own queue fell to the low-water mark (called on its event loop). */
    void ownQueueLow() {
        connection.channel.eventLoop().execute(() -> {
            if (pausedOwn) {
                pausedOwn = false;
                scheduleResume();
            }
        });
    }

    /** A target this connection waited for drained or closed (any thread). */
    void targetDrained(SignalingConnection target) {
        connection.channel.eventLoop().execute(() -> {
            if (waitingFor == target) {
                waitingFor = null;
                if (stallTimer != null) {
                    stallTimer.cancel(false);
                }
                scheduleResume();
            }
        });
    }

    /** The connection closed: forget everything and stop waiting for anyone. */
    void close() {
        closed = true;
        backlog.clear();
        if (stallTimer != null) {
            stallTimer.cancel(false);
        }
        if (waitingFor != null) {
            waitingFor.drainWaiters.remove(connection);
            waitingFor = null;
        }
    }

    private void pause() {
        if (connection.channel.config().isAutoRead()) {
            pausedSince = System.nanoTime();
            connection.channel.config().setAutoRead(false);
        }
    }

    /** Resumes from a fresh task, never from inside the handling of another message (order). */
    private void scheduleResume() {
        if (!resumeScheduled) {
            resumeScheduled = true;
            connection.channel.eventLoop().execute(() -> {
                resumeScheduled = false;
                if (!closed && !paused()) {
                    SignalingConnection.ReadBatch batch = SignalingConnection.READ_BATCH.get();
                    batch.begin();
                    try {
                        drainBacklog();
                    } finally {
                        batch.end();
                    }
                }
            });
        }
    }

    private void drainBacklog() {
        while (!paused() && !closed && !backlog.isEmpty()) {
            Object m = backlog.poll();
            backlogChars -= m instanceof String s ? s.length() : 1;
            handle(m);
        }
        if (!paused() && !closed && connection.channel.isActive()) {
            connection.channel.config().setAutoRead(true);
        }
    }
}
