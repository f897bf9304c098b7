package dev.purertc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

    @Test
    void originParsesAndWritesSixFields() {
        Origin o = Origin.parse("mozilla...THIS_IS_SDPARTA-99.0 3728495346714769338 0 IN IP4 0.0.0.0");
        assertEquals("mozilla...THIS_IS_SDPARTA-99.0", o.username());
        assertEquals("3728495346714769338", o.sessionId());
        assertEquals("0", o.sessionVersion());
        assertEquals("IN", o.netType());
        assertEquals("IP4", o.addressType());
        assertEquals("0.0.0.0", o.address());
        assertEquals("mozilla...THIS_IS_SDPARTA-99.0 3728495346714769338 0 IN IP4 0.0.0.0", o.text());
        // RFC 8866 does not bound the session id: larger than a long still parses.
        assertEquals("123456789012345678901234567890", Origin.parse("- 123456789012345678901234567890 1 IN IP6 ::1").sessionId());
        assertEquals("- 7 3 IN IP4 127.0.0.1", Origin.jsep(7, 3).text());
        assertThrows(IllegalArgumentException.class, () -> Origin.parse("- 1 1 IN IP4"));
        assertThrows(IllegalArgumentException.class, () -> Origin.parse("- 1 x IN IP4 0.0.0.0"));
        assertThrows(IllegalArgumentException.class, () -> Origin.jsep(-1, 0));
    }

    @Test
    void groupParsesSemanticsAndMids() {
        Group g = Group.parse("BUNDLE 0 1 data");
        assertEquals("BUNDLE", g.semantics());
        assertEquals(List.of("0", "1", "data"), g.mids());
        assertTrue(g.isBundle());
        assertEquals(new Attribute("group", "BUNDLE 0 1 data"), g.toAttribute());
        assertEquals(List.of(), Group.parse("BUNDLE").mids());
        assertFalse(Group.parse("LS 0 1").isBundle());
        assertThrows(IllegalArgumentException.class, () -> Group.parse("BUNDLE  0"));
        assertThrows(IllegalArgumentException.class, () -> Group.parse(""));
    }

    @Test
    void mediaLineKeepsPortCountAndFormats() {
        MediaDescription m = MediaDescription.parseMediaLine("audio 49170/2 RTP/AVP 0 8", List.of());
        assertEquals(49170, m.port());
        assertEquals(2, m.numberOfPorts());
        assertEquals(List.of("0", "8"), m.formats());
        assertEquals("audio 49170/2 RTP/AVP 0 8", m.mediaLineText());
        assertThrows(IllegalArgumentException.class, () -> MediaDescription.parseMediaLine("audio 49170/0 RTP/AVP 0", List.of()));
        assertThrows(IllegalArgumentException.class, () -> MediaDescription.parseMediaLine("audio x RTP/AVP 0", List.of()));
        assertThrows(IllegalArgumentException.class, () -> MediaDescription.parseMediaLine("audio 9 RTP/AVP", List.of()));
        assertThrows(IllegalArgumentException.class, () -> MediaDescription.parseMediaLine("audio 9 /AVP 0", List.of()));
    }

    @Test
    void bundleOnlySectionWithPortZeroIsNotRejected() {
        MediaDescription m = MediaDescription.of("application", 0, "UDP/DTLS/SCTP", List.of("webrtc-datachannel"));
        assertTrue(m.isRejected());
        assertFalse(m.withLine(Attribute.flag("bundle-only")).isRejected());
    }

    @Test
    void sctpParametersRejectNonDataSectionsAndBadValues() throws SdpParseException {
        MediaDescription audio = MediaDescription.of("audio", 9, "UDP/TLS/RTP/SAVPF", List.of("111"));
        assertFalse(SctpParameters.isDataChannelSection(audio));
        SdpValidationException e = assertThrows(SdpValidationException.class, () -> SctpParameters.of(audio));
        assertEquals("m=application", e.attribute());
        MediaDescription tcp = MediaDescription.of("application", 9, "TCP/DTLS/SCTP", List.of("webrtc-datachannel"));
        assertEquals(new SctpParameters(5000, 65536, false, 0), SctpParameters.of(tcp));
        MediaDescription legacyNoMap = MediaDescription.of("application", 5000, "DTLS/SCTP", List.of("5001"));
        assertEquals(new SctpParameters(5001, 65536, true, 0), SctpParameters.of(legacyNoMap));
        MediaDescription legacyBadFormat = MediaDescription.of("application", 5000, "DTLS/SCTP", List.of("webrtc-datachannel"));
        assertThrows(SdpParseException.class, () -> SctpParameters.of(legacyBadFormat));
        assertThrows(IllegalArgumentException.class, () -> SctpParameters.sendLimit(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SctpParameters(70000, 0, false, 0));
    }

    @Test
    void iceParametersEnforceRfc8839Lengths() {
        assertEquals("abcd", new IceParameters("abcd", "a".repeat(22), List.of(), false).ufrag());
        assertThrows(IllegalArgumentException.class, () -> new IceParameters("abc", "a".repeat(22), List.of(), false));
        assertThrows(IllegalArgumentException.class, () -> new IceParameters("abcd", "a".repeat(21), List.of(), false));
        assertThrows(IllegalArgumentException.class, () -> new IceParameters("a".repeat(257), "a".repeat(22), List.of(), false));
        assertThrows(IllegalArgumentException.class, () -> new IceParameters("ab-d", "a".repeat(22), List.of(), false));
        assertThrows(IllegalArgumentException.class, () -> new IceParameters("abcd", "a".repeat(21) + ":", List.of(), false));
    }

    @Test
    void defaultSessionIdsAreRandomAndNonNegative() {
        long a = DataChannelParameters.builder("abcd", "a".repeat(22), DataChannelNegotiationTest.LOCAL_FP).build().sessionId();
        long b = DataChannelParameters.builder("abcd", "a".repeat(22), DataChannelNegotiationTest.LOCAL_FP).build().sessionId();
        assertTrue(a >= 0 && b >= 0);
        assertNotEquals(a, b);
    }
}
