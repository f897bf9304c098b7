package dev.purertc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DataChannelNegotiationTest {

    static final Fingerprint LOCAL_FP = new Fingerprint("sha-256",
            "E3:B0:A2:41:2D:FC:E1:7B:67:11:65:CF:9C:35:5B:13:04:0A:76:1A:C2:4E:9C:C1:2B:66:44:0B:31:86:87:2B");

    static DataChannelParameters.Builder local() {
        return DataChannelParameters.builder("pRtc", "purertcpurertcpurertc+/", LOCAL_FP)
                .sessionId(4722219569390195859L)
                .sessionVersion(2);
    }

    @Test
    void offerHasExactlyOneDataSectionWithAllJsepAttributes() {
        SessionDescription offer = DataChannelNegotiation.createOffer(local().build());
        assertEquals("v=0\r\n"
                + "o=- 4722219569390195859 2 IN IP4 127.0.0.1\r\n"
                + "s=-\r\n"
                + "t=0 0\r\n"
                + "a=group:BUNDLE 0\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                + "c=IN IP4 0.0.0.0\r\n"
                + "a=ice-ufrag:pRtc\r\n"
                + "a=ice-pwd:purertcpurertcpurertc+/\r\n"
                + "a=ice-options:trickle\r\n"
                + "a=fingerprint:sha-256 E3:B0:A2:41:2D:FC:E1:7B:67:11:65:CF:9C:35:5B:13:04:0A:76:1A:C2:4E:9C:C1:2B:66:44:0B:31:86:87:2B\r\n"
                + "a=setup:actpass\r\n"
                + "a=mid:0\r\n"
                + "a=sctp-port:5000\r\n"
                + "a=max-message-size:262144\r\n", offer.toSdp());
    }

    @Test
    void offerCarriesGatheredCandidatesAndOptions() throws SdpParseException {
        IceCandidate host = IceCandidate.parse("candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host generation 0");
        SessionDescription offer = DataChannelNegotiation.createOffer(local().candidates(List.of(host))
                .endOfCandidates(true).maxMessageSize(0).sctpPort(5001).build());
        DataChannelDescription d = DataChannelDescription.of(SessionDescription.parse(offer.toSdp()));
        assertEquals(List.of(host), d.candidates());
        assertEquals(true, d.endOfCandidates());
        assertEquals(new SctpParameters(5001, 0, false, 0), d.sctp());
        assertEquals(Optional.of(SetupRole.ACTPASS), d.dtls().setup());
        assertEquals(LOCAL_FP, d.dtls().fingerprint());
    }

    @Test
    void withLocalCandidatesWritesGatheredCandidatesAndEndOfCandidatesIntoTheDataSection() throws SdpParseException {
        IceCandidate host = IceCandidate.parse("candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host");
        IceCandidate v6 = IceCandidate.parse("candidate:2 1 udp 2130706175 ::1 50001 typ host");
        SessionDescription offer = DataChannelNegotiation.createOffer(local().build());
        SessionDescription complete = DataChannelNegotiation.withLocalCandidates(offer, List.of(host, v6), true);
        assertEquals("v=0\r\n"
                + "o=- 4722219569390195859 2 IN IP4 127.0.0.1\r\n"
                + "s=-\r\n"
                + "t=0 0\r\n"
                + "a=group:BUNDLE 0\r\n"
                + "m=application 50000 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                + "c=IN IP4 127.0.0.1\r\n"
                + "a=candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host\r\n"
                + "a=candidate:2 1 udp 2130706175 ::1 50001 typ host\r\n"
                + "a=end-of-candidates\r\n"
                + "a=ice-ufrag:pRtc\r\n"
                + "a=ice-pwd:purertcpurertcpurertc+/\r\n"
                + "a=ice-options:trickle\r\n"
                + "a=fingerprint:sha-256 E3:B0:A2:41:2D:FC:E1:7B:67:11:65:CF:9C:35:5B:13:04:0A:76:1A:C2:4E:9C:C1:2B:66:44:0B:31:86:87:2B\r\n"
                + "a=setup:actpass\r\n"
                + "a=mid:0\r\n"
                + "a=sctp-port:5000\r\n"
                + "a=max-message-size:262144\r\n", complete.toSdp());
        // Applied again with the same list, or to its own output, it changes nothing.
        assertEquals(complete, DataChannelNegotiation.withLocalCandidates(complete, List.of(host, v6), true));
    }

    @Test
    void withLocalCandidatesBeforeAnyCandidateKeepsThePlaceholderAndOnlyAddsEndOfCandidatesWhenAsked() throws SdpParseException {
        SessionDescription offer = DataChannelNegotiation.createOffer(local().build());
        assertEquals(offer, DataChannelNegotiation.withLocalCandidates(offer, List.of(), false));
        DataChannelDescription ended = DataChannelDescription.of(
                SessionDescription.parse(DataChannelNegotiation.withLocalCandidates(offer, List.of(), true).toSdp()));
        assertEquals(List.of(), ended.candidates());
        assertEquals(true, ended.endOfCandidates());
        assertEquals(9, ended.section().port());
    }

    @Test
    void withLocalCandidatesLeavesRejectedSectionsOfAnAnswerAlone() throws SdpParseException {
        IceCandidate host = IceCandidate.parse("candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host");
        SessionDescription offer = SessionDescription.parse("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n"
                + "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\n" + "a=" + LOCAL_FP.toAttribute().text() + "\r\n"
                + "a=setup:actpass\r\na=mid:1\r\na=sctp-port:5000\r\n");
        SessionDescription answer = DataChannelNegotiation.createAnswer(offer, local().build());
        SessionDescription complete = DataChannelNegotiation.withLocalCandidates(answer, List.of(host), true);
        assertEquals(answer.media().get(0), complete.media().get(0));
        assertEquals(50000, complete.media().get(1).port());
        assertEquals(List.of(host), complete.media().get(1).candidates());
        assertEquals(true, complete.media().get(1).endOfCandidates());
    }

    @Test
    void defaultCandidateSkipsMdnsAndTcpAndUsesIp6ForIpv6() throws SdpParseException {
        IceCandidate mdns = IceCandidate.parse("candidate:1 1 udp 2122260223 4c9e6f7a-2b1d-4c4e-9d43-0a1b2c3d4e5f.local 54321 typ host");
        IceCandidate tcp = IceCandidate.parse("candidate:2 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active");
        IceCandidate v6 = IceCandidate.parse("candidate:3 1 udp 2122252543 ::1 37371 typ host");
        MediaDescription onlyMdns = DataChannelNegotiation.createOffer(local().candidates(List.of(mdns, tcp)).build()).media().get(0);
        assertEquals(9, onlyMdns.port());
        assertEquals(List.of(new SdpField('c', "IN IP4 0.0.0.0")), onlyMdns.fields('c'));
        MediaDescription withV6 = DataChannelNegotiation.createOffer(local().candidates(List.of(mdns, tcp, v6)).build()).media().get(0);
        assertEquals(37371, withV6.port());
        assertEquals(List.of(new SdpField('c', "IN IP6 ::1")), withV6.fields('c'));
        assertEquals(3, withV6.candidates().size());
    }

    @Test
    void answersActpassWithActiveByDefaultAndPassiveWhenConfigured() throws SdpParseException {
        SessionDescription offer = SessionDescription.parse(SdpParserTest.CHROME_OFFER);
        SessionDescription answer = DataChannelNegotiation.createAnswer(offer, local().build());
        assertEquals("v=0\r\n"
                + "o=- 4722219569390195859 2 IN IP4 127.0.0.1\r\n"
                + "s=-\r\n"
                + "t=0 0\r\n"
                + "a=group:BUNDLE 0\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                + "c=IN IP4 0.0.0.0\r\n"
                + "a=ice-ufrag:pRtc\r\n"
                + "a=ice-pwd:purertcpurertcpurertc+/\r\n"
                + "a=ice-options:trickle\r\n"
                + "a=fingerprint:sha-256 E3:B0:A2:41:2D:FC:E1:7B:67:11:65:CF:9C:35:5B:13:04:0A:76:1A:C2:4E:9C:C1:2B:66:44:0B:31:86:87:2B\r\n"
                + "a=setup:active\r\n"
                + "a=mid:0\r\n"
                + "a=sctp-port:5000\r\n"
                + "a=max-message-size:262144\r\n", answer.toSdp());
        SessionDescription passive = DataChannelNegotiation.createAnswer(offer, local().actpassAnswer(SetupRole.PASSIVE).build());
        assertEquals(Optional.of(SetupRole.PASSIVE), DataChannelDescription.of(passive).dtls().setup());
    }

    private static SetupRole answeredSetup(String offeredSetupLine) throws SdpParseException {
        String sdp = SdpParserTest.CHROME_OFFER.replace("a=setup:actpass\r\n", offeredSetupLine);
        SessionDescription answer = DataChannelNegotiation.createAnswer(SessionDescription.parse(sdp), local().build());
        return DataChannelDescription.of(answer).dtls().setup().orElseThrow();
    }

    @Test
    void answersActiveWithPassiveAndPassiveWithActive() throws SdpParseException {
        assertEquals(SetupRole.PASSIVE, answeredSetup("a=setup:active\r\n"));
        assertEquals(SetupRole.ACTIVE, answeredSetup("a=setup:passive\r\n"));
        assertEquals(SetupRole.ACTIVE, answeredSetup("a=setup:actpass\r\n"));
        // RFC 4145 §4: no a=setup in an offer means active.
        assertEquals(SetupRole.PASSIVE, answeredSetup(""));
        SdpValidationException e = assertThrows(SdpValidationException.class, () -> answeredSetup("a=setup:holdconn\r\n"));
        assertEquals("setup", e.attribute());
    }

    @Test
    void rejectsAudioAndVideoKeepingMidsFormatsAndRtpmaps() throws SdpParseException {
        String offer = "v=0\r\no=- 9 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE a v d\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\nc=IN IP4 0.0.0.0\r\na=mid:a\r\na=sendrecv\r\n"
                + "a=rtpmap:111 opus/48000/2\r\na=rtpmap:0 PCMU/8000\r\na=fmtp:111 minptime=10\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:v\r\na=rtpmap:96 VP8/90000\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n"
                + "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\n"
                + "a=fingerprint:sha-256 AB:CD\r\na=setup:actpass\r\na=mid:d\r\na=sctp-port:5000\r\n";
        SessionDescription answer = DataChannelNegotiation.createAnswer(SessionDescription.parse(offer),
                local().maxMessageSize(65536).build());
        assertEquals("v=0\r\n"
                + "o=- 4722219569390195859 2 IN IP4 127.0.0.1\r\n"
                + "s=-\r\n"
                + "t=0 0\r\n"
                + "a=group:BUNDLE d\r\n"
                + "m=audio 0 UDP/TLS/RTP/SAVPF 111 0\r\n"
                + "c=IN IP4 0.0.0.0\r\n"
                + "a=mid:a\r\n"
                + "a=inactive\r\n"
                + "a=rtpmap:111 opus/48000/2\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "m=video 0 UDP/TLS/RTP/SAVPF 96\r\n"
                + "c=IN IP4 0.0.0.0\r\n"
                + "a=mid:v\r\n"
                + "a=inactive\r\n"
                + "a=rtpmap:96 VP8/90000\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                + "c=IN IP4 0.0.0.0\r\n"
                + "a=ice-ufrag:pRtc\r\n"
                + "a=ice-pwd:purertcpurertcpurertc+/\r\n"
                + "a=ice-options:trickle\r\n"
                + "a=fingerprint:sha-256 E3:B0:A2:41:2D:FC:E1:7B:67:11:65:CF:9C:35:5B:13:04:0A:76:1A:C2:4E:9C:C1:2B:66:44:0B:31:86:87:2B\r\n"
                + "a=setup:active\r\n"
                + "a=mid:d\r\n"
                + "a=sctp-port:5000\r\n"
                + "a=max-message-size:65536\r\n", answer.toSdp());
    }

    @Test
    void answersLegacyOfferInLegacyForm() throws SdpParseException {
        String offer = "v=0\r\no=- 3 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
                + "m=application 5000 DTLS/SCTP 5000\r\nc=IN IP4 127.0.0.1\r\n"
                + "a=candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host\r\n"
                + "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\na=fingerprint:sha-256 AB:CD\r\n"
                + "a=setup:actpass\r\na=mid:0\r\na=sctpmap:5000 webrtc-datachannel 65535\r\n";
        SessionDescription answer = DataChannelNegotiation.createAnswer(SessionDescription.parse(offer),
                local().trickle(false).build());
        assertEquals("v=0\r\n"
                + "o=- 4722219569390195859 2 IN IP4 127.0.0.1\r\n"
                + "s=-\r\n"
                + "t=0 0\r\n"
                + "a=group:BUNDLE 0\r\n"
                + "m=application 9 DTLS/SCTP 5000\r\n"
                + "c=IN IP4 0.0.0.0\r\n"
                + "a=ice-ufrag:pRtc\r\n"
                + "a=ice-pwd:purertcpurertcpurertc+/\r\n"
                + "a=fingerprint:sha-256 E3:B0:A2:41:2D:FC:E1:7B:67:11:65:CF:9C:35:5B:13:04:0A:76:1A:C2:4E:9C:C1:2B:66:44:0B:31:86:87:2B\r\n"
                + "a=setup:active\r\n"
                + "a=mid:0\r\n"
                + "a=sctpmap:5000 webrtc-datachannel 65535\r\n"
                + "a=max-message-size:262144\r\n", answer.toSdp());
        assertEquals(new SctpParameters(5000, 262144, true, 65535), DataChannelDescription.of(answer).sctp());
        // A stated stream count is mirrored, as Chromium does.
        SessionDescription answer1024 = DataChannelNegotiation.createAnswer(
                SessionDescription.parse(offer.replace("webrtc-datachannel 65535", "webrtc-datachannel 1024")), local().build());
        assertEquals(1024, DataChannelDescription.of(answer1024).sctp().maxStreams());
    }

    @Test
    void secondDataSectionAndAlreadyDisabledSectionsAreRejected() throws SdpParseException {
        String offer = "v=0\r\no=- 3 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:old\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=ice-ufrag:abcd\r\n"
                + "a=ice-pwd:abcdefghijklmnopqrstuv\r\na=fingerprint:sha-256 AB:CD\r\na=mid:new\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:extra\r\n";
        SessionDescription answer = DataChannelNegotiation.createAnswer(SessionDescription.parse(offer), local().build());
        assertEquals(List.of(0, 9, 0), answer.media().stream().map(MediaDescription::port).toList());
        assertEquals(List.of(Optional.of("old"), Optional.of("new"), Optional.of("extra")),
                answer.media().stream().map(MediaDescription::mid).toList());
        assertEquals(List.of(), answer.groups());
        // Offer had no a=setup: answer passive (RFC 4145 default active offerer).
        assertEquals(Optional.of(SetupRole.PASSIVE), DataChannelDescription.of(answer).dtls().setup());
    }

    @Test
    void offerWithoutDataSectionIsATypedError() throws SdpParseException {
        String offer = "v=0\r\no=- 3 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\n"
                + "a=fingerprint:sha-256 AB:CD\r\na=mid:0\r\n";
        SessionDescription sd = SessionDescription.parse(offer);
        NoDataChannelSectionException e = assertThrows(NoDataChannelSectionException.class,
                () -> DataChannelNegotiation.createAnswer(sd, local().build()));
        assertEquals("no usable m=application UDP/DTLS/SCTP, TCP/DTLS/SCTP or DTLS/SCTP section among 1 m= section(s)",
                e.getMessage());
    }

    @Test
    void offerWithoutCredentialsIsATypedError() throws SdpParseException {
        String sdp = SdpParserTest.CHROME_OFFER.replace("a=ice-pwd:0123456789abcdefABCDEF+/\r\n", "");
        SdpValidationException e = assertThrows(SdpValidationException.class,
                () -> DataChannelNegotiation.createAnswer(SessionDescription.parse(sdp), local().build()));
        assertEquals("ice-pwd", e.attribute());
    }

    @Test
    void acceptsOnlyAnswersThatMatchTheOffer() throws SdpParseException {
        SessionDescription offer = DataChannelNegotiation.createOffer(local().build());
        DataChannelParameters remote = DataChannelParameters.builder("rEmo", "remoteremoteremoteremo", LOCAL_FP)
                .sessionId(1).actpassAnswer(SetupRole.PASSIVE).build();
        SessionDescription answer = DataChannelNegotiation.createAnswer(offer, remote);
        DataChannelDescription accepted = DataChannelNegotiation.acceptAnswer(offer, answer);
        assertEquals("rEmo", accepted.ice().ufrag());
        assertEquals(Optional.of(SetupRole.PASSIVE), accepted.dtls().setup());
        assertEquals(true, DataChannelNegotiation.offererIsDtlsClient(SetupRole.PASSIVE));

        String text = answer.toSdp();
        // No a=setup in an answer means passive (RFC 4145 §4.1).
        assertEquals(Optional.of(SetupRole.PASSIVE), DataChannelNegotiation.acceptAnswer(offer,
                SessionDescription.parse(text.replace("a=setup:passive\r\n", ""))).dtls().setup());
        SdpValidationException actpass = assertThrows(SdpValidationException.class, () -> DataChannelNegotiation.acceptAnswer(
                offer, SessionDescription.parse(text.replace("a=setup:passive", "a=setup:actpass"))));
        assertEquals("setup", actpass.attribute());
        SdpValidationException wrongMid = assertThrows(SdpValidationException.class, () -> DataChannelNegotiation.acceptAnswer(
                offer, SessionDescription.parse(text.replace("a=mid:0", "a=mid:1"))));
        assertEquals("mid", wrongMid.attribute());
        assertThrows(NoDataChannelSectionException.class, () -> DataChannelNegotiation.acceptAnswer(
                offer, SessionDescription.parse(text.replace("m=application 9 ", "m=application 0 "))));
        SdpValidationException extra = assertThrows(SdpValidationException.class, () -> DataChannelNegotiation.acceptAnswer(
                offer, SessionDescription.parse(text + "m=audio 0 RTP/AVP 0\r\n")));
        assertEquals("m=", extra.attribute());
        assertThrows(IllegalArgumentException.class, () -> DataChannelNegotiation.offererIsDtlsClient(SetupRole.ACTPASS));
    }

    @Test
    void parametersRejectInvalidCredentials() {
        assertThrows(IllegalArgumentException.class,
                () -> DataChannelParameters.builder("abc", "purertcpurertcpurertc+/", LOCAL_FP).build());
        assertThrows(IllegalArgumentException.class,
                () -> DataChannelParameters.builder("abcd", "short", LOCAL_FP).build());
        assertThrows(IllegalArgumentException.class,
                () -> DataChannelParameters.builder("ab-d", "purertcpurertcpurertc+/", LOCAL_FP).build());
        assertThrows(IllegalArgumentException.class,
                () -> local().actpassAnswer(SetupRole.ACTPASS).build());
    }
}
