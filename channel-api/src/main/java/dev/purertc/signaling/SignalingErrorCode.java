package dev.purertc.signaling;

/**
 * Why the server refused a message. The wire name ({@link #wireName()}) is the {@code code} field of
 * an error reply: {@code {"type":"error","code":"unknown-user","message":"...","id":7}}.
 */
public enum SignalingErrorCode {
    /** The text frame is not one well-formed JSON value. */
    MALFORMED_JSON("malformed-json"),
    /** The JSON value is not an object, or a field has the wrong type or is missing. */
    INVALID_MESSAGE("invalid-message"),
    /** Binary frames carry nothing in this protocol. */
    BINARY_NOT_SUPPORTED("binary-not-supported"),
    /** Neither a known {@code type} nor a known graphscript {@code route}. */
    UNKNOWN_TYPE("unknown-type"),
    /** A graphscript route the relay does not serve (or a {@code runConnection} method it does not relay). */
    UNKNOWN_ROUTE("unknown-route"),
    /** The connection must register a user before it relays anything. */
    NOT_REGISTERED("not-registered"),
    /** The connection already registered a (different) user. */
    ALREADY_REGISTERED("already-registered"),
    /** Another connection holds this user id. */
    USER_TAKEN("user-taken"),
    /**
     * The id was freed recently and is reserved for the client that held it: only a register carrying
     * that client's {@code secret} (from its {@code registered} reply), or a connection with the same
     * token, may claim it until the reservation ends.
     */
    USER_RESERVED("user-reserved"),
    /** The connection's token (see {@link TokenValidator}) does not grant this user id. */
    USER_NOT_GRANTED("user-not-granted"),
    /**
     * This connection looked up too many user ids that nobody holds (messages to unknown users, refused
     * registrations); every lookup is refused until its budget refills. Nothing was delivered.
     */
    RATE_LIMITED("rate-limited"),
    /** A user id must be 1-128 printable characters. */
    INVALID_USER_ID("invalid-user-id"),
    /**
     * No connection is registered under the target user id. (A PureRTC-dialect message to an id that is
     * reserved after a disconnection is held for its client instead, on a single node; a graphscript
     * {@code runConnection} to it, or in a cluster, gets this code.)
     */
    UNKNOWN_USER("unknown-user"),
    /** The message names a sender ({@code from}, {@code caller}, a connection id) that is not this connection. */
    IMPERSONATION("impersonation"),
    /**
     * The target's outbound queue is full (it does not read fast enough), or the messages held for a
     * reconnecting target are at their bound: the message was dropped.
     */
    PEER_CONGESTED("peer-congested"),
    /** This connection has too many relayed requests waiting for an answer. */
    TOO_MANY_PENDING("too-many-pending"),
    /** The target did not answer a relayed request in time. */
    RELAY_TIMEOUT("relay-timeout"),
    /**
     * The target disconnected before answering a relayed request, or did not come back before its id's
     * reservation ended while a message was held for it: not delivered.
     */
    USER_GONE("user-gone"),
    /** A reply whose {@code callbackId} matches no request relayed to this connection. */
    UNKNOWN_CALLBACK("unknown-callback"),
    /** {@code leave} or {@code members} of a session this user has not joined. */
    NOT_A_MEMBER("not-a-member"),
    /** A user may be in at most {@link Lobbies#MAX_SESSIONS_PER_USER} sessions at once. */
    TOO_MANY_SESSIONS("too-many-sessions"),
    /** A session holds at most {@link Lobbies#MAX_MEMBERS} members. */
    SESSION_FULL("session-full"),
    /**
     * A cluster node could not reach the Redis server its cluster shares, so the request (a registration,
     * presence, or a message to a user on another node) was not carried out. Retry later, or another node.
     */
    CLUSTER_UNAVAILABLE("cluster-unavailable");

    private final String wireName;

    SignalingErrorCode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The code with this wire name, or {@code null}. */
    public static SignalingErrorCode fromWireName(String name) {
        for (SignalingErrorCode c : values()) {
            if (c.wireName.equals(name)) {
                return c;
            }
        }
        return null;
    }
}
