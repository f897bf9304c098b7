package dev.purertc.rooms;

/**
 * Why a call was refused, with the name it carries on the wire (the {@code reason} of a
 * {@code reject} signaling message, or the {@code error} of a graphscript reply).
 */
public enum CallRefusal {
    /** The callee's application declined the call. */
    DECLINED("declined"),
    /** The room id names a call that is bound to another user (or is being set up). */
    ROOM_IN_USE("room-in-use"),
    /** The callee already holds as many calls as it accepts in all. */
    TOO_MANY_CALLS("too-many-calls"),
    /** The callee already holds as many calls from this user as it accepts from one user. */
    TOO_MANY_CALLS_FROM_USER("too-many-calls-from-user"),
    /** The callee could not answer the offer (it failed to parse or to apply). */
    INVALID_OFFER("invalid-offer"),
    /** Call information for rooms not open yet is over its bound (in all or for this caller). */
    TOO_MANY_PENDING_CALLS("too-many-pending-calls"),
    /** A reason this version does not know (sent by a newer or foreign peer). */
    UNKNOWN("unknown");

    private final String wireName;

    CallRefusal(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire, e.g. {@code room-in-use}. */
    public String wireName() {
        return wireName;
    }

    /** The refusal a wire name stands for; {@link #UNKNOWN} for null or an unknown name. */
    public static CallRefusal fromWireName(String name) {
        for (CallRefusal r : values()) {
            if (r.wireName.equals(name)) {
                return r;
            }
        }
        return UNKNOWN;
    }
}
