package dev.purertc.sdp;

/**
 * ICE candidate types (RFC 8839 §5.1 {@code cand-type}, RFC 8445 §5.1.1). The names written in
 * candidate lines are lower case; unknown types are not representable.
 */
public enum CandidateType {
    /** A local interface address. */
    HOST("host"),
    /** Server-reflexive: the address a STUN server saw. */
    SRFLX("srflx"),
    /** Peer-reflexive: learned from an incoming connectivity check. */
    PRFLX("prflx"),
    /** A TURN relay address. */
    RELAY("relay");

    private static final CandidateType[] VALUES = values();

    private final String token;

    CandidateType(String token) {
        this.token = token;
    }

    /** The name as written after {@code typ} in a candidate line. */
    public String token() {
        return token;
    }

    /**
     * Looks a type up by its candidate-line name, ignoring ASCII case.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static CandidateType fromToken(String token) {
        if (token != null) {
            for (CandidateType type : VALUES) {
                if (type.token.equalsIgnoreCase(token)) {
                    return type;
                }
            }
        }
        throw new IllegalArgumentException("unknown candidate type '" + SdpSyntax.clip(token) + "'");
    }
}
