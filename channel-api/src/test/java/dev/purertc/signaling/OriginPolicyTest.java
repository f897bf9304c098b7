package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The same-origin rule against the request's Host, behind a proxy and on loopback. */
class OriginPolicyTest {

    private static final OriginPolicy SAME_ORIGIN = new OriginPolicy(Set.of());

    private static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void behindATlsProxyTheHostWithoutPortMeansTheOriginSchemesDefault() throws Exception {
        InetSocketAddress server = at("192.0.2.2", 8080);
        assertNull(SAME_ORIGIN.refusal("https://chat.example", "chat.example", server));
        assertNull(SAME_ORIGIN.refusal("https://chat.example:443", "CHAT.example", server));
        assertNull(SAME_ORIGIN.refusal("http://chat.example", "chat.example", server));
        assertNotNull(SAME_ORIGIN.refusal("https://chat.example", "chat.example:8443", server));
        assertNotNull(SAME_ORIGIN.refusal("https://evil.example", "chat.example", server));
        assertNotNull(SAME_ORIGIN.refusal("https://chat.example.evil.example", "chat.example", server));
        assertNotNull(SAME_ORIGIN.refusal("https://user@chat.example", "chat.example", server));
    }

    @Test
    void onLoopbackOnlyLoopbackHostsCountAsTheServersOwn() throws Exception {
        InetSocketAddress server = at("127.0.0.1", 8080);
        assertNull(SAME_ORIGIN.refusal("http://127.0.0.1:8080", "127.0.0.1:8080", server));
        assertNull(SAME_ORIGIN.refusal("http://localhost:8080", "localhost:8080", server));
        assertNull(SAME_ORIGIN.refusal("http://[::1]:8080", "[::1]:8080", server));
        assertNotNull(SAME_ORIGIN.refusal("http://rebound.example:8080", "rebound.example:8080", server));
        assertNotNull(SAME_ORIGIN.refusal("http://10.0.0.1:8080", "10.0.0.1:8080", server));
        // no Host at all: the bound address is the server's own origin
        assertNull(SAME_ORIGIN.refusal("http://127.0.0.1:8080", null, server));
        assertNotNull(SAME_ORIGIN.refusal("http://127.0.0.1:8081", null, server));
    }

    @Test
    void anAllowListAddsExactOriginsAndStarAllowsAll() throws Exception {
        InetSocketAddress server = at("127.0.0.1", 8080);
        OriginPolicy listed = new OriginPolicy(Set.of("https://App.example/"));
        assertNull(listed.refusal("https://app.example", "127.0.0.1:8080", server));
        assertNull(listed.refusal("http://127.0.0.1:8080", "127.0.0.1:8080", server));
        assertNotNull(listed.refusal("https://app.example:444", "127.0.0.1:8080", server));
        assertNull(new OriginPolicy(Set.of("*")).refusal("null", "127.0.0.1:8080", server));
        assertNull(SAME_ORIGIN.refusal(null, "anything", server));
    }
}
