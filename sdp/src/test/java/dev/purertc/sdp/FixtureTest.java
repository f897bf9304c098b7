package dev.purertc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Real browser and werift captures (src/test/resources/fixtures, see its README) through every codec. */
class FixtureTest {

    static String fixture(String name) {
        try (InputStream in = FixtureTest.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path fixtureDirectory() {
        try {
            return Path.of(FixtureTest.class.getResource("/fixtures").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<String> sdpFixtures() throws IOException {
        try (Stream<Path> files = Files.list(fixtureDirectory())) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sdp")).sorted().toList();
            assertTrue(names.size() >= 8, "expected at least the 8 captured .sdp fixtures, found " + names);
            return names.stream();
        }
    }

    static Stream<String> candidateFixtures() throws IOException {
        try (Stream<Path> files = Files.list(fixtureDirectory())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".candidates.txt")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("sdpFixtures")
    void everyFixtureRoundTripsByteForByte(String name) throws SdpParseException {
        String text = fixture(name);
        assertTrue(text.endsWith("\r\n"), name + " is CRLF-terminated");
        assertEquals(text, SessionDescription.parse(text).toSdp());
        // LF-only input of the same description parses to the same model.
        assertEquals(SessionDescription.parse(text), SessionDescription.parse(text.replace("\r\n", "\n")));
    }

    @ParameterizedTest
    @MethodSource("sdpFixtures")
    void everyFixtureHasAUsableDataSection(String name) throws SdpParseException {
        DataChannelDescription d = DataChannelDescription.of(SessionDescription.parse(fixture(name)));
        assertEquals(SctpParameters.DEFAULT_PORT, d.sctp().port());
        assertFalse(d.candidates().isEmpty());
        for (IceCandidate c : d.candidates()) {
            assertEquals(c, IceCandidate.parse(c.toCandidateString()));
        }
    }

    @ParameterizedTest
    @MethodSource("candidateFixtures")
    void everyTrickledCandidateRoundTripsByteForByte(String name) throws SdpParseException {
        String[] lines = fixture(name).split("\n");
        assertTrue(lines.length > 0);
        for (String line : lines) {
            IceCandidate c = IceCandidate.parse(line);
            assertEquals(line, c.toCandidateString());
            assertEquals(c, IceCandidate.parse("a=" + line));
            assertEquals(CandidateType.HOST, c.type());
        }
    }

    @Test
    void chromiumDataChannelOffer() throws SdpParseException {
        SessionDescription sd = SessionDescription.parse(fixture("chromium-datachannel-offer.sdp"));
        assertEquals("1665727017755411052", sd.origin().sessionId());
        assertEquals(Optional.of(Attribute.flag("extmap-allow-mixed")), sd.attribute("extmap-allow-mixed"));
        assertEquals(Optional.of(" WMS"), sd.attributeValue("msid-semantic"));
        DataChannelDescription d = DataChannelDescription.of(sd);
        assertEquals(Optional.of("0"), d.mid());
        assertEquals(Optional.of(Group.bundle(List.of("0"))), d.bundle());
        assertEquals("UXoK", d.ice().ufrag());
        assertEquals("tAN/KKQ+DbGJMLryjzB+WdlL", d.ice().pwd());
        assertEquals(List.of("trickle"), d.ice().options());
        assertEquals(new Fingerprint("sha-256",
                "78:12:7C:E3:04:11:51:E0:E5:98:73:98:5F:80:6D:41:A6:E8:14:81:17:0D:AF:8A:13:21:BC:84:5F:67:89:A6"),
                d.dtls().fingerprint());
        assertEquals(Optional.of(SetupRole.ACTPASS), d.dtls().setup());
        assertEquals(new SctpParameters(5000, 262144, false, 0), d.sctp());
        assertEquals(44318, d.section().port());
        assertFalse(d.endOfCandidates());
        assertEquals(2, d.candidates().size());
        IceCandidate udp = d.candidates().get(0);
        assertEquals("3447327320", udp.foundation());
        assertEquals(1, udp.component());
        assertEquals("udp", udp.transport());
        assertEquals(2122260223L, udp.priority());
        assertEquals("127.0.0.1", udp.address());
        assertEquals(44318, udp.port());
        assertEquals(CandidateType.HOST, udp.type());
        assertEquals(Optional.empty(), udp.tcpType());
        assertEquals(List.of(new IceCandidate.Extension("generation", "0"), new IceCandidate.Extension("network-id", "1"),
                new IceCandidate.Extension("network-cost", "50")), udp.extensions());
        IceCandidate tcp = d.candidates().get(1);
        assertEquals("3015043264", tcp.foundation());
        assertEquals("tcp", tcp.transport());
        assertEquals(1518280447L, tcp.priority());
        assertEquals(9, tcp.port());
        assertEquals(Optional.of("active"), tcp.tcpType());
        assertEquals(OptionalInt.empty(), tcp.relatedPort());
    }

    @Test
    void chromiumTrickledCandidatesMatchTheSdpOnesPlusUfrag() throws SdpParseException {
        DataChannelDescription d = DataChannelDescription.of(SessionDescription.parse(fixture("chromium-datachannel-offer.sdp")));
        String[] trickled = fixture("chromium-datachannel-offer.candidates.txt").split("\n");
        assertEquals(d.candidates().size(), trickled.length);
        for (int i = 0; i < trickled.length; i++) {
            IceCandidate t = IceCandidate.parse(trickled[i]);
            IceCandidate s = d.candidates().get(i);
            assertEquals(Optional.of("UXoK"), t.extension("ufrag"));
            List<IceCandidate.Extension> withoutUfrag = new ArrayList<>(t.extensions());
            withoutUfrag.removeIf(e -> e.name().equals("ufrag"));
            assertEquals(s, new IceCandidate(t.foundation(), t.component(), t.transport(), t.priority(), t.address(),
                    t.port(), t.type(), t.relatedAddress(), t.relatedPort(), t.tcpType(), withoutUfrag));
        }
    }

    @Test
    void chromiumDataChannelAnswer() throws SdpParseException {
        DataChannelDescription d = DataChannelDescription.of(SessionDescription.parse(fixture("chromium-datachannel-answer.sdp")));
        assertEquals(Optional.of("0"), d.mid());
        assertEquals("4hpa", d.ice().ufrag());
        assertEquals("7sXwF3Br7OdiSp0OjOghgPpR", d.ice().pwd());
        assertEquals("E3:B0:A2:41:2D:FC:E1:7B:67:11:65:CF:9C:35:5B:13:04:0A:76:1A:C2:4E:9C:C1:2B:66:44:0B:31:86:87:2B",
                d.dtls().fingerprint().hex());
        assertEquals(Optional.of(SetupRole.ACTIVE), d.dtls().setup());
        assertEquals(new SctpParameters(5000, 262144, false, 0), d.sctp());
        assertEquals(1, d.candidates().size());
        assertEquals(34536, d.candidates().get(0).port());
    }

    @Test
    void chromiumAudioVideoOffer() throws SdpParseException {
        SessionDescription sd = SessionDescription.parse(fixture("chromium-av-offer.sdp"));
        assertEquals(List.of("audio", "video", "application"), sd.media().stream().map(MediaDescription::media).toList());
        assertEquals(Optional.of(Group.bundle(List.of("0", "1", "2"))), sd.bundleGroup());
        assertEquals(List.of("111", "63", "9", "0", "8", "13", "110", "126"), sd.media().get(0).formats());
        assertEquals(23, sd.media().get(1).formats().size());
        DataChannelDescription d = DataChannelDescription.of(sd);
        assertEquals(Optional.of("2"), d.mid());
        assertEquals("9yaN", d.ice().ufrag());
        assertEquals("pTmzTH8ftMm9ejZ8tm1ikvy8", d.ice().pwd());
        assertEquals("0F:41:5D:96:32:C9:51:B4:C1:09:9F:B4:F9:3B:3E:41:38:E3:C3:12:C8:DD:CF:76:86:30:4A:F4:8E:B5:C1:2C",
                d.dtls().fingerprint().hex());
        assertEquals(Optional.of(SetupRole.ACTPASS), d.dtls().setup());
        assertEquals(new SctpParameters(5000, 262144, false, 0), d.sctp());
        assertEquals(54285, d.candidates().get(0).port());
    }

    @Test
    void firefoxDataChannelOfferWithSessionLevelFingerprint() throws SdpParseException {
        SessionDescription sd = SessionDescription.parse(fixture("firefox-datachannel-offer.sdp"));
        assertEquals("mozilla...THIS_IS_SDPARTA-99.0", sd.origin().username());
        assertEquals("0.0.0.0", sd.origin().address());
        DataChannelDescription d = DataChannelDescription.of(sd);
        assertEquals(Optional.of("0"), d.mid());
        assertEquals(Optional.of(Group.bundle(List.of("0"))), d.bundle());
        assertEquals("eedd20a8", d.ice().ufrag());
        assertEquals("8f8614f62616bfc72dcff60894ccfc52", d.ice().pwd());
        assertEquals(List.of("trickle"), d.ice().options());
        assertEquals(new Fingerprint("sha-256",
                "8B:91:D6:93:A0:05:09:D4:7B:5C:E5:03:51:BB:83:BB:B5:37:28:B9:3E:5B:8A:D5:A1:92:4E:94:2F:AD:4F:8F"),
                d.dtls().fingerprint());
        assertEquals(Optional.of(SetupRole.ACTPASS), d.dtls().setup());
        assertEquals(new SctpParameters(5000, 1073741823L, false, 0), d.sctp());
        assertTrue(d.endOfCandidates());
        assertEquals(4, d.candidates().size());
        IceCandidate v6 = d.candidates().get(1);
        assertEquals("1", v6.foundation());
        assertEquals("UDP", v6.transport());
        assertEquals(2122252543L, v6.priority());
        assertEquals("::1", v6.address());
        assertEquals(37371, v6.port());
        assertEquals(List.of(), v6.extensions());
        IceCandidate tcp6 = d.candidates().get(3);
        assertEquals("TCP", tcp6.transport());
        assertEquals(Optional.of("active"), tcp6.tcpType());
    }

    @Test
    void firefoxDataChannelAnswer() throws SdpParseException {
        DataChannelDescription d = DataChannelDescription.of(SessionDescription.parse(fixture("firefox-datachannel-answer.sdp")));
        assertEquals("e643c7eb", d.ice().ufrag());
        assertEquals("e7813492f5d5ca52f2a5d889f5156e28", d.ice().pwd());
        assertEquals("A7:4A:29:EA:BC:3B:2F:52:9A:5B:8E:8E:7D:71:E2:D8:94:84:00:93:13:F4:9E:B9:26:64:AB:F5:CC:D6:01:22",
                d.dtls().fingerprint().hex());
        assertEquals(Optional.of(SetupRole.ACTIVE), d.dtls().setup());
        assertEquals(1073741823L, d.sctp().maxMessageSize());
    }

    @Test
    void weriftOfferAndAnswer() throws SdpParseException {
        DataChannelDescription offer = DataChannelDescription.of(SessionDescription.parse(fixture("werift-offer.sdp")));
        assertEquals(9, offer.section().port());
        assertEquals("6f6e", offer.ice().ufrag());
        assertEquals("96a104c1261138f2013f8e", offer.ice().pwd());
        assertEquals(Optional.of(SetupRole.ACTPASS), offer.dtls().setup());
        assertEquals(new SctpParameters(5000, 65536, false, 0), offer.sctp());
        assertTrue(offer.endOfCandidates());
        IceCandidate c = offer.candidates().get(0);
        assertEquals("626da4e5384a0ce2d0d93678a", c.foundation());
        assertEquals(2116026367L, c.priority());
        assertEquals(59550, c.port());
        assertEquals(List.of(new IceCandidate.Extension("generation", "0"), new IceCandidate.Extension("ufrag", "6f6e")),
                c.extensions());
        DataChannelDescription answer = DataChannelDescription.of(SessionDescription.parse(fixture("werift-answer.sdp")));
        assertEquals("6d01", answer.ice().ufrag());
        assertEquals(Optional.of(SetupRole.ACTIVE), answer.dtls().setup());
        assertEquals("BA:E9:19:CD:B8:E0:FC:9C:1D:E8:B0:6E:02:F1:1B:DD:47:54:A5:FA:B4:BE:8D:02:03:63:04:00:30:60:1A:64",
                answer.dtls().fingerprint().hex());
    }

    @Test
    void chromiumMdnsOffer() throws SdpParseException {
        SessionDescription sd = SessionDescription.parse(fixture("chromium-mdns-offer.sdp"));
        DataChannelDescription d = DataChannelDescription.of(sd);
        assertEquals(9, d.section().port());
        assertEquals(List.of(new SdpField('c', "IN IP4 0.0.0.0")), d.section().fields('c'));
        assertEquals("qenZ", d.ice().ufrag());
        assertEquals("1hjM19bjOG6KvfhpRckK7lBb", d.ice().pwd());
        assertEquals(Optional.of(SetupRole.ACTPASS), d.dtls().setup());
        assertEquals(new SctpParameters(5000, 262144, false, 0), d.sctp());
        IceCandidate c = d.candidates().get(0);
        assertEquals("3298738811", c.foundation());
        assertEquals(2113937151L, c.priority());
        assertEquals("1beefaa6-42a0-425a-bb45-0baceaa382f4.local", c.address());
        assertTrue(c.isMdnsAddress());
        assertEquals(57279, c.port());
        assertEquals(List.of(new IceCandidate.Extension("generation", "0"), new IceCandidate.Extension("network-cost", "999")),
                c.extensions());
        IceCandidate trickled = IceCandidate.parse(fixture("chromium-mdns-offer.candidates.txt").strip());
        assertEquals(c.address(), trickled.address());
        assertEquals(Optional.of("qenZ"), trickled.extension("ufrag"));
    }

    @Test
    void aiortcLegacyOffer() throws SdpParseException {
        SessionDescription sd = SessionDescription.parse(fixture("aiortc-offer.sdp"));
        assertEquals(new Origin("-", "4004488838", "4004488838", "IN", "IP4", "0.0.0.0"), sd.origin());
        DataChannelDescription d = DataChannelDescription.of(sd);
        assertEquals("application 51347 DTLS/SCTP 5000", d.section().mediaLineText());
        assertEquals(new SctpParameters(5000, 65536, true, 65535), d.sctp());
        assertEquals(Optional.of("0"), d.mid());
        assertEquals("VG7s", d.ice().ufrag());
        assertEquals("KA1kGV2Lr7pf7X5yY0OvUk", d.ice().pwd());
        assertEquals(List.of(), d.ice().options());
        assertEquals(Optional.of(SetupRole.ACTPASS), d.dtls().setup());
        assertTrue(d.endOfCandidates());
        IceCandidate c = d.candidates().get(0);
        assertEquals("16572de626da4e5384a0ce2d0d93678a", c.foundation());
        assertEquals(2130706431L, c.priority());
        assertEquals(51347, c.port());
        assertEquals(List.of(), c.extensions());
    }

    @Test
    void answerToAiortcLegacyOfferMatchesChromiumsLegacyAnswer() throws SdpParseException {
        MediaDescription ours = answerTo("aiortc-offer.sdp").media().get(0);
        MediaDescription chromium = SessionDescription.parse(fixture("chromium-answer-to-aiortc-offer.sdp")).media().get(0);
        assertEquals("application 9 DTLS/SCTP 5000", ours.mediaLineText());
        assertEquals(chromium.proto(), ours.proto());
        assertEquals(chromium.formats(), ours.formats());
        assertEquals(chromium.attributes("sctpmap"), ours.attributes("sctpmap"));
        assertEquals(Optional.of("0"), ours.mid());
        assertEquals(Optional.of(SetupRole.ACTIVE),
                DataChannelDescription.of(answerTo("aiortc-offer.sdp")).dtls().setup());
    }

    /** Every captured answer, checked against the captured offer it answers. */
    @ParameterizedTest
    @MethodSource("answerOfferPairs")
    void acceptsEveryCapturedAnswerAgainstItsOffer(String answerName, String offerName) throws SdpParseException {
        SessionDescription offer = SessionDescription.parse(fixture(offerName));
        DataChannelDescription remote = DataChannelNegotiation.acceptAnswer(offer, SessionDescription.parse(fixture(answerName)));
        assertEquals(DataChannelDescription.of(offer).mid(), remote.mid());
        assertEquals(Optional.of(SetupRole.ACTIVE), remote.dtls().setup());
        assertEquals(DataChannelDescription.of(offer).sctp().legacy(), remote.sctp().legacy());
        assertEquals(5000, remote.sctp().port());
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> answerOfferPairs() {
        String[][] pairs = {
                {"chromium-datachannel-answer.sdp", "chromium-datachannel-offer.sdp"},
                {"firefox-datachannel-answer.sdp", "firefox-datachannel-offer.sdp"},
                {"werift-answer.sdp", "werift-offer.sdp"},
                {"aiortc-answer.sdp", "aiortc-offer.sdp"},
                {"chromium-answer-to-firefox-offer.sdp", "firefox-datachannel-offer.sdp"},
                {"chromium-answer-to-werift-offer.sdp", "werift-offer.sdp"},
                {"chromium-answer-to-aiortc-offer.sdp", "aiortc-offer.sdp"},
                {"firefox-answer-to-chromium-offer.sdp", "chromium-datachannel-offer.sdp"},
                {"firefox-answer-to-werift-offer.sdp", "werift-offer.sdp"},
                {"firefox-answer-to-aiortc-offer.sdp", "aiortc-offer.sdp"},
                {"werift-answer-to-chromium-offer.sdp", "chromium-datachannel-offer.sdp"},
                {"werift-answer-to-firefox-offer.sdp", "firefox-datachannel-offer.sdp"},
        };
        return Stream.of(pairs).map(p -> org.junit.jupiter.params.provider.Arguments.of(p[0], p[1]));
    }

    private static SessionDescription answerTo(String fixtureName) throws SdpParseException {
        return DataChannelNegotiation.createAnswer(SessionDescription.parse(fixture(fixtureName)),
                DataChannelNegotiationTest.local().build());
    }

    @ParameterizedTest
    @MethodSource("offerFixtures")
    void answersEveryBrowserOffer(String name) throws SdpParseException {
        SessionDescription offer = SessionDescription.parse(fixture(name));
        SessionDescription answer = answerTo(name);
        // Re-parse the written answer: it must be valid SDP and round-trip.
        SessionDescription reparsed = SessionDescription.parse(answer.toSdp());
        assertEquals(answer.toSdp(), reparsed.toSdp());
        assertEquals(offer.media().stream().map(MediaDescription::mid).toList(),
                reparsed.media().stream().map(MediaDescription::mid).toList());
        assertEquals(offer.media().stream().map(MediaDescription::media).toList(),
                reparsed.media().stream().map(MediaDescription::media).toList());
        assertEquals(offer.media().stream().map(MediaDescription::proto).toList(),
                reparsed.media().stream().map(MediaDescription::proto).toList());
        DataChannelDescription d = DataChannelDescription.of(reparsed);
        String dataMid = DataChannelDescription.of(offer).mid().orElseThrow();
        assertEquals(Optional.of(dataMid), d.mid());
        assertEquals(Optional.of(Group.bundle(List.of(dataMid))), reparsed.bundleGroup());
        assertEquals(Optional.of(SetupRole.ACTIVE), d.dtls().setup());
        assertEquals("pRtc", d.ice().ufrag());
        assertEquals(DataChannelNegotiationTest.LOCAL_FP, d.dtls().fingerprint());
        assertEquals(new SctpParameters(5000, 262144, false, 0), d.sctp());
        for (MediaDescription m : reparsed.media()) {
            if (!m.media().equals("application")) {
                assertEquals(0, m.port());
                assertTrue(m.hasAttribute("inactive"));
            }
        }
    }

    static Stream<String> offerFixtures() {
        return Stream.of("chromium-datachannel-offer.sdp", "chromium-av-offer.sdp", "chromium-mdns-offer.sdp",
                "firefox-datachannel-offer.sdp", "firefox-av-offer.sdp", "werift-offer.sdp");
    }

    @Test
    void answerToChromiumOfferHasChromiumsAttributeOrder() throws SdpParseException {
        MediaDescription ours = answerTo("chromium-datachannel-offer.sdp").media().get(0);
        MediaDescription chromium = SessionDescription.parse(fixture("chromium-datachannel-answer.sdp")).media().get(0);
        assertEquals(chromium.proto(), ours.proto());
        assertEquals(chromium.formats(), ours.formats());
        List<String> chromiumNames = chromium.attributes().stream().map(Attribute::name).filter(n -> !n.equals("candidate")).toList();
        assertEquals(chromiumNames, ours.attributes().stream().map(Attribute::name).toList());
    }

    @ParameterizedTest
    @MethodSource("answerFixtures")
    void acceptsEveryCapturedAnswerToAnOfferOfOurs(String name) throws SdpParseException {
        // Every captured answer answers a single-section offer with mid 0, which is what PureRTC offers.
        SessionDescription ourOffer = DataChannelNegotiation.createOffer(DataChannelNegotiationTest.local().build());
        DataChannelDescription remote = DataChannelNegotiation.acceptAnswer(ourOffer, SessionDescription.parse(fixture(name)));
        assertEquals(Optional.of("0"), remote.mid());
        assertEquals(Optional.of(SetupRole.ACTIVE), remote.dtls().setup());
        assertFalse(DataChannelNegotiation.offererIsDtlsClient(remote.dtls().setup().orElseThrow()));
        assertEquals(5000, remote.sctp().port());
    }

    static Stream<String> answerFixtures() {
        return Stream.of("chromium-datachannel-answer.sdp", "firefox-datachannel-answer.sdp", "werift-answer.sdp");
    }

    @Test
    void offerWithGatheredCandidatesNamesTheDefaultCandidateAsChromiumDoes() throws SdpParseException {
        SessionDescription chromium = SessionDescription.parse(fixture("chromium-datachannel-offer.sdp"));
        MediaDescription theirs = chromium.media().get(0);
        SessionDescription ours = DataChannelNegotiation.createOffer(DataChannelNegotiationTest.local()
                .candidates(theirs.candidates()).build());
        MediaDescription m = ours.media().get(0);
        assertEquals(theirs.mediaLineText(), m.mediaLineText());
        assertEquals(theirs.fields('c'), m.fields('c'));
        assertEquals(theirs.attributes("candidate"), m.attributes("candidate"));
        assertEquals(theirs.attributes().stream().map(Attribute::name).toList(),
                m.attributes().stream().map(Attribute::name).toList());
    }

    @Test
    void answerToChromiumAudioVideoOfferRejectsMedia() throws SdpParseException {
        SessionDescription offer = SessionDescription.parse(fixture("chromium-av-offer.sdp"));
        SessionDescription answer = answerTo("chromium-av-offer.sdp");
        assertEquals(List.of(0, 0, 9), answer.media().stream().map(MediaDescription::port).toList());
        MediaDescription audio = answer.media().get(0);
        assertEquals("audio 0 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", audio.mediaLineText());
        assertEquals(Optional.of("0"), audio.mid());
        assertEquals(List.of(new SdpField('c', "IN IP4 0.0.0.0"), new Attribute("mid", "0"), Attribute.flag("inactive"),
                new Attribute("rtpmap", "111 opus/48000/2"), new Attribute("rtpmap", "63 red/48000/2"),
                new Attribute("rtpmap", "9 G722/8000"), new Attribute("rtpmap", "0 PCMU/8000"),
                new Attribute("rtpmap", "8 PCMA/8000"), new Attribute("rtpmap", "13 CN/8000"),
                new Attribute("rtpmap", "110 telephone-event/48000"), new Attribute("rtpmap", "126 telephone-event/8000")),
                audio.lines());
        MediaDescription video = answer.media().get(1);
        assertEquals(offer.media().get(1).formats(), video.formats());
        assertEquals(Optional.of("1"), video.mid());
        assertEquals(23, video.attributes("rtpmap").size());
        assertEquals(Optional.of("2"), answer.media().get(2).mid());
        assertEquals(Optional.of(Group.bundle(List.of("2"))), answer.bundleGroup());
    }

    @Test
    void answerToFirefoxAudioVideoOfferRejectsMedia() throws SdpParseException {
        SessionDescription answer = answerTo("firefox-av-offer.sdp");
        assertEquals(List.of(0, 0, 9), answer.media().stream().map(MediaDescription::port).toList());
        assertEquals(List.of(Optional.of("0"), Optional.of("1"), Optional.of("2")),
                answer.media().stream().map(MediaDescription::mid).toList());
        assertEquals(List.of("109", "9", "0", "8", "101"), answer.media().get(0).formats());
    }
}
