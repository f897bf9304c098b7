package dev.purertc.interop;

/** A bounded wait on the browser ran out: no reply to a command, or no matching event. */
public final class BrowserTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BrowserTimeoutException(String message) {
        super(message);
    }
}
