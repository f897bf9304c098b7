package dev.purertc.signaling;

/** The server refused a message; {@link #code()} says why (its wire name is in the error reply). */
public final class SignalingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final SignalingErrorCode code;

    public SignalingException(SignalingErrorCode code, String message) {
        super((code == null ? "error" : code.wireName()) + ": " + message);
        this.code = code;
    }

    /** The error code, or null when the server sent a code this client does not know. */
    public SignalingErrorCode code() {
        return code;
    }
}
