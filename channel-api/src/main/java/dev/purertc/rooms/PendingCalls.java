package dev.purertc.rooms;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The call information {@link WebRtcRooms} keeps for rooms not open yet, within
 * {@link PendingCallLimits}: a bounded number of rooms in all and per caller, a bounded number of
 * candidates per room, each entry forgotten {@code ttl} after its first part arrived.
 *
 * <p>Threading: every method is synchronized; expiry runs on the scheduler's thread.
 */
final class PendingCalls {

    /** The key of information that names no caller. */
    static final String ANONYMOUS = "";

    private record Entry(RoomOptions options, String caller, TimeoutScheduler.Cancellable expiry) {
    }

    private final PendingCallLimits limits;
    private final TimeoutScheduler scheduler;
    private final Map<String, Entry> byId = new LinkedHashMap<>();
    private final Map<String, Integer> perCaller = new HashMap<>();

    PendingCalls(PendingCallLimits limits, TimeoutScheduler scheduler) {
        this.limits = limits;
        this.scheduler = scheduler;
    }

    /** The caller a piece of call information is counted against. */
    static String callerOf(RoomOptions o) {
        Object caller = o.properties.get("caller");
        return caller == null ? ANONYMOUS : caller.toString();
    }

    /**
     * Keeps {@code o} (which has an id), merged with what is kept for its room. Candidates past
     * {@code maxCandidatesPerCall} are dropped.
     *
     * @throws CallRefusedException ({@link CallRefusal#TOO_MANY_PENDING_CALLS}) when this would be a new
     *         room past {@code maxCalls} or past {@code maxCallsPerCaller} for its caller, and
     *         ({@link CallRefusal#ROOM_IN_USE}) when the room's kept information came from another caller
     */
    synchronized void keep(RoomOptions o) {
        String id = o.id;
        String caller = callerOf(o);
        Entry existing = byId.get(id);
        if (existing != null) {
            // A part that names no caller adds to whatever is kept (the application's own calls); a part
            // that names one must name the caller whose information came first.
            if (o.properties.get("caller") != null && !existing.caller.equals(caller)) {
                throw new CallRefusedException(CallRefusal.ROOM_IN_USE, id,
                        "room " + id + " has call information from another caller");
            }
            byId.put(id, new Entry(capCandidates(existing.options.mergedWith(o)), caller, existing.expiry));
            return;
        }
        if (byId.size() >= limits.maxCalls()) {
            throw new CallRefusedException(CallRefusal.TOO_MANY_PENDING_CALLS, id,
                    "call information for " + limits.maxCalls() + " rooms is kept already");
        }
        int fromCaller = perCaller.getOrDefault(caller, 0);
        if (fromCaller >= limits.maxCallsPerCaller()) {
            throw new CallRefusedException(CallRefusal.TOO_MANY_PENDING_CALLS, id,
                    "call information for " + limits.maxCallsPerCaller() + " rooms from this caller is kept already");
        }
        TimeoutScheduler.Cancellable expiry = scheduler.schedule(limits.ttl(), () -> expire(id));
        byId.put(id, new Entry(capCandidates(o), caller, expiry));
        perCaller.put(caller, fromCaller + 1);
    }

    private RoomOptions capCandidates(RoomOptions o) {
        if (o.candidates == null || o.candidates.size() <= limits.maxCandidatesPerCall()) {
            return o;
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : o.candidates.entrySet()) {
            if (kept.size() == limits.maxCandidatesPerCall()) {
                break;
            }
            kept.put(e.getKey(), e.getValue());
        }
        return o.withCandidates(kept);
    }

    /** Removes and returns the information kept for {@code id}, or null. */
    synchronized RoomOptions take(String id) {
        Entry e = byId.remove(id);
        if (e == null) {
            return null;
        }
        e.expiry.cancel();
        release(e.caller);
        return e.options;
    }

    /** The information kept for {@code id}, or null. */
    synchronized RoomOptions peek(String id) {
        Entry e = byId.get(id);
        return e == null ? null : e.options;
    }

    /** The caller whose information is kept for {@code id}, or null if there is none. */
    synchronized String callerFor(String id) {
        Entry e = byId.get(id);
        return e == null ? null : e.caller;
    }

    synchronized Map<String, RoomOptions> snapshot() {
        Map<String, RoomOptions> out = new LinkedHashMap<>();
        byId.forEach((id, e) -> out.put(id, e.options));
        return Map.copyOf(out);
    }

    synchronized void clear() {
        byId.values().forEach(e -> e.expiry.cancel());
        byId.clear();
        perCaller.clear();
    }

    private synchronized void expire(String id) {
        Entry e = byId.remove(id);
        if (e != null) {
            release(e.caller);
        }
    }

    private void release(String caller) {
        perCaller.computeIfPresent(caller, (k, n) -> n == 1 ? null : n - 1);
    }
}
