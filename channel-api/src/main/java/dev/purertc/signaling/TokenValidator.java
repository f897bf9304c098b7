package dev.purertc.signaling;

/**
 * Authenticates a WebSocket upgrade from the {@code token} query parameter of the upgrade URL
 * ({@code ws://host:port/ws?token=...}; browsers cannot set headers on a WebSocket, so the token travels
 * in the URL) and says which user ids the connection may then register. An empty grant (or {@code null})
 * refuses the upgrade with HTTP 401 and no connection is created; a granted connection that registers an
 * id outside its grant gets the {@code user-not-granted} error.
 *
 * <p>Threading: called on a Netty event loop thread for every upgrade request, so it must not block
 * (look tokens up in memory, or verify a signed token locally). The server keeps only a SHA-256
 * fingerprint of the token, to let the same token re-claim its user id while the id is reserved.
 *
 * <pre>{@code
 * TokenValidator v = (token, origin) -> {
 *     String user = sessions.get(token);            // e.g. a map filled by your login endpoint
 *     return user == null ? TokenGrant.none() : TokenGrant.of(user);
 * };
 * }</pre>
 */
@FunctionalInterface
public interface TokenValidator {

    /**
     * @param token the {@code token} query parameter, or {@code null} when the URL has none
     * @param origin the request's {@code Origin} header, or {@code null} when absent (non-browser clients);
     *        it has already passed the server's origin check
     * @return the user ids this token may register; {@link TokenGrant#none()} or {@code null} refuses
     */
    TokenGrant validate(String token, String origin);
}
