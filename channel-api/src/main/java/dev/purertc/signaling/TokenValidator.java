package dev.purertc.signaling;

/**
 * Decides whether a WebSocket upgrade may proceed, from the {@code token} query parameter of the
 * upgrade URL ({@code ws://host:port/ws?token=...}; browsers cannot set headers on a WebSocket, so the
 * token travels in the URL). Called on a Netty event loop thread for every upgrade request: it must
 * not block. A rejected upgrade is answered with HTTP 401 and no connection is created.
 */
@FunctionalInterface
public interface TokenValidator {

    /**
     * @param token the {@code token} query parameter, or {@code null} when the URL has none
     * @param origin the request's {@code Origin} header, or {@code null} when absent (non-browser clients)
     * @return true to accept the connection
     */
    boolean accept(String token, String origin);
}
