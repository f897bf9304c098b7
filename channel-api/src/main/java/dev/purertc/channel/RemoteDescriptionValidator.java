package dev.purertc.channel;

import java.util.ArrayList;
import java.util.List;

import dev.purertc.dtls.DtlsFingerprint;
import dev.purertc.dtls.DtlsRole;
import dev.purertc.ice.IceCredentials;
import dev.purertc.sdp.DataChannelDescription;
import dev.purertc.sdp.DataChannelNegotiation;
import dev.purertc.sdp.Fingerprint;
import dev.purertc.sdp.SdpParseException;
import dev.purertc.sdp.SdpValidationException;
import dev.purertc.sdp.SessionDescription;
import dev.purertc.sdp.SetupRole;

/**
 * Checks a remote offer or answer against everything {@link RTCPeerConnection#setRemoteDescription}
 * needs before it changes any state (W3C WebRTC §4.4.1.6: a description that is rejected leaves the
 * connection as it was). What used to fail half-way (an ICE ufrag the agent refuses after the signaling
 * state had moved on, a fingerprint DTLS cannot parse) fails here, as a typed exception naming the
 * attribute, and what passes cannot fail when applied.
 *
 * <p>Stateless; called under the connection's signaling lock.
 */
final class RemoteDescriptionValidator {

    /**
     * A remote description that passed every check, with what it decides.
     *
     * @param dtlsRole this side's DTLS role, decided by an answer's {@code a=setup}; null for an offer
     *                 (the local answer decides it)
     */
    record Validated(SessionDescription sdp, DataChannelDescription dataChannel, List<DtlsFingerprint> fingerprints,
                     IceCredentials credentials, DtlsRole dtlsRole) {
    }

    private RemoteDescriptionValidator() {
    }

    /**
     * @param localOffer our offer, which an answer must match; unused for an offer
     * @throws SdpParseException      if the text is not SDP
     * @throws SdpValidationException naming the attribute that makes it unusable: no data section, ICE
     *                                credentials outside RFC 8839 §5.4, no usable fingerprint, an answer
     *                                that does not match our offer, {@code a=setup:holdconn}
     */
    static Validated validate(RTCSessionDescription description, RTCSessionDescription localOffer)
            throws SdpParseException {
        boolean isOffer = description.type() == RTCSessionDescription.Type.OFFER;
        SessionDescription sd = SessionDescription.parse(description.sdp());
        // An answer is checked against our offer (same sections, mid, a=setup active/passive with
        // absent meaning passive, RFC 4145 §4.1). Both views check ice-ufrag/ice-pwd (RFC 8839 §5.4).
        DataChannelDescription dc = isOffer ? DataChannelDescription.of(sd)
                : DataChannelNegotiation.acceptAnswer(SessionDescription.parse(localOffer.sdp()), sd);
        String mid = dc.mid().orElse(null);
        List<DtlsFingerprint> fingerprints = fingerprints(dc, mid);
        IceCredentials credentials;
        try {
            credentials = new IceCredentials(dc.ice().ufrag(), dc.ice().pwd());
        } catch (IllegalArgumentException e) { // the sdp module checks the same grammar: a second line of defence
            throw new SdpValidationException("ice-ufrag", mid, e.getMessage());
        }
        DtlsRole role = null;
        if (isOffer) {
            SetupRole offered = dc.dtls().setup().orElse(SetupRole.DEFAULT_IN_OFFER);
            if (offered == SetupRole.HOLDCONN) {
                // createAnswer would refuse it later, with the connection stuck in have-remote-offer
                throw new SdpValidationException("setup", mid, "a=setup:holdconn in the offer cannot be answered for DTLS");
            }
        } else {
            SetupRole setup = dc.dtls().setup().orElseThrow(); // acceptAnswer fills in the default
            role = setup == SetupRole.ACTIVE ? DtlsRole.SERVER : DtlsRole.CLIENT;
        }
        return new Validated(sd, dc, fingerprints, credentials, role);
    }

    /** RFC 8122 §5: every fingerprint must parse; at least one must use a hash function DTLS can check. */
    private static List<DtlsFingerprint> fingerprints(DataChannelDescription dc, String mid) throws SdpValidationException {
        List<DtlsFingerprint> fingerprints = new ArrayList<>();
        for (Fingerprint f : dc.dtls().fingerprints()) {
            try {
                fingerprints.add(DtlsFingerprint.parse(f.algorithm() + " " + f.hex()));
            } catch (IllegalArgumentException e) {
                throw new SdpValidationException("fingerprint", mid, "a=fingerprint:" + f.algorithm() + " is unusable: "
                        + e.getMessage());
            }
        }
        if (fingerprints.stream().noneMatch(DtlsFingerprint::isSupported)) {
            throw new SdpValidationException("fingerprint", mid, "no a=fingerprint uses a hash function PureRTC "
                    + "supports (sha-1, sha-224, sha-256, sha-384, sha-512)");
        }
        return List.copyOf(fingerprints);
    }
}
