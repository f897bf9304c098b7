package dev.purertc.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * JSEP offer/answer for data-channel-only sessions (RFC 8829 §5.2, §5.3; RFC 8841; RFC 8842;
 * RFC 8843). Stateless; all methods are thread-safe.
 */
public final class DataChannelNegotiation {
    /** The mid PureRTC gives its data section in offers, as browsers do for the first m= section. */
    public static final String OFFER_MID = "0";

    private static final String ANY_ADDRESS = "0.0.0.0";
    // RFC 8829 §5.2.1: with no candidates yet the m= port is 9 (discard) and c= is 0.0.0.0.
    private static final int PLACEHOLDER_PORT = 9;
    // The stream count PureRTC's SCTP announces (RFC 8831 §6.2 allows up to 65535 in each direction).
    private static final int LEGACY_STREAMS = 65535;

    private DataChannelNegotiation() {
    }

    /**
     * Builds an offer with exactly one {@code m=application 9 UDP/DTLS/SCTP webrtc-datachannel}
     * section: mid 0 in a BUNDLE group, ICE credentials, {@code ice-options:trickle} (unless turned
     * off), {@code fingerprint}, {@code setup:actpass}, {@code sctp-port} and {@code max-message-size}.
     * When the parameters carry candidates, they are written as {@code a=candidate} lines and the
     * m= port and {@code c=} line name the default candidate instead of {@code 9}/{@code 0.0.0.0}.
     */
    public static SessionDescription createOffer(DataChannelParameters local) {
        return createOffer(local, OFFER_MID);
    }

    /**
     * {@link #createOffer(DataChannelParameters)} with the data section's mid given: a subsequent offer
     * keeps the mid negotiated first (RFC 8829 §5.2.2), which is the remote offerer's when this side
     * answered the first offer.
     *
     * @throws IllegalArgumentException if {@code mid} is empty
     */
    public static SessionDescription createOffer(DataChannelParameters local, String mid) {
        if (mid == null || mid.isEmpty()) {
            throw new IllegalArgumentException("mid must not be empty");
        }
        MediaDescription.Builder m = MediaDescription.builder("application", defaultPort(local),
                SctpParameters.PROTO_UDP, List.of(SctpParameters.FORMAT_DATACHANNEL));
        appendTransport(m, local, SetupRole.ACTPASS);
        m.attribute(WebRtcAttributes.MID, mid);
        m.attribute(WebRtcAttributes.SCTP_PORT, Integer.toString(local.sctpPort()));
        m.attribute(WebRtcAttributes.MAX_MESSAGE_SIZE, Long.toString(local.maxMessageSize()));
        return SessionDescription.builder(Origin.jsep(local.sessionId(), local.sessionVersion()))
                .field('t', "0 0")
                .line(Group.bundle(List.of(mid)).toAttribute())
                .media(m.build())
                .build();
    }

    /**
     * Builds the answer to a remote offer. The first usable data section is accepted in the offer's
     * protocol (legacy {@code DTLS/SCTP} offers get a legacy {@code a=sctpmap} answer); every other
     * section, audio and video included, is rejected with port 0 while keeping its media type,
     * protocol, format list and mid, plus {@code a=inactive} for RTP sections (RFC 8829 §5.3.1,
     * RFC 3264 §6). mids are mirrored; BUNDLE groups are mirrored without the rejected mids
     * (RFC 8843 §7.3.3). The setup role follows {@link SetupRole#answerTo(SetupRole)}; a missing
     * {@code a=setup} counts as {@code active} (RFC 4145 §4).
     *
     * @throws NoDataChannelSectionException if the offer has no usable data section
     * @throws SdpValidationException if the data section lacks ICE credentials or a fingerprint, or says holdconn
     */
    public static SessionDescription createAnswer(SessionDescription offer, DataChannelParameters local)
            throws SdpParseException {
        DataChannelDescription remote = DataChannelDescription.of(offer);
        MediaDescription accepted = remote.section();
        SetupRole offered = remote.dtls().setup().orElse(SetupRole.DEFAULT_IN_OFFER);
        if (offered == SetupRole.HOLDCONN) {
            throw new SdpValidationException(WebRtcAttributes.SETUP, remote.mid().orElse(null),
                    "a=setup:holdconn in the offer cannot be answered for DTLS");
        }
        SetupRole answerRole = offered.answerTo(local.actpassAnswer());

        List<MediaDescription> answerMedia = new ArrayList<>(offer.media().size());
        List<String> acceptedMids = new ArrayList<>(1);
        for (MediaDescription m : offer.media()) {
            if (m == accepted) {
                answerMedia.add(answerDataSection(m, local, answerRole, remote.sctp().maxStreams()));
                m.mid().ifPresent(acceptedMids::add);
            } else {
                answerMedia.add(rejectSection(m));
            }
        }

        SessionDescription.Builder answer = SessionDescription.builder(Origin.jsep(local.sessionId(), local.sessionVersion()))
                .field('t', "0 0");
        for (Group g : offer.groups()) {
            if (g.isBundle()) {
                List<String> kept = new ArrayList<>();
                for (String mid : g.mids()) {
                    if (acceptedMids.contains(mid)) {
                        kept.add(mid);
                    }
                }
                if (!kept.isEmpty()) {
                    answer.line(new Group(g.semantics(), kept).toAttribute());
                }
            }
        }
        answerMedia.forEach(answer::media);
        return answer.build();
    }

    /**
     * Checks a remote answer against the local offer it answers and returns the remote side's data
     * section (RFC 3264 §6, RFC 8829 §5.8): the answer must have as many m= sections as the offer,
     * the offer's data section must be answered in the same position with the same mid and a
     * non-zero port, and its {@code a=setup} must be {@code active} or {@code passive} (RFC 8842
     * §5.3; absent means {@code passive}, RFC 4145 §4.1), which is what the returned view reports.
     *
     * @throws NoDataChannelSectionException if the offer has no data section or the answer rejected it
     * @throws SdpValidationException if the answer does not match the offer, says actpass/holdconn, or
     *         lacks ICE credentials or a fingerprint
     */
    public static DataChannelDescription acceptAnswer(SessionDescription localOffer, SessionDescription remoteAnswer)
            throws SdpParseException {
        MediaDescription offered = DataChannelDescription.findDataSection(localOffer).orElseThrow(
                () -> new NoDataChannelSectionException("the local offer has no data-channel section"));
        int index = localOffer.media().indexOf(offered);
        if (remoteAnswer.media().size() != localOffer.media().size()) {
            throw new SdpValidationException("m=", null, "the answer has " + remoteAnswer.media().size()
                    + " m= section(s), the offer " + localOffer.media().size() + " (RFC 3264 §6 requires the same number)");
        }
        MediaDescription answered = remoteAnswer.media().get(index);
        String mid = offered.mid().orElse(null);
        if (!answered.mid().equals(offered.mid())) {
            throw new SdpValidationException(WebRtcAttributes.MID, mid, "the answer's m= section " + (index + 1)
                    + " has mid " + answered.mid().orElse("(none)") + ", the offer's " + (mid == null ? "(none)" : mid));
        }
        if (!SctpParameters.isDataChannelSection(answered) || !answered.proto().equalsIgnoreCase(offered.proto())) {
            throw new SdpValidationException("m=application", mid, "the answer changed the data section to m="
                    + answered.media() + " " + answered.proto());
        }
        if (answered.isRejected()) {
            throw new NoDataChannelSectionException("the answer rejected the data section" + IceParameters.where(mid));
        }
        DataChannelDescription remote = DataChannelDescription.of(remoteAnswer, answered);
        SetupRole setup = remote.dtls().setup().orElse(SetupRole.DEFAULT_IN_ANSWER);
        if (setup != SetupRole.ACTIVE && setup != SetupRole.PASSIVE) {
            throw new SdpValidationException(WebRtcAttributes.SETUP, mid,
                    "a=setup:" + setup.token() + " is not allowed in an answer; it must be active or passive");
        }
        return new DataChannelDescription(remote.mid(), remote.section(), remote.ice(), remote.candidates(),
                remote.endOfCandidates(), new DtlsParameters(remote.dtls().fingerprints(), Optional.of(setup)),
                remote.sctp(), remote.bundle());
    }

    /**
     * True if the offerer is the DTLS client, given the setup role written in the answer: an
     * {@code active} answerer connects, so the offerer is the server, and vice versa (RFC 8842 §5.3).
     *
     * @throws IllegalArgumentException for actpass or holdconn, which an answer cannot carry
     */
    public static boolean offererIsDtlsClient(SetupRole answerSetup) {
        if (answerSetup != SetupRole.ACTIVE && answerSetup != SetupRole.PASSIVE) {
            throw new IllegalArgumentException("an answer's setup must be active or passive, not " + answerSetup);
        }
        return answerSetup == SetupRole.PASSIVE;
    }

    private static MediaDescription answerDataSection(MediaDescription offered, DataChannelParameters local, SetupRole role,
                                                      int offeredStreams) {
        boolean legacy = SctpParameters.isLegacySection(offered);
        String format = legacy ? Integer.toString(local.sctpPort()) : SctpParameters.FORMAT_DATACHANNEL;
        MediaDescription.Builder m = MediaDescription.builder(offered.media(), defaultPort(local), offered.proto(), List.of(format));
        appendTransport(m, local, role);
        Optional<String> mid = offered.mid();
        mid.ifPresent(v -> m.attribute(WebRtcAttributes.MID, v));
        if (legacy) {
            // draft-ietf-mmusic-sctp-sdp-05 §5: a=sctpmap:<sctp-port> webrtc-datachannel <streams>. The
            // offered stream count is mirrored, as Chromium does; 65535 when the offer states none.
            int streams = offeredStreams > 0 ? offeredStreams : LEGACY_STREAMS;
            m.attribute(WebRtcAttributes.SCTPMAP, local.sctpPort() + " " + SctpParameters.FORMAT_DATACHANNEL + " " + streams);
        } else {
            m.attribute(WebRtcAttributes.SCTP_PORT, Integer.toString(local.sctpPort()));
        }
        m.attribute(WebRtcAttributes.MAX_MESSAGE_SIZE, Long.toString(local.maxMessageSize()));
        return m.build();
    }

    /**
     * RFC 8829 §5.2.1/§5.3.1: with no candidate yet, port 9 and {@code c=IN IP4 0.0.0.0}; once
     * candidates are included, m= and c= name the default candidate, the first UDP component-1
     * candidate with an IP address (mDNS names cannot go in c=), as Chromium does.
     */
    private static Optional<IceCandidate> defaultCandidate(DataChannelParameters local) {
        return defaultCandidate(local.candidates());
    }

    private static Optional<IceCandidate> defaultCandidate(List<IceCandidate> candidates) {
        for (IceCandidate c : candidates) {
            if (c.isUdp() && c.component() == 1 && !c.isMdnsAddress()
                    && (SdpSyntax.isIpv4(c.address()) || SdpSyntax.isIpv6(c.address()))) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * The local description as browsers report it once candidates are known (RFC 8829 §5.2.1, §5.3.1,
     * JSEP's "current local description"): the data section of {@code local} gets {@code candidates} as
     * {@code a=candidate} lines and, when {@code endOfCandidates}, {@code a=end-of-candidates}; its m= port
     * and {@code c=} line name the default candidate. Candidate lines already present are replaced, so the
     * result does not depend on how often it is applied; every other line and section is kept as it is,
     * {@code a=ice-options:trickle} included (the peer may still trickle).
     *
     * @throws IllegalArgumentException if {@code local} has no data section (it was not made by this class)
     */
    public static SessionDescription withLocalCandidates(SessionDescription local, List<IceCandidate> candidates,
                                                         boolean endOfCandidates) {
        MediaDescription section = DataChannelDescription.findDataSection(local).orElseThrow(
                () -> new IllegalArgumentException("the local description has no data-channel section"));
        Optional<IceCandidate> byDefault = defaultCandidate(candidates);
        List<SdpLine> lines = new ArrayList<>(section.lines().size() + candidates.size() + 1);
        boolean placed = false;
        for (SdpLine line : section.lines()) {
            if (line instanceof Attribute a && (a.name().equals(WebRtcAttributes.CANDIDATE)
                    || a.name().equals(WebRtcAttributes.END_OF_CANDIDATES))) {
                continue;
            }
            if (line instanceof SdpField f && f.type() == 'c' && !placed) {
                lines.add(byDefault.map(c -> connectionTo(c.address())).orElse(f));
                placed = true;
                candidates.forEach(c -> lines.add(c.toAttribute()));
                if (endOfCandidates) {
                    lines.add(Attribute.flag(WebRtcAttributes.END_OF_CANDIDATES));
                }
                continue;
            }
            lines.add(line);
        }
        if (!placed) { // no c= in the section (it is at session level): candidates go after the m= line
            List<SdpLine> first = new ArrayList<>();
            candidates.forEach(c -> first.add(c.toAttribute()));
            if (endOfCandidates) {
                first.add(Attribute.flag(WebRtcAttributes.END_OF_CANDIDATES));
            }
            lines.addAll(0, first);
        }
        MediaDescription updated = section.withLines(lines).withPort(byDefault.map(IceCandidate::port).orElse(section.port()));
        List<MediaDescription> media = new ArrayList<>(local.media());
        media.set(media.indexOf(section), updated);
        return local.withMedia(media);
    }

    private static SdpField connectionTo(String address) {
        return SdpField.connection(address.indexOf(':') >= 0 ? "IP6" : "IP4", address);
    }

    private static int defaultPort(DataChannelParameters local) {
        return defaultCandidate(local).map(IceCandidate::port).orElse(PLACEHOLDER_PORT);
    }

    private static void appendTransport(MediaDescription.Builder m, DataChannelParameters local, SetupRole role) {
        Optional<IceCandidate> byDefault = defaultCandidate(local);
        if (byDefault.isPresent()) {
            m.line(connectionTo(byDefault.get().address()));
        } else {
            m.line(SdpField.connection("IP4", ANY_ADDRESS));
        }
        for (IceCandidate c : local.candidates()) {
            m.line(c.toAttribute());
        }
        if (local.endOfCandidates()) {
            m.flag(WebRtcAttributes.END_OF_CANDIDATES);
        }
        m.attribute(WebRtcAttributes.ICE_UFRAG, local.iceUfrag());
        m.attribute(WebRtcAttributes.ICE_PWD, local.icePwd());
        if (local.trickle()) {
            m.attribute(WebRtcAttributes.ICE_OPTIONS, IceParameters.TRICKLE);
        }
        m.line(local.fingerprint().toAttribute());
        m.line(role.toAttribute());
    }

    /**
     * RFC 8829 §5.3.1 / RFC 3264 §6: a rejected section keeps media, proto and formats with port 0,
     * and its mid; RTP sections also say a=inactive and keep the a=rtpmap lines of their formats so
     * dynamic payload types stay described.
     */
    private static MediaDescription rejectSection(MediaDescription offered) {
        MediaDescription.Builder m = MediaDescription.builder(offered.media(), 0, offered.proto(), offered.formats());
        m.line(SdpField.connection("IP4", ANY_ADDRESS));
        offered.mid().ifPresent(v -> m.attribute(WebRtcAttributes.MID, v));
        if (offered.proto().toUpperCase(java.util.Locale.ROOT).contains("RTP")) {
            m.flag("inactive");
            for (Attribute a : offered.attributes("rtpmap")) {
                String v = a.value();
                int space = v == null ? -1 : v.indexOf(' ');
                if (space > 0 && offered.formats().contains(v.substring(0, space))) {
                    m.line(a);
                }
            }
        }
        return m.build();
    }
}
