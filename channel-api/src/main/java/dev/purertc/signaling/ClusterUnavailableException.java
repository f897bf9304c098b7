package dev.purertc.signaling;

/**
 * The store a signaling cluster shares (Redis) could not be reached or did not answer in time. At start
 * it stops {@link SignalingServer#start}; while running, the request that needed it is refused with
 * {@code cluster-unavailable} and {@code /healthz} answers 503.
 */
public final class ClusterUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
