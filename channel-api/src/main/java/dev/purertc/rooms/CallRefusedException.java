package dev.purertc.rooms;

/** A call (or its call information) was refused; {@link #reason()} says why. */
public final class CallRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient CallRefusal reason;
    private final String roomId;

    public CallRefusedException(CallRefusal reason, String roomId, String message) {
        super(message);
        this.reason = reason;
        this.roomId = roomId;
    }

    public CallRefusal reason() {
        return reason;
    }

    /** The room id of the refused call. */
    public String roomId() {
        return roomId;
    }
}
