package dev.purertc.sdp;

import java.util.List;
import java.util.Optional;

/**
 * The WebRTC view of a description's data-channel m= section: everything ICE, DTLS and SCTP need
 * from the remote (or local) description. Attributes of the m= section take precedence over
 * session-level ones; when the section is BUNDLEd and carries no ICE credentials of its own, those
 * of the group's first (tagged) section apply (RFC 8843 §7).
 *
 * <p>Immutable and thread-safe.
 *
 * @param mid the section's {@code a=mid}, if any
 * @param section the m= section itself
 * @param ice ICE credentials and options
 * @param candidates the section's {@code a=candidate} lines, decoded
 * @param endOfCandidates true if the section or session says {@code a=end-of-candidates}
 * @param dtls fingerprints and setup role
 * @param sctp SCTP port and max-message-size
 * @param bundle the BUNDLE group holding this section's mid, if any
 */
public record DataChannelDescription(Optional<String> mid, MediaDescription section, IceParameters ice,
                                     List<IceCandidate> candidates, boolean endOfCandidates, DtlsParameters dtls,
                                     SctpParameters sctp, Optional<Group> bundle) {

    /** @throws IllegalArgumentException if a component is null */
    public DataChannelDescription {
        if (mid == null || section == null || ice == null || dtls == null || sctp == null || bundle == null) {
            throw new IllegalArgumentException("all components are required");
        }
        candidates = List.copyOf(candidates);
    }

    /**
     * Finds and reads the first usable data-channel section (port not 0, or {@code a=bundle-only}).
     *
     * @throws NoDataChannelSectionException if there is none
     * @throws SdpValidationException naming {@code ice-ufrag}, {@code ice-pwd} or {@code fingerprint} when missing
     * @throws SdpParseException for malformed values in descriptions built in code
     */
    public static DataChannelDescription of(SessionDescription sd) throws SdpParseException {
        MediaDescription m = findDataSection(sd).orElseThrow(() -> new NoDataChannelSectionException(
                "no usable m=application UDP/DTLS/SCTP, TCP/DTLS/SCTP or DTLS/SCTP section among "
                        + sd.media().size() + " m= section(s)"));
        return of(sd, m);
    }

    /** Reads the given data-channel section of {@code sd}; see {@link #of(SessionDescription)}. */
    public static DataChannelDescription of(SessionDescription sd, MediaDescription m) throws SdpParseException {
        Optional<String> mid = m.mid();
        Optional<Group> bundle = Optional.empty();
        if (mid.isPresent()) {
            for (Group g : sd.groups()) {
                if (g.isBundle() && g.mids().contains(mid.get())) {
                    bundle = Optional.of(g);
                    break;
                }
            }
        }
        MediaDescription transport = m;
        if (!m.hasAttribute(WebRtcAttributes.ICE_UFRAG) && bundle.isPresent() && !bundle.get().mids().isEmpty()) {
            // RFC 8843 §7: a BUNDLEd section may leave transport attributes to the tagged (first) section.
            transport = sd.mediaByMid(bundle.get().mids().get(0)).orElse(m);
        }
        IceParameters ice = IceParameters.of(sd, transport.hasAttribute(WebRtcAttributes.ICE_UFRAG) ? transport : m);
        DtlsParameters dtls = DtlsParameters.of(sd,
                m.hasAttribute(WebRtcAttributes.FINGERPRINT) ? m : transport);
        List<IceCandidate> candidates = transport.candidates();
        boolean end = transport.endOfCandidates() || sd.attribute(WebRtcAttributes.END_OF_CANDIDATES).isPresent();
        return new DataChannelDescription(mid, m, ice, candidates, end, dtls, SctpParameters.of(m), bundle);
    }

    /** The first data-channel section that is not rejected, if any. */
    public static Optional<MediaDescription> findDataSection(SessionDescription sd) {
        for (MediaDescription m : sd.media()) {
            if (SctpParameters.isDataChannelSection(m) && !m.isRejected()) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
