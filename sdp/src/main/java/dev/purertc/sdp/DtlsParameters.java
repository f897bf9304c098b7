package dev.purertc.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DTLS parameters of one m= section (RFC 8842 §5): certificate fingerprints and the
 * {@code a=setup} role, media-level attributes taking precedence over session-level ones.
 *
 * <p>Immutable and thread-safe.
 *
 * @param fingerprints at least one fingerprint (RFC 8842 §5: several when the certificate chain uses several hashes)
 * @param setup the {@code a=setup} role, if stated
 */
public record DtlsParameters(List<Fingerprint> fingerprints, Optional<SetupRole> setup) {
    /** @throws IllegalArgumentException if there is no fingerprint */
    public DtlsParameters {
        fingerprints = List.copyOf(fingerprints);
        if (fingerprints.isEmpty()) {
            throw new IllegalArgumentException("at least one fingerprint is required");
        }
        if (setup == null) {
            throw new IllegalArgumentException("setup must be an Optional");
        }
    }

    /** The first fingerprint, the one browsers verify against. */
    public Fingerprint fingerprint() {
        return fingerprints.get(0);
    }

    /**
     * The DTLS parameters that apply to {@code m}.
     *
     * @throws SdpValidationException naming {@code fingerprint} when no fingerprint applies
     * @throws SdpParseException when a value is malformed (only possible for descriptions built in code)
     */
    public static DtlsParameters of(SessionDescription sd, MediaDescription m) throws SdpParseException {
        String mid = m.mid().orElse(null);
        List<Attribute> attrs = m.attributes(WebRtcAttributes.FINGERPRINT);
        if (attrs.isEmpty()) {
            attrs = sd.attributes(WebRtcAttributes.FINGERPRINT);
        }
        if (attrs.isEmpty()) {
            throw new SdpValidationException(WebRtcAttributes.FINGERPRINT, mid,
                    "missing a=fingerprint" + IceParameters.where(mid));
        }
        try {
            List<Fingerprint> fingerprints = new ArrayList<>(attrs.size());
            for (Attribute a : attrs) {
                fingerprints.add(Fingerprint.parse(a.value()));
            }
            Optional<String> setupText = IceParameters.lookup(sd, m, WebRtcAttributes.SETUP);
            Optional<SetupRole> setup = setupText.isPresent() ? Optional.of(SetupRole.fromToken(setupText.get())) : Optional.empty();
            return new DtlsParameters(fingerprints, setup);
        } catch (IllegalArgumentException e) {
            throw new SdpParseException(0, e.getMessage());
        }
    }
}
