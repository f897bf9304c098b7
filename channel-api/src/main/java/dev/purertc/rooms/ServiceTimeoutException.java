package dev.purertc.rooms;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** No reply to a {@code run}/{@code request}/{@code subscribe} within its timeout; its listener is gone. */
public final class ServiceTimeoutException extends TimeoutException {

    private final transient Object callbackId;

    public ServiceTimeoutException(String what, Object callbackId, Duration timeout) {
        super("no reply to " + what + " (callbackId " + callbackId + ") within " + timeout);
        this.callbackId = callbackId;
    }

    /** The callbackId of the request, as sent. */
    public Object callbackId() {
        return callbackId;
    }
}
