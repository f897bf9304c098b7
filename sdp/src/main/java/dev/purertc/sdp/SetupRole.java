package dev.purertc.sdp;

/**
 * The {@code a=setup} attribute (RFC 4145 §4, RFC 8842 §5.1): which side opens the connection, which
 * for DTLS decides who is the client. An offer says {@link #ACTPASS}; the answer picks
 * {@link #ACTIVE} (answerer is DTLS client) or {@link #PASSIVE} (answerer is DTLS server).
 */
public enum SetupRole {
    /** Will be the DTLS client. */
    ACTIVE("active"),
    /** Will be the DTLS server. */
    PASSIVE("passive"),
    /** Either; only valid in an offer (RFC 8842 §5.2). */
    ACTPASS("actpass"),
    /** No connection yet; not usable for WebRTC (RFC 8842 §5.1). */
    HOLDCONN("holdconn");

    /** RFC 4145 §4.1: the role an offer without {@code a=setup} means. */
    public static final SetupRole DEFAULT_IN_OFFER = ACTIVE;
    /** RFC 4145 §4.1: the role an answer without {@code a=setup} means. */
    public static final SetupRole DEFAULT_IN_ANSWER = PASSIVE;

    private final String token;

    SetupRole(String token) {
        this.token = token;
    }

    /** The value as written in {@code a=setup:}. */
    public String token() {
        return token;
    }

    /**
     * Looks a role up by its attribute value (exact lower case, as RFC 4145 spells them).
     *
     * @throws IllegalArgumentException for any other value
     */
    public static SetupRole fromToken(String token) {
        for (SetupRole role : values()) {
            if (role.token.equals(token)) {
                return role;
            }
        }
        throw new IllegalArgumentException("a=setup must be active, passive, actpass or holdconn: '" + SdpSyntax.clip(token) + "'");
    }

    /**
     * The role an answerer takes when the offer says {@code this} (RFC 8842 §5.3, RFC 4145 §4.1):
     * {@code actpass} is answered with {@code actpassAnswer} (ACTIVE or PASSIVE), {@code active}
     * with {@code passive}, {@code passive} with {@code active}.
     *
     * @throws IllegalArgumentException when the offer says holdconn, or actpassAnswer is not ACTIVE/PASSIVE
     */
    public SetupRole answerTo(SetupRole actpassAnswer) {
        if (actpassAnswer != ACTIVE && actpassAnswer != PASSIVE) {
            throw new IllegalArgumentException("an answer to actpass must be active or passive, not " + actpassAnswer);
        }
        return switch (this) {
            case ACTPASS -> actpassAnswer;
            case ACTIVE -> PASSIVE;
            case PASSIVE -> ACTIVE;
            case HOLDCONN -> throw new IllegalArgumentException("a=setup:holdconn cannot be answered for DTLS");
        };
    }

    /** True if the side that wrote this role is the DTLS client ({@code active}); only meaningful in answers. */
    public boolean isDtlsClient() {
        return this == ACTIVE;
    }

    /** As an {@code a=setup} attribute. */
    public Attribute toAttribute() {
        return new Attribute("setup", token);
    }
}
