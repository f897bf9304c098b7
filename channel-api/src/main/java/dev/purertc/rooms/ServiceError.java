package dev.purertc.rooms;

/**
 * Why a remote call failed, as carried in an error reply. graphscript has no error reply (a failing
 * route is silent and its caller waits forever); PureRTC answers
 * {@code {"error":{"code":"NOT_FOUND","message":"..."},"callbackId":<id>}}. A graphscript caller
 * matches the {@code callbackId} and resolves with {@code undefined} instead of hanging.
 */
public enum ServiceError {
    /** No route by that name that remote peers may call (unknown and not-allowed look the same). */
    NOT_FOUND,
    /** The arguments did not fit the route (count or type). */
    BAD_ARGUMENTS,
    /** The message itself is malformed (e.g. a runRequest without a message). */
    BAD_REQUEST,
    /** The route threw or its asynchronous result failed. */
    FAILED;

    /** The code for an error reply's {@code code} text; FAILED for anything unknown. */
    static ServiceError of(String code) {
        for (ServiceError e : values()) {
            if (e.name().equals(code)) {
                return e;
            }
        }
        return FAILED;
    }
}
