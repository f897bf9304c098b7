package dev.purertc.interop;

import dev.purertc.sdp.DataChannelParameters;
import dev.purertc.sdp.Fingerprint;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * PureRTC's local data-channel parameters for SDP-only interop checks (no transport exists yet):
 * random ICE credentials and session id, and a SHA-256 fingerprint of the right form. It is the
 * digest of random bytes standing in for a certificate, since nothing connects in these checks.
 */
final class PureRtcSdpParameters {
    // RFC 8839 §5.4: ice-char = ALPHA / DIGIT / "+" / "/"
    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final SecureRandom RANDOM = new SecureRandom();

    private PureRtcSdpParameters() {
    }

    static DataChannelParameters random() {
        byte[] certificateStandIn = new byte[512];
        RANDOM.nextBytes(certificateStandIn);
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(certificateStandIn);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return DataChannelParameters.builder(iceChars(8), iceChars(24), Fingerprint.of(Fingerprint.SHA_256, digest))
                .sessionId(RANDOM.nextLong() & Long.MAX_VALUE)
                .build();
    }

    private static String iceChars(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ICE_CHARS.charAt(RANDOM.nextInt(ICE_CHARS.length())));
        }
        return sb.toString();
    }
}
