package dev.purertc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IceCandidateTest {

    private static final String CHROME_MDNS =
            "candidate:1467250027 1 udp 2122260223 4c9e6f7a-2b1d-4c4e-9d43-0a1b2c3d4e5f.local 54321 typ host "
                    + "generation 0 ufrag UXoK network-id 1 network-cost 10";

    @Test
    void parsesChromeMdnsHostCandidateFieldByField() throws SdpParseException {
        IceCandidate c = IceCandidate.parse(CHROME_MDNS);
        assertEquals("1467250027", c.foundation());
        assertEquals(1, c.component());
        assertEquals("udp", c.transport());
        assertEquals(2122260223L, c.priority());
        assertEquals("4c9e6f7a-2b1d-4c4e-9d43-0a1b2c3d4e5f.local", c.address());
        assertEquals(54321, c.port());
        assertEquals(CandidateType.HOST, c.type());
        assertEquals(Optional.empty(), c.relatedAddress());
        assertEquals(OptionalInt.empty(), c.relatedPort());
        assertEquals(Optional.empty(), c.tcpType());
        assertEquals(List.of(
                new IceCandidate.Extension("generation", "0"),
                new IceCandidate.Extension("ufrag", "UXoK"),
                new IceCandidate.Extension("network-id", "1"),
                new IceCandidate.Extension("network-cost", "10")), c.extensions());
        assertTrue(c.isMdnsAddress());
        assertTrue(c.isUdp());
        assertEquals(Optional.of("UXoK"), c.extension("ufrag"));
        assertEquals(CHROME_MDNS, c.toCandidateString());
    }

    @Test
    void acceptsTheThreeSpellingsOfACandidate() throws SdpParseException {
        String bare = CHROME_MDNS.substring("candidate:".length());
        IceCandidate fromTrickle = IceCandidate.parse(CHROME_MDNS);
        assertEquals(fromTrickle, IceCandidate.parse("a=" + CHROME_MDNS));
        assertEquals(fromTrickle, IceCandidate.parse(bare));
        assertEquals("a=" + CHROME_MDNS, "a=" + fromTrickle.toAttribute().text());
    }

    @Test
    void parsesSrflxWithRelatedAddressAndPort() throws SdpParseException {
        String line = "candidate:842163049 1 udp 1677729535 198.51.100.7 61665 typ srflx raddr 0.0.0.0 rport 0 "
                + "generation 0 ufrag abcd network-cost 999";
        IceCandidate c = IceCandidate.parse(line);
        assertEquals(CandidateType.SRFLX, c.type());
        assertEquals(Optional.of("0.0.0.0"), c.relatedAddress());
        assertEquals(OptionalInt.of(0), c.relatedPort());
        assertEquals(3, c.extensions().size());
        assertEquals(line, c.toCandidateString());
    }

    @Test
    void parsesRelayAndPrflxAndIpv6() throws SdpParseException {
        IceCandidate relay = IceCandidate.parse(
                "candidate:3 1 UDP 92216831 2001:db8::5 50000 typ relay raddr 2001:db8::1 rport 40000");
        assertEquals(CandidateType.RELAY, relay.type());
        assertEquals("2001:db8::5", relay.address());
        assertEquals("UDP", relay.transport());
        assertFalse(relay.isMdnsAddress());
        IceCandidate prflx = IceCandidate.parse("candidate:7 1 udp 1845501695 ::ffff:192.0.2.9 3478 typ prflx");
        assertEquals(CandidateType.PRFLX, prflx.type());
        assertEquals("::ffff:192.0.2.9", prflx.address());
    }

    @Test
    void parsesTcpTypeAfterTypeAndKeepsItOutOfExtensions() throws SdpParseException {
        String line = "candidate:3015043264 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0 "
                + "ufrag UXoK network-id 1 network-cost 50";
        IceCandidate c = IceCandidate.parse(line);
        assertEquals(Optional.of("active"), c.tcpType());
        assertEquals(3, c.extensions().stream().filter(e -> !e.name().equals("network-cost")).count());
        assertEquals(Optional.of("active"), c.extension("tcptype"));
        assertEquals(9, c.port());
        assertEquals(line, c.toCandidateString());
    }

    @Test
    void keepsUnknownExtensionsInOrder() throws SdpParseException {
        String line = "candidate:1 1 udp 100 10.0.0.1 1000 typ host zeta 1 alpha two generation 7";
        IceCandidate c = IceCandidate.parse(line);
        assertEquals(List.of(new IceCandidate.Extension("zeta", "1"), new IceCandidate.Extension("alpha", "two"),
                new IceCandidate.Extension("generation", "7")), c.extensions());
        assertEquals(line, c.toCandidateString());
    }

    @Test
    void rejectsUnknownCandidateTypeWithTypedException() {
        SdpParseException e = assertThrows(SdpParseException.class,
                () -> IceCandidate.parse("candidate:1 1 udp 100 10.0.0.1 1000 typ bogus"));
        assertEquals("unknown candidate type 'bogus'", e.reason());
        assertEquals(1, e.lineNumber());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "candidate:",
            "a=candidate:",
            "candidate:1 1 udp 100 10.0.0.1 1000 typ",
            "candidate:1 1 udp 100 10.0.0.1 1000 host",
            "candidate:1 0 udp 100 10.0.0.1 1000 typ host",
            "candidate:1 257 udp 100 10.0.0.1 1000 typ host",
            "candidate:1 1 udp 0 10.0.0.1 1000 typ host",
            "candidate:1 1 udp 4294967296 10.0.0.1 1000 typ host",
            "candidate:1 1 udp 99999999999999999999999 10.0.0.1 1000 typ host",
            "candidate:1 1 udp -5 10.0.0.1 1000 typ host",
            "candidate:1 1 udp 100 10.0.0.1 65536 typ host",
            "candidate:1 1 udp 100 10.0.0.256 1000 typ host",
            "candidate:1 1 udp 100 10.0.0 1000 typ host",
            "candidate:1 1 udp 100 2001:db8:::1 1000 typ host",
            "candidate:1 1 udp 100 2001:db8::\u0661 1000 typ host",
            "candidate:1 1 udp 100 1:2:3:4:5:6:7 1000 typ host",
            "candidate:1 1 udp 100 1:2:3:4:5:6:7:8:9 1000 typ host",
            "candidate:1 1 udp 100 bad_host!.local 1000 typ host",
            "candidate:1 1 udp 100 10.0.0.1 1000 typ host generation",
            "candidate:1 1 udp 100 10.0.0.1 1000 typ host generation 0 raddr 1.2.3.4",
            "candidate:1 1 udp 100 10.0.0.1 1000 typ host tcptype sideways",
            "candidate:1  1 udp 100 10.0.0.1 1000 typ host",
            "candidate:1 1 udp 100 10.0.0.1 1000 typ host ",
            "candidate:foundation-with-dash 1 udp 100 10.0.0.1 1000 typ host",
            "candidate:123456789012345678901234567890123 1 udp 100 10.0.0.1 1000 typ host",
            "candidate:1 1 udp 100 10.0.0.1 1000 typ srflx raddr 10.0.0.2 rport x",
            "candidate:1 1 ü 100 10.0.0.1 1000 typ host"
    })
    void rejectsMalformedCandidates(String line) {
        assertThrows(SdpParseException.class, () -> IceCandidate.parse(line));
    }

    @Test
    void recognizesEndOfCandidatesMarkers() {
        assertTrue(IceCandidate.isEndOfCandidates(""));
        assertTrue(IceCandidate.isEndOfCandidates("end-of-candidates"));
        assertTrue(IceCandidate.isEndOfCandidates("a=end-of-candidates"));
        assertFalse(IceCandidate.isEndOfCandidates(null));
        assertFalse(IceCandidate.isEndOfCandidates(" "));
        assertFalse(IceCandidate.isEndOfCandidates(CHROME_MDNS));
    }

    @Test
    void rejectsNull() {
        assertThrows(SdpParseException.class, () -> IceCandidate.parse(null));
    }

    @Test
    void reportsWhyAPriorityIsTooLarge() {
        SdpParseException e = assertThrows(SdpParseException.class,
                () -> IceCandidate.parse("candidate:1 1 udp 4294967296 10.0.0.1 1000 typ host"));
        assertEquals("priority is larger than 4294967295: '4294967296'", e.reason());
    }

    @Test
    void builderMakesALocalHostCandidate() throws SdpParseException {
        IceCandidate c = IceCandidate.builder()
                .foundation("1")
                .priority(IceCandidate.computePriority(126, 65535, 1))
                .address("127.0.0.1")
                .port(50000)
                .type(CandidateType.HOST)
                .extension("generation", "0")
                .build();
        assertEquals("candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host generation 0", c.toCandidateString());
        assertEquals(c, IceCandidate.parse(c.toCandidateString()));
    }

    @Test
    void builderWritesRelatedAddressAndTcpType() {
        IceCandidate c = IceCandidate.builder().foundation("abc").component(1).transport("tcp").priority(5)
                .address("192.0.2.1").port(9).type(CandidateType.SRFLX).related("10.0.0.1", 4000)
                .tcpType("passive").build();
        assertEquals("candidate:abc 1 tcp 5 192.0.2.1 9 typ srflx raddr 10.0.0.1 rport 4000 tcptype passive",
                c.toCandidateString());
        assertEquals("candidate:abc 1 tcp 5 192.0.2.1 9 typ srflx raddr 10.0.0.1 rport 4000 tcptype passive network-id 3",
                c.withExtension("network-id", "3").toCandidateString());
    }

    @Test
    void builderRejectsMissingFields() {
        assertThrows(IllegalArgumentException.class, () -> IceCandidate.builder().foundation("1").build());
        assertThrows(IllegalArgumentException.class, () -> IceCandidate.builder().foundation("1").priority(0)
                .address("127.0.0.1").port(1).type(CandidateType.HOST).build());
    }

    @Test
    void computesRfc8445Priorities() {
        assertEquals(2130706431L, IceCandidate.computePriority(126, 65535, 1));
        assertEquals(1694498815L, IceCandidate.computePriority(100, 65535, 1));
        assertEquals(255L, IceCandidate.computePriority(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> IceCandidate.computePriority(127, 0, 1));
    }

    @Test
    void normalizesTypeCaseOnly() throws SdpParseException {
        IceCandidate c = IceCandidate.parse("candidate:1 1 UDP 100 10.0.0.1 1000 TYP HOST");
        assertEquals(CandidateType.HOST, c.type());
        assertEquals("candidate:1 1 UDP 100 10.0.0.1 1000 typ host", c.toCandidateString());
    }
}
