package dev.purertc.signaling;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import dev.purertc.channel.PeerConnectionState;
import dev.purertc.rooms.CallRefusal;
import dev.purertc.rooms.Room;
import dev.purertc.rooms.TimeoutScheduler;

/**
 * Applies {@link CallLimits} to the calls a bridge answers: counts open calls in all and per calling
 * user, and closes a call that has not reached {@code connected} when its
 * {@link CallLimits#connectTimeout()} runs out.
 *
 * <p>Threading: thread-safe; the connect deadline runs on the scheduler's thread and hands the
 * expired room to {@code onConnectTimeout}, which must not block.
 */
final class CallAdmission {

    private final CallLimits limits;
    private final TimeoutScheduler scheduler;
    private final Consumer<Room> onConnectTimeout;
    private final Map<String, Integer> perUser = new HashMap<>();
    private int open;

    CallAdmission(CallLimits limits, TimeoutScheduler scheduler, Consumer<Room> onConnectTimeout) {
        this.limits = limits;
        this.scheduler = scheduler;
        this.onConnectTimeout = onConnectTimeout;
    }

    /** Takes a place for a call from {@code user}: null if admitted (then {@link #track} or {@link #release}), else why not. */
    synchronized CallRefusal tryAdmit(String user) {
        if (open >= limits.maxCalls()) {
            return CallRefusal.TOO_MANY_CALLS;
        }
        int fromUser = perUser.getOrDefault(user, 0);
        if (fromUser >= limits.maxCallsPerUser()) {
            return CallRefusal.TOO_MANY_CALLS_FROM_USER;
        }
        open++;
        perUser.put(user, fromUser + 1);
        return null;
    }

    /** Gives back the place of an admitted call from {@code user}. */
    synchronized void release(String user) {
        Integer n = perUser.get(user);
        if (n == null) {
            return;
        }
        open--;
        if (n == 1) {
            perUser.remove(user);
        } else {
            perUser.put(user, n - 1);
        }
    }

    /**
     * The admitted call from {@code user} is {@code room}: its place is given back when the room closes,
     * and the room goes to {@code onConnectTimeout} if it has not connected by the deadline.
     */
    void track(Room room, String user) {
        TimeoutScheduler.Cancellable deadline = scheduler.schedule(limits.connectTimeout(), () -> {
            if (!room.closed().isDone() && !connected(room)) {
                onConnectTimeout.accept(room);
            }
        });
        room.closed().whenComplete((r, failure) -> {
            deadline.cancel();
            release(user);
        });
    }

    /** Calls open now. */
    synchronized int open() {
        return open;
    }

    private static boolean connected(Room room) {
        return (room.opened().isDone() && !room.opened().isCompletedExceptionally())
                || room.connection().connectionState() == PeerConnectionState.CONNECTED;
    }
}
