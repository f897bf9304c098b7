package dev.purertc.rooms;

/** The remote peer answered a {@code run}/{@code request}/{@code subscribe} with an error reply. */
public final class RemoteRouteException extends RuntimeException {

    private final ServiceError error;

    public RemoteRouteException(ServiceError error, String message) {
        super(error + ": " + message);
        this.error = error;
    }

    public ServiceError error() {
        return error;
    }
}
