package dev.purertc.sdp;

import java.util.List;

/**
 * What the local side puts into a data-channel offer or answer: ICE credentials, the DTLS
 * certificate fingerprint, SCTP port and max-message-size, o= line numbers, any candidates already
 * gathered, and which role to take when the remote offer says {@code actpass}.
 *
 * <p>Immutable and thread-safe. Build with {@link #builder(String, String, Fingerprint)}.
 *
 * @param iceUfrag local {@code a=ice-ufrag} (RFC 8839 §5.4: 4 to 256 ice-chars)
 * @param icePwd local {@code a=ice-pwd} (22 to 256 ice-chars)
 * @param fingerprint fingerprint of the local DTLS certificate
 * @param maxMessageSize local {@code a=max-message-size} (0 = no limit)
 * @param sctpPort local SCTP port (RFC 8841 §5)
 * @param sessionId o= session id, 0 to 2^63-1
 * @param sessionVersion o= session version, 0 to 2^63-1
 * @param trickle write {@code a=ice-options:trickle} (RFC 8840 §4.1.1)
 * @param candidates candidates to write as {@code a=candidate} lines (empty when trickling them)
 * @param endOfCandidates write {@code a=end-of-candidates} (gathering finished)
 * @param actpassAnswer the role to answer an {@code actpass} offer with: ACTIVE (default, DTLS client) or PASSIVE
 */
public record DataChannelParameters(String iceUfrag, String icePwd, Fingerprint fingerprint, long maxMessageSize,
                                    int sctpPort, long sessionId, long sessionVersion, boolean trickle,
                                    List<IceCandidate> candidates, boolean endOfCandidates, SetupRole actpassAnswer) {

    private static final java.security.SecureRandom SESSION_IDS = new java.security.SecureRandom();

    /** The max-message-size PureRTC announces by default (as Chromium does). */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 262144;

    /** @throws IllegalArgumentException for invalid values */
    public DataChannelParameters {
        if (!SdpSyntax.isIceChars(iceUfrag, 4, 256)) {
            throw new IllegalArgumentException("ice-ufrag must be 4 to 256 ice-chars (ALPHA / DIGIT / + / /)");
        }
        if (!SdpSyntax.isIceChars(icePwd, 22, 256)) {
            throw new IllegalArgumentException("ice-pwd must be 22 to 256 ice-chars (ALPHA / DIGIT / + / /)");
        }
        if (fingerprint == null) {
            throw new IllegalArgumentException("fingerprint is required");
        }
        if (maxMessageSize < 0) {
            throw new IllegalArgumentException("max-message-size must not be negative");
        }
        if (sctpPort < 1 || sctpPort > 65535) {
            throw new IllegalArgumentException("SCTP port must be 1 to 65535: " + sctpPort);
        }
        if (sessionId < 0 || sessionVersion < 0) {
            throw new IllegalArgumentException("session id and version must not be negative");
        }
        candidates = List.copyOf(candidates);
        if (actpassAnswer != SetupRole.ACTIVE && actpassAnswer != SetupRole.PASSIVE) {
            throw new IllegalArgumentException("actpassAnswer must be ACTIVE or PASSIVE");
        }
    }

    /**
     * A builder with defaults: max-message-size 262144, SCTP port 5000, a random 63-bit session id
     * (RFC 8829 §5.2.1), session version 0 (increment it for each new offer or answer of the same
     * session), trickle on, no candidates, actpass answered with {@code active}.
     */
    public static Builder builder(String iceUfrag, String icePwd, Fingerprint fingerprint) {
        return new Builder(iceUfrag, icePwd, fingerprint);
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {
        private final String iceUfrag;
        private final String icePwd;
        private final Fingerprint fingerprint;
        private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private int sctpPort = SctpParameters.DEFAULT_PORT;
        private long sessionId = SESSION_IDS.nextLong() & Long.MAX_VALUE;
        private long sessionVersion;
        private boolean trickle = true;
        private List<IceCandidate> candidates = List.of();
        private boolean endOfCandidates;
        private SetupRole actpassAnswer = SetupRole.ACTIVE;

        private Builder(String iceUfrag, String icePwd, Fingerprint fingerprint) {
            this.iceUfrag = iceUfrag;
            this.icePwd = icePwd;
            this.fingerprint = fingerprint;
        }

        /** Local {@code a=max-message-size}; 0 means no limit. */
        public Builder maxMessageSize(long value) {
            this.maxMessageSize = value;
            return this;
        }

        /** Local SCTP port, 1 to 65535. */
        public Builder sctpPort(int value) {
            this.sctpPort = value;
            return this;
        }

        /** o= session id, 0 to 2^63-1. */
        public Builder sessionId(long value) {
            this.sessionId = value;
            return this;
        }

        /** o= session version; increment it for every new description of the same session. */
        public Builder sessionVersion(long value) {
            this.sessionVersion = value;
            return this;
        }

        /** Whether to write {@code a=ice-options:trickle}. */
        public Builder trickle(boolean value) {
            this.trickle = value;
            return this;
        }

        /** Candidates to write as {@code a=candidate} lines (empty when all are trickled). */
        public Builder candidates(List<IceCandidate> value) {
            this.candidates = List.copyOf(value);
            return this;
        }

        /** Whether to write {@code a=end-of-candidates} (gathering has finished). */
        public Builder endOfCandidates(boolean value) {
            this.endOfCandidates = value;
            return this;
        }

        /** How to answer an actpass offer: ACTIVE (be the DTLS client, the browsers' choice) or PASSIVE. */
        public Builder actpassAnswer(SetupRole value) {
            this.actpassAnswer = value;
            return this;
        }

        /** @throws IllegalArgumentException for invalid values */
        public DataChannelParameters build() {
            return new DataChannelParameters(iceUfrag, icePwd, fingerprint, maxMessageSize, sctpPort, sessionId,
                    sessionVersion, trickle, candidates, endOfCandidates, actpassAnswer);
        }
    }
}
