package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.purertc.sdp.IceCandidate;

/** Parsing of announced-address entries and the candidate lines they turn host candidates into. */
class AnnouncedAddressesTest {

    private static final String HOST =
            "candidate:1 1 udp 2130706431 10.0.0.5 40000 typ host ufrag Ab12";
    private static final String HOST_V6 =
            "candidate:2 1 udp 2130706175 fd00::5 40000 typ host ufrag Ab12";
    private static final String TCP_PASSIVE =
            "candidate:3 1 tcp 1518280447 10.0.0.5 4443 typ host tcptype passive ufrag Ab12";
    private static final String SRFLX =
            "candidate:4 1 udp 1694498815 198.51.100.9 40000 typ srflx raddr 10.0.0.5 rport 40000 ufrag Ab12";

    private static List<String> announce(AnnouncedAddresses a, String line) throws Exception {
        return a.announce(IceCandidate.parse(line)).stream().map(IceCandidate::toCandidateString).toList();
    }

    @Test
    void replaceAnnouncesThePublicAddressOnlyWithTheSamePortFoundationAndPriority() throws Exception {
        AnnouncedAddresses a = AnnouncedAddresses.of(AnnouncedAddresses.Mode.REPLACE, "203.0.113.7");
        assertEquals(List.of("candidate:1 1 udp 2130706431 203.0.113.7 40000 typ host ufrag Ab12"), announce(a, HOST));
        assertEquals(List.of("candidate:3 1 tcp 1518280447 203.0.113.7 4443 typ host tcptype passive ufrag Ab12"),
                announce(a, TCP_PASSIVE));
    }

    @Test
    void addKeepsTheLocalLineAndAddsThePublicOneWithItsOwnFoundationAndLowerLocalPreference() throws Exception {
        AnnouncedAddresses a = AnnouncedAddresses.of(AnnouncedAddresses.Mode.ADD, "203.0.113.7/10.0.0.5");
        assertEquals(List.of(HOST, "candidate:1a 1 udp 2130706175 203.0.113.7 40000 typ host ufrag Ab12"),
                announce(a, HOST));
    }

    @Test
    void onlyMappedHostCandidatesChange() throws Exception {
        AnnouncedAddresses a = AnnouncedAddresses.of(AnnouncedAddresses.Mode.REPLACE, "203.0.113.7/10.0.0.6");
        assertEquals(List.of(HOST), announce(a, HOST));
        assertEquals(List.of(SRFLX), announce(AnnouncedAddresses.of(AnnouncedAddresses.Mode.REPLACE, "203.0.113.7"),
                SRFLX));
        // A family-wide entry maps its own family only.
        assertEquals(List.of(HOST_V6), announce(AnnouncedAddresses.of(AnnouncedAddresses.Mode.REPLACE, "203.0.113.7"),
                HOST_V6));
        assertEquals(List.of(HOST), announce(AnnouncedAddresses.NONE, HOST));
    }

    @Test
    void aLocalEntryWinsOverTheFamilyWideOneAndIpv6Works() throws Exception {
        AnnouncedAddresses a = AnnouncedAddresses.of(AnnouncedAddresses.Mode.REPLACE,
                "203.0.113.7", "198.51.100.1/10.0.0.5", "2001:db8::7");
        assertEquals(List.of("candidate:1 1 udp 2130706431 198.51.100.1 40000 typ host ufrag Ab12"), announce(a, HOST));
        assertEquals(List.of("candidate:2 1 udp 2130706175 2001:db8:0:0:0:0:0:7 40000 typ host ufrag Ab12"),
                announce(a, HOST_V6));
    }

    @Test
    void badEntriesThrowATypedExceptionNamingTheEntry() {
        assertBad("example.com", "announced address 'example.com': the public address 'example.com' is not an "
                + "IPv4 or IPv6 literal (names are not resolved)");
        assertBad("203.0.113.7/", "announced address '203.0.113.7/': the local address is empty");
        assertBad("203.0.113.7/fd00::5",
                "announced address '203.0.113.7/fd00::5': public and local address are of different families");
        assertBad("0.0.0.0", "announced address '0.0.0.0': the public address 0.0.0.0 is a wildcard or multicast address");
        assertBad("256.1.1.1", "announced address '256.1.1.1': the public address '256.1.1.1' is not an IPv4 or IPv6 "
                + "literal (names are not resolved)");
        AnnouncedAddressException twice = assertThrows(AnnouncedAddressException.class, () -> AnnouncedAddresses.of(
                AnnouncedAddresses.Mode.REPLACE, "203.0.113.7/10.0.0.5", "203.0.113.8/10.0.0.5"));
        assertEquals("203.0.113.8/10.0.0.5", twice.entry());
        assertEquals("announced address '203.0.113.8/10.0.0.5': local address 10.0.0.5 is mapped twice",
                twice.getMessage());
        AnnouncedAddressException family = assertThrows(AnnouncedAddressException.class, () -> AnnouncedAddresses.of(
                AnnouncedAddresses.Mode.ADD, "203.0.113.7", "2001:db8::7", "203.0.113.8"));
        assertEquals("203.0.113.8", family.entry());
    }

    private static void assertBad(String entry, String message) {
        AnnouncedAddressException e = assertThrows(AnnouncedAddressException.class,
                () -> AnnouncedAddresses.of(AnnouncedAddresses.Mode.REPLACE, entry));
        assertEquals(entry, e.entry());
        assertEquals(message, e.getMessage());
    }
}
