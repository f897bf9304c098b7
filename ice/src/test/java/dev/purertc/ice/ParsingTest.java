package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class ParsingTest {

    @Test
    void parsesStunAndTurnUrlsWithDefaults() {
        assertEquals(new IceServerUrl("stun", "127.0.0.1", 3478, "udp"), IceServerUrl.parse("stun:127.0.0.1"));
        assertEquals(new IceServerUrl("stun", "::1", 19302, "udp"), IceServerUrl.parse("stun:[::1]:19302"));
        assertEquals(new IceServerUrl("turn", "relay.example", 3478, "tcp"),
                IceServerUrl.parse("turn:relay.example?transport=tcp"));
        assertEquals(new IceServerUrl("turns", "relay.example", 5349, "tcp"), IceServerUrl.parse("TURNS:relay.example"));
        assertThrows(IllegalArgumentException.class, () -> IceServerUrl.parse("http://x"));
        assertThrows(IllegalArgumentException.class, () -> IceServerUrl.parse("stun://x"));
        assertThrows(IllegalArgumentException.class, () -> IceServerUrl.parse("stun:x:70000"));
        assertThrows(IllegalArgumentException.class, () -> IceServerUrl.parse("stun:x?transport=udp"));
        assertThrows(IllegalArgumentException.class, () -> IceServer.stun("turn:x"));
    }

    @Test
    void credentialsFollowRfc8839Lengths() {
        assertThrows(IllegalArgumentException.class, () -> new IceCredentials("abc", "a".repeat(22)));
        assertThrows(IllegalArgumentException.class, () -> new IceCredentials("abcd", "a".repeat(21)));
        assertThrows(IllegalArgumentException.class, () -> new IceCredentials("ab-d", "a".repeat(22)));
        assertEquals("abcd", new IceCredentials("abcd", "a+/".repeat(8)).ufrag());
    }

    @Test
    void ipLiteralsParseWithoutResolverAndNamesAreRefused() throws Exception {
        assertEquals(InetAddress.getByName("127.0.0.1"), IpLiteral.parse("127.0.0.1"));
        assertEquals(InetAddress.getByName("::1"), IpLiteral.parse("::1"));
        assertEquals(InetAddress.getByName("::1"), IpLiteral.parse("[::1]"));
        assertNull(IpLiteral.parse("localhost"));
        assertNull(IpLiteral.parse("example.local"));
        assertNull(IpLiteral.parse("256.1.1.1"));
    }

    @Test
    void optionsRejectInvalidCombinations() {
        assertThrows(IllegalArgumentException.class, () -> IceOptions.builder().portRange(5000, 4000).build());
        assertThrows(IllegalArgumentException.class,
                () -> IceOptions.builder().pacing(java.time.Duration.ofMillis(4)).build());
        assertThrows(IllegalArgumentException.class,
                () -> IceOptions.builder().transportPolicy(IceTransportPolicy.RELAY).build());
        assertEquals(java.time.Duration.ofSeconds(30), IceOptions.defaults().consentTimeout());
    }
}
