package dev.purertc.ice;

import java.util.List;
import java.util.Objects;

/**
 * One entry of an {@code iceServers} list, shaped like the browser's {@code RTCIceServer}: one or more
 * URLs ({@code stun:host[:port]}, {@code turn:host[:port][?transport=udp|tcp]},
 * {@code turns:host[:port][?transport=tcp]}) sharing one username and credential.
 *
 * <p>The URLs are validated when the record is built ({@link IceServerUrl#parse}); nothing is resolved
 * or contacted until an {@link IceAgent} gathers candidates.
 *
 * @param urls       one or more STUN/TURN URLs, never empty
 * @param username   TURN username, {@code null} for STUN-only entries
 * @param credential TURN password, {@code null} for STUN-only entries
 */
public record IceServer(List<String> urls, String username, String credential) {

    public IceServer {
        Objects.requireNonNull(urls, "urls");
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("an ICE server needs at least one URL");
        }
        urls = List.copyOf(urls);
        for (String url : urls) {
            IceServerUrl parsed = IceServerUrl.parse(url);
            if (parsed.isTurn() && (username == null || credential == null)) {
                throw new IllegalArgumentException("TURN URL " + url + " needs a username and a credential");
            }
        }
    }

    /** A STUN server, for example {@code IceServer.stun("stun:127.0.0.1:3478")}. */
    public static IceServer stun(String... urls) {
        return new IceServer(List.of(urls), null, null);
    }

    /** A TURN server with its long-term credentials (RFC 8656 §9.2). */
    public static IceServer turn(String username, String credential, String... urls) {
        return new IceServer(List.of(urls), username, credential);
    }

    /** The parsed form of {@link #urls()}, in order. */
    public List<IceServerUrl> parsedUrls() {
        return urls.stream().map(IceServerUrl::parse).toList();
    }
}
