package dev.purertc.dtls;

import org.bouncycastle.tls.SRTPProtectionProfile;

/**
 * The SRTP protection profiles PureRTC offers and accepts in the DTLS use_srtp extension (RFC 5764
 * §4.1.2, RFC 7714 §14.2), in preference order, as browsers and werift list them. PureRTC carries no
 * media: the extension is negotiated only because some peers require it.
 */
final class SrtpProfiles {
    static final int[] OFFERED = {SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM, SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80};

    private SrtpProfiles() {
    }

    /** The first of the peer's profiles that PureRTC knows (the peer's order wins), or -1. */
    static int select(int[] offered) {
        for (int p : offered) {
            for (int known : OFFERED) {
                if (p == known) {
                    return p;
                }
            }
        }
        return -1;
    }
}
