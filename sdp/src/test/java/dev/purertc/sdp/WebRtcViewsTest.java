package dev.purertc.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebRtcViewsTest {

    private static final String HEAD = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";
    private static final String FP = "sha-256 78:12:7C:E3:04:11:51:E0:E5:98:73:98:5F:80:6D:41:A6:E8:14:81:17:0D:AF:8A:13:21:BC:84:5F:67:89:A6";

    @Test
    void readsChromeShapedDataSection() throws SdpParseException {
        DataChannelDescription d = DataChannelDescription.of(SessionDescription.parse(SdpParserTest.CHROME_OFFER));
        assertEquals(Optional.of("0"), d.mid());
        assertEquals("Ab+/", d.ice().ufrag());
        assertEquals("0123456789abcdefABCDEF+/", d.ice().pwd());
        assertEquals(List.of("trickle"), d.ice().options());
        assertTrue(d.ice().trickle());
        assertFalse(d.ice().lite());
        assertEquals("sha-256", d.dtls().fingerprint().algorithm());
        assertEquals(FP.substring(8), d.dtls().fingerprint().hex());
        assertEquals(32, d.dtls().fingerprint().bytes().length);
        assertEquals((byte) 0x78, d.dtls().fingerprint().bytes()[0]);
        assertEquals((byte) 0xA6, d.dtls().fingerprint().bytes()[31]);
        assertEquals(Optional.of(SetupRole.ACTPASS), d.dtls().setup());
        assertEquals(new SctpParameters(5000, 262144, false, 0), d.sctp());
        assertEquals(Optional.of(Group.bundle(List.of("0"))), d.bundle());
        assertEquals(1, d.candidates().size());
        assertEquals("4c9e6f7a-2b1d-4c4e-9d43-0a1b2c3d4e5f.local", d.candidates().get(0).address());
        assertFalse(d.endOfCandidates());
    }

    @Test
    void mediaLevelAttributesTakePrecedenceOverSessionLevel() throws SdpParseException {
        String sdp = HEAD
                + "a=ice-ufrag:sessUfrag\r\na=ice-pwd:sessionpasswordsession22\r\na=ice-options:trickle ice2\r\n"
                + "a=fingerprint:sha-1 AA:BB\r\na=setup:passive\r\na=end-of-candidates\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                + "a=ice-ufrag:medUfrag\r\na=fingerprint:" + FP + "\r\na=mid:data\r\n";
        SessionDescription sd = SessionDescription.parse(sdp);
        DataChannelDescription d = DataChannelDescription.of(sd);
        assertEquals("medUfrag", d.ice().ufrag());
        assertEquals("sessionpasswordsession22", d.ice().pwd());
        assertEquals(List.of("trickle", "ice2"), d.ice().options());
        assertEquals(1, d.dtls().fingerprints().size());
        assertEquals("sha-256", d.dtls().fingerprint().algorithm());
        assertEquals(Optional.of(SetupRole.PASSIVE), d.dtls().setup());
        assertTrue(d.endOfCandidates());
        assertEquals(Optional.empty(), d.bundle());
        // Session-level fingerprint when the section has none.
        SessionDescription noMediaFp = SessionDescription.parse(sdp.replace("a=fingerprint:" + FP + "\r\n", ""));
        assertEquals(new Fingerprint("sha-1", "AA:BB"), DataChannelDescription.of(noMediaFp).dtls().fingerprint());
    }

    @Test
    void bundledSectionUsesTaggedSectionTransport() throws SdpParseException {
        String sdp = HEAD + "a=group:BUNDLE a d\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:a\r\na=ice-ufrag:tagU\r\na=ice-pwd:taggedpasswordtagged22\r\n"
                + "a=fingerprint:" + FP + "\r\na=setup:actpass\r\n"
                + "a=candidate:1 1 udp 100 127.0.0.1 4000 typ host\r\n"
                + "m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\na=bundle-only\r\na=mid:d\r\n";
        DataChannelDescription d = DataChannelDescription.of(SessionDescription.parse(sdp));
        assertEquals(Optional.of("d"), d.mid());
        assertEquals("tagU", d.ice().ufrag());
        assertEquals(Optional.of(SetupRole.ACTPASS), d.dtls().setup());
        assertEquals(1, d.candidates().size());
        assertEquals(Optional.of(new Group("BUNDLE", List.of("a", "d"))), d.bundle());
    }

    /** libdatachannel's session-level transport attributes, comma-separated ice-options and upper-case hash name. */
    @Test
    void readsLibdatachannelShapedOffer() throws SdpParseException {
        String sdp = "v=0\r\no=rtc 409579682 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
                + "a=msid-semantic:WMS *\r\na=setup:actpass\r\na=ice-ufrag:p+2y\r\na=ice-pwd:gvhiwDeOn6Q7cXjyoksq/m\r\n"
                + "a=ice-options:ice2,trickle\r\na=fingerprint:SHA-256 " + FP.substring(8) + "\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 127.0.0.1\r\na=mid:0\r\na=sendrecv\r\n"
                + "a=sctp-port:5000\r\na=max-message-size:262144\r\n";
        SessionDescription sd = SessionDescription.parse(sdp);
        assertEquals(sdp, sd.toSdp());
        DataChannelDescription d = DataChannelDescription.of(sd);
        assertEquals("p+2y", d.ice().ufrag());
        assertEquals("gvhiwDeOn6Q7cXjyoksq/m", d.ice().pwd());
        assertEquals(List.of("ice2", "trickle"), d.ice().options());
        assertTrue(d.ice().trickle());
        assertEquals("sha-256", d.dtls().fingerprint().algorithm());
        assertEquals(Optional.of(SetupRole.ACTPASS), d.dtls().setup());
        assertEquals(new SctpParameters(5000, 262144, false, 0), d.sctp());
    }

    @Test
    void maxMessageSizeDefaultsTo65536AndZeroMeansUnlimited() throws SdpParseException {
        MediaDescription absent = MediaDescription.of("application", 9, "UDP/DTLS/SCTP", List.of("webrtc-datachannel"));
        SctpParameters p = SctpParameters.of(absent);
        assertEquals(65536, p.maxMessageSize());
        assertEquals(5000, p.port());
        assertFalse(p.isMaxMessageSizeUnlimited());
        SctpParameters zero = SctpParameters.of(absent.withAttribute("max-message-size", "0").withAttribute("sctp-port", "5001"));
        assertEquals(0, zero.maxMessageSize());
        assertEquals(5001, zero.port());
        assertTrue(zero.isMaxMessageSizeUnlimited());
        assertEquals(65536, SctpParameters.sendLimit(262144, 65536));
        assertEquals(262144, SctpParameters.sendLimit(262144, 0));
        assertEquals(1073741823L, SctpParameters.sendLimit(0, 1073741823L));
        assertEquals(Long.MAX_VALUE, SctpParameters.sendLimit(0, 0));
    }

    @Test
    void readsLegacySctpmapForm() throws SdpParseException {
        String sdp = HEAD + "m=application 5000 DTLS/SCTP 5000\r\nc=IN IP4 127.0.0.1\r\n"
                + "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\na=fingerprint:" + FP + "\r\n"
                + "a=setup:actpass\r\na=mid:data\r\na=sctpmap:5000 webrtc-datachannel 1024\r\n";
        SessionDescription sd = SessionDescription.parse(sdp);
        assertEquals(sdp, sd.toSdp());
        DataChannelDescription d = DataChannelDescription.of(sd);
        assertEquals(new SctpParameters(5000, 65536, true, 1024), d.sctp());
    }

    @Test
    void missingIceOrDtlsAttributesAreNamedInTypedExceptions() throws SdpParseException {
        String full = HEAD + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                + "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\na=fingerprint:" + FP + "\r\na=mid:0\r\n";
        DataChannelDescription.of(SessionDescription.parse(full));
        SdpValidationException noUfrag = assertThrows(SdpValidationException.class,
                () -> DataChannelDescription.of(SessionDescription.parse(full.replace("a=ice-ufrag:abcd\r\n", ""))));
        assertEquals("ice-ufrag", noUfrag.attribute());
        assertEquals("missing a=ice-ufrag (m= section with mid 0)", noUfrag.getMessage());
        assertEquals(Optional.of("0"), noUfrag.mid());
        SdpValidationException noPwd = assertThrows(SdpValidationException.class,
                () -> DataChannelDescription.of(SessionDescription.parse(full.replace("a=ice-pwd:abcdefghijklmnopqrstuv\r\n", ""))));
        assertEquals("ice-pwd", noPwd.attribute());
        assertTrue(noPwd.getMessage().contains("ice-pwd"));
        SdpValidationException noFp = assertThrows(SdpValidationException.class,
                () -> DataChannelDescription.of(SessionDescription.parse(full.replace("a=fingerprint:" + FP + "\r\n", ""))));
        assertEquals("fingerprint", noFp.attribute());
        assertEquals("missing a=fingerprint (m= section with mid 0)", noFp.getMessage());
        SdpValidationException shortPwd = assertThrows(SdpValidationException.class,
                () -> DataChannelDescription.of(SessionDescription.parse(full.replace("abcdefghijklmnopqrstuv", "short"))));
        assertEquals("ice-pwd", shortPwd.attribute());
    }

    @Test
    void iceCredentialsOutsideIceCharAreATypedErrorNamingTheAttribute() throws SdpParseException {
        String full = HEAD + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                + "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\na=fingerprint:" + FP + "\r\na=mid:0\r\n";
        // RFC 8839 §5.4: ice-char is ALPHA / DIGIT / "+" / "/"; ':' would also split the STUN USERNAME.
        SdpValidationException ufrag = assertThrows(SdpValidationException.class,
                () -> DataChannelDescription.of(SessionDescription.parse(full.replace("ice-ufrag:abcd", "ice-ufrag:ab:d"))));
        assertEquals("ice-ufrag", ufrag.attribute());
        assertEquals("a=ice-ufrag has a character outside ice-char (ALPHA / DIGIT / \"+\" / \"/\", RFC 8839 §5.4) "
                + "at position 2 (m= section with mid 0)", ufrag.getMessage());
        SdpValidationException pwd = assertThrows(SdpValidationException.class,
                () -> DataChannelDescription.of(SessionDescription.parse(full.replace("abcdefghijklmnopqrstuv",
                        "abcdefghijklmnopqrstu\u00e9"))));
        assertEquals("ice-pwd", pwd.attribute());
        for (String bad : new String[] {"ab-d", "ab_d", "ab=d", "ab.d", "ab~d"}) {
            assertThrows(SdpValidationException.class,
                    () -> DataChannelDescription.of(SessionDescription.parse(full.replace("ice-ufrag:abcd", "ice-ufrag:" + bad))),
                    bad);
        }
        assertEquals("aB9+/", DataChannelDescription.of(SessionDescription.parse(
                full.replace("ice-ufrag:abcd", "ice-ufrag:aB9+/"))).ice().ufrag());
    }

    @Test
    void noDataSectionIsATypedError() throws SdpParseException {
        String sdp = HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n"
                + "m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:1\r\n";
        NoDataChannelSectionException e = assertThrows(NoDataChannelSectionException.class,
                () -> DataChannelDescription.of(SessionDescription.parse(sdp)));
        assertEquals("m=application", e.attribute());
    }

    @Test
    void fingerprintConvertsBetweenBytesAndUpperHex() {
        byte[] digest = {0x00, 0x0f, (byte) 0xa0, (byte) 0xff};
        Fingerprint fp = Fingerprint.of("SHA-256", digest);
        assertEquals("sha-256", fp.algorithm());
        assertEquals("00:0F:A0:FF", fp.hex());
        assertArrayEquals(digest, fp.bytes());
        assertTrue(fp.matches("sha-256", digest));
        assertFalse(fp.matches("sha-256", new byte[] {0, 0x0f, (byte) 0xa0, (byte) 0xfe}));
        assertFalse(fp.matches("sha-1", digest));
        assertEquals(new Fingerprint("sha-256", "00:0F:A0:FF"), new Fingerprint("sha-256", "00:0f:a0:ff"));
        assertEquals(new Attribute("fingerprint", "sha-256 00:0F:A0:FF"), fp.toAttribute());
        assertThrows(IllegalArgumentException.class, () -> new Fingerprint("sha-256", "0:0F"));
        assertThrows(IllegalArgumentException.class, () -> new Fingerprint("sha-256", "00-0F"));
        assertThrows(IllegalArgumentException.class, () -> new Fingerprint("sha-256", "GG"));
    }

    @Test
    void setupAnswerRulesFollowRfc8842() {
        assertEquals(SetupRole.ACTIVE, SetupRole.ACTPASS.answerTo(SetupRole.ACTIVE));
        assertEquals(SetupRole.PASSIVE, SetupRole.ACTPASS.answerTo(SetupRole.PASSIVE));
        assertEquals(SetupRole.PASSIVE, SetupRole.ACTIVE.answerTo(SetupRole.ACTIVE));
        assertEquals(SetupRole.ACTIVE, SetupRole.PASSIVE.answerTo(SetupRole.PASSIVE));
        assertThrows(IllegalArgumentException.class, () -> SetupRole.HOLDCONN.answerTo(SetupRole.ACTIVE));
        assertThrows(IllegalArgumentException.class, () -> SetupRole.ACTPASS.answerTo(SetupRole.ACTPASS));
        assertEquals(SetupRole.HOLDCONN, SetupRole.fromToken("holdconn"));
        assertTrue(SetupRole.ACTIVE.isDtlsClient());
        assertFalse(SetupRole.PASSIVE.isDtlsClient());
    }
}
