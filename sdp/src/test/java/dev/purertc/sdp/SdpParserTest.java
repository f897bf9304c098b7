package dev.purertc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SdpParserTest {

    /** A Chromium-shaped data-channel offer with an mDNS host candidate. */
    static final String CHROME_OFFER = String.join("\r\n",
            "v=0",
            "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0",
            "a=extmap-allow-mixed",
            "a=msid-semantic: WMS",
            "m=application 54321 UDP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP4 0.0.0.0",
            "a=candidate:1467250027 1 udp 2122260223 4c9e6f7a-2b1d-4c4e-9d43-0a1b2c3d4e5f.local 54321 typ host generation 0 network-id 1 network-cost 10",
            "a=ice-ufrag:Ab+/",
            "a=ice-pwd:0123456789abcdefABCDEF+/",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 78:12:7C:E3:04:11:51:E0:E5:98:73:98:5F:80:6D:41:A6:E8:14:81:17:0D:AF:8A:13:21:BC:84:5F:67:89:A6",
            "a=setup:actpass",
            "a=mid:0",
            "a=sctp-port:5000",
            "a=max-message-size:262144",
            "");

    @Test
    void roundTripsCrlfInputByteForByte() throws SdpParseException {
        assertEquals(CHROME_OFFER, SessionDescription.parse(CHROME_OFFER).toSdp());
    }

    @Test
    void parsesSessionAndMediaStructure() throws SdpParseException {
        SessionDescription sd = SessionDescription.parse(CHROME_OFFER);
        assertEquals(new Origin("-", "4611731400430051336", "2", "IN", "IP4", "127.0.0.1"), sd.origin());
        assertEquals("-", sd.sessionName());
        assertEquals(List.of(new SdpField('t', "0 0"), new Attribute("group", "BUNDLE 0"),
                Attribute.flag("extmap-allow-mixed"), new Attribute("msid-semantic", " WMS")), sd.lines());
        assertEquals(1, sd.media().size());
        MediaDescription m = sd.media().get(0);
        assertEquals("application", m.media());
        assertEquals(54321, m.port());
        assertEquals(0, m.numberOfPorts());
        assertEquals("UDP/DTLS/SCTP", m.proto());
        assertEquals(List.of("webrtc-datachannel"), m.formats());
        assertEquals(10, m.lines().size());
        assertEquals(List.of(new SdpField('c', "IN IP4 0.0.0.0")), m.fields('c'));
        assertEquals(Optional.of("0"), m.mid());
        assertEquals(Optional.of(Group.bundle(List.of("0"))), sd.bundleGroup());
        assertEquals(Optional.of(m), sd.mediaByMid("0"));
        assertEquals(Optional.empty(), sd.mediaByMid("1"));
    }

    @Test
    void acceptsLfOnlyInputAndWritesCrlf() throws SdpParseException {
        String lf = CHROME_OFFER.replace("\r\n", "\n");
        SessionDescription sd = SessionDescription.parse(lf);
        assertEquals(CHROME_OFFER, sd.toSdp());
    }

    @Test
    void acceptsMissingFinalLineEnd() throws SdpParseException {
        String noFinal = CHROME_OFFER.substring(0, CHROME_OFFER.length() - 2);
        assertEquals(CHROME_OFFER, SessionDescription.parse(noFinal).toSdp());
    }

    @Test
    void keepsUnknownAttributesAndFieldsInPlace() throws SdpParseException {
        String sdp = String.join("\r\n",
                "v=0",
                "o=jdoe 2890844526 2890842807 IN IP4 10.47.16.5",
                "s=SDP Seminar",
                "i=A Seminar on the session description protocol",
                "u=http://www.example.com/seminars/sdp.pdf",
                "e=j.doe@example.com (Jane Doe)",
                "p=+1 617 555-6011",
                "c=IN IP4 224.2.17.12/127",
                "b=AS:2000",
                "t=2873397496 2873404696",
                "r=7d 1h 0 25h",
                "z=2882844526 -1h 2898848070 0",
                "k=prompt",
                "a=recvonly",
                "a=x-custom:  spaced   value ",
                "a=x-empty:",
                "m=audio 49170/2 RTP/AVP 0",
                "i=audio track",
                "c=IN IP6 FF15::101/3",
                "b=TIAS:64000",
                "k=prompt",
                "a=rtpmap:0 PCMU/8000",
                "a=ünicode-value:höhö",
                "m=video 51372 RTP/AVP 99",
                "a=rtpmap:99 h263-1998/90000",
                "");
        // "ünicode-value" is not a token: fix the name, keep the non-ASCII value.
        sdp = sdp.replace("a=ünicode-value", "a=x-unicode-value");
        SessionDescription sd = SessionDescription.parse(sdp);
        assertEquals(sdp, sd.toSdp());
        assertEquals(Optional.of("  spaced   value "), sd.attributeValue("x-custom"));
        assertEquals(Optional.of(""), sd.attributeValue("x-empty"));
        assertEquals(2, sd.media().get(0).numberOfPorts());
        assertEquals(Optional.of("höhö"), sd.media().get(0).attributeValue("x-unicode-value"));
        assertEquals(List.of(new SdpField('b', "TIAS:64000")), sd.media().get(0).fields('b'));
    }

    private static SdpParseException parseError(String sdp) {
        return assertThrows(SdpParseException.class, () -> SessionDescription.parse(sdp));
    }

    @Test
    void reportsLineNumberAndReason() {
        String bad = CHROME_OFFER.replace("a=sctp-port:5000", "a=sctp-port:70000");
        SdpParseException e = parseError(bad);
        assertEquals(17, e.lineNumber());
        assertEquals("a=sctp-port is larger than 65535: '70000'", e.reason());
        assertEquals("line 17: a=sctp-port is larger than 65535: '70000'", e.getMessage());
    }

    @Test
    void reportsMalformedCandidateLine() {
        SdpParseException e = parseError(CHROME_OFFER.replace("typ host", "typ nonsense"));
        assertEquals(10, e.lineNumber());
        assertEquals("unknown candidate type 'nonsense'", e.reason());
    }

    @Test
    void rejectsStructuralErrorsWithLineNumbers() {
        assertEquals(0, parseError(null).lineNumber());
        assertEquals(1, parseError("").lineNumber());
        assertEquals(1, parseError("v=1\r\n").lineNumber());
        assertEquals(2, parseError("v=0\r\ns=-\r\n").lineNumber());
        assertEquals(3, parseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nt=0 0\r\n").lineNumber());
        assertEquals(2, parseError("v=0\r\no=- x 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n").lineNumber());
        assertEquals(2, parseError("v=0\r\no=- 1 1 IN IP4\r\ns=-\r\nt=0 0\r\n").lineNumber());
        assertEquals(4, parseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n\r\nt=0 0\r\n").lineNumber());
        assertEquals(4, parseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nx=unknown\r\nt=0 0\r\n").lineNumber());
        assertEquals(4, parseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0\r\n").lineNumber());
        assertEquals(4, parseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt 0 0\r\n").lineNumber());
        assertEquals(4, parseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\rx\r\n").lineNumber());
        assertEquals(3, parseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n").lineNumber());
        assertEquals(5, parseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\na=x\r\nm=audio 9 RTP/AVP 0\r\n").lineNumber());
        assertEquals(5, parseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP\r\n").lineNumber());
        assertEquals(5, parseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 99999 RTP/AVP 0\r\n").lineNumber());
        assertEquals(6, parseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\nt=0 0\r\n").lineNumber());
        assertEquals(5, parseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=:x\r\n").lineNumber());
        assertEquals(5, parseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nc=IN IP4\r\n").lineNumber());
        assertEquals(5, parseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nb=AS:lots\r\n").lineNumber());
        assertEquals(5, parseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=setup:ACTIVE\r\n").lineNumber());
        assertEquals(5, parseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=mid\r\n").lineNumber());
        assertEquals(5, parseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=fingerprint:sha-256 AB:C\r\n").lineNumber());
        assertEquals(5, parseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=max-message-size:99999999999999999999\r\n").lineNumber());
        assertEquals(5, parseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nv=0\r\n").lineNumber());
    }

    @Test
    void unknownLineTypeIsRejectedAsRfc8866Requires() {
        SdpParseException e = parseError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\ny=what\r\n");
        assertEquals("unknown line type 'y='", e.reason());
    }

    @Test
    void buildsDescriptionsInCode() {
        MediaDescription m = MediaDescription.builder("application", 9, "UDP/DTLS/SCTP", List.of("webrtc-datachannel"))
                .field('c', "IN IP4 0.0.0.0")
                .attribute("mid", "0")
                .flag("end-of-candidates")
                .build();
        SessionDescription sd = SessionDescription.builder(Origin.jsep(5, 1))
                .field('t', "0 0")
                .attribute("group", "BUNDLE 0")
                .media(m)
                .build();
        assertEquals("v=0\r\no=- 5 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n"
                + "a=end-of-candidates\r\n", sd.toSdp());
        SessionDescription changed = sd.withOrigin(Origin.jsep(5, 2))
                .withMedia(List.of(m.withPort(0).withoutAttribute("end-of-candidates").withAttribute("x", "y")))
                .withAttribute("ice-lite", null);
        assertEquals("v=0\r\no=- 5 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\na=ice-lite\r\n"
                + "m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=x:y\r\n",
                changed.toSdp());
        assertTrue(changed.media().get(0).isRejected());
        assertFalse(sd.media().get(0).isRejected());
    }

    @Test
    void valueTypesRejectLineBreaksAndBadNames() {
        assertThrows(IllegalArgumentException.class, () -> new Attribute("bad name", "v"));
        assertThrows(IllegalArgumentException.class, () -> new Attribute("x", "a\r\nm=audio 9 RTP/AVP 0"));
        assertThrows(IllegalArgumentException.class, () -> new SdpField('m', "audio 9 RTP/AVP 0"));
        assertThrows(IllegalArgumentException.class, () -> new Attribute("candidate", "1 1 udp 1 10.0.0.1 9 typ lan"));
        assertThrows(IllegalArgumentException.class, () -> new Attribute("setup", "ACTIVE"));
        assertThrows(IllegalArgumentException.class, () -> Attribute.flag("mid"));
        assertThrows(IllegalArgumentException.class, () -> new Attribute("fingerprint", "sha-256"));
        assertEquals("x-anything:goes here", new Attribute("x-anything", "goes here").text());
        assertThrows(IllegalArgumentException.class, () -> MediaDescription.of("audio", 9, "RTP//AVP", List.of("0")));
        assertThrows(IllegalArgumentException.class, () -> MediaDescription.of("audio", 9, "RTP/AVP", List.of()));
    }
}
