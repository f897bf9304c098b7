package dev.purertc.signaling;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay: users by id, and what each incoming message does. Two dialects share one socket (see
 * the package documentation for every shape): PureRTC's own {@code {"type":...}} messages, and the
 * graphscript {@code {"route":...}} messages a graphscript 0.3.12 page sends through its
 * {@code WSSfrontend} and {@code Router}. Every relayed message is stamped with the sender's
 * registered user id ({@code "from"}); a message naming another sender is refused.
 *
 * <p>Who may hold an id is the {@link UserIdRegistry}'s business (with the token's {@link TokenGrant}
 * checked here first); lookups of ids nobody holds are rate-limited per connection
 * ({@link UnknownUserRateLimiter}); a relay that fills its target past the high-water mark pauses the
 * sender ({@link InboundFlowControl#waitFor}).
 *
 * <p>In a cluster ({@link SignalingServerOptions#cluster()}), an id that is not held here is looked up
 * and relayed through {@link ClusterRouting}; every rule above holds across nodes (the target node
 * answers its part: written, congested, gone). Without a cluster nothing of it is created.
 *
 * <p>Threading: {@link #onText} runs on the event loop of the connection that sent the text; it
 * writes to other connections through {@link SignalingConnection#enqueue}, which is thread-safe. A user
 * id is bound to at most one connection.
 */
final class UserRouter {

    private static final Logger LOG = LoggerFactory.getLogger(UserRouter.class);

    /** PureRTC message types relayed verbatim (plus {@code from}) to the user named by {@code to}. */
    static final Set<String> RELAYED_TYPES =
            Set.of("call", "answer", "description", "candidate", "hangup", "reject", "message");

    private static final int MAX_USER_ID_LENGTH = 128;
    /** How deep a relayed graphscript payload is searched for {@code caller} / {@code remoteId}. */
    private static final int STAMP_CHECK_DEPTH = 4;

    private final UserIdRegistry registry;
    /** Relayed messages waiting for a reserved id's client to come back (single node only). */
    private final HeldMessages held = new HeldMessages();
    private final int maxPendingRequests;
    private final long relayTimeoutMillis;
    private final int maxUsersPerConnection;
    private final AtomicLong relaySequence = new AtomicLong();
    private volatile SignalingMetrics metrics;
    private final Lobbies lobbies = new Lobbies(this);
    /** The cross-node part, in a cluster; null on a single node. */
    private volatile ClusterRouting cluster;

    /** Where a relayed message goes: a connection of this node, or a user's node elsewhere in the cluster. */
    private record Target(SignalingConnection local, String user, ClusterBus.Owner remote) {
        String connectionId() {
            return local != null ? local.id : remote.connection();
        }
    }

    UserRouter(SignalingServerOptions options) {
        // In a cluster the ids' reservations live in the shared store, which every node consults.
        this.registry = new UserIdRegistry(options.cluster() != null ? 0 : options.userIdReservation().toNanos());
        this.maxPendingRequests = options.maxPendingRequests();
        this.relayTimeoutMillis = options.relayTimeout().toMillis();
        this.maxUsersPerConnection = options.maxUsersPerConnection();
    }

    UserIdRegistry registry() {
        return registry;
    }

    Lobbies lobbies() {
        return lobbies;
    }

    /** Set once by a cluster node's server before it accepts anything. */
    void cluster(ClusterRouting c) {
        this.cluster = c;
    }

    ClusterRouting cluster() {
        return cluster;
    }

    /** Set once by the server before it accepts anything. */
    void metrics(SignalingMetrics m) {
        this.metrics = m;
    }

    SignalingMetrics metrics() {
        return metrics;
    }

    /** A message from {@code conn} reached its target's queue. */
    private void countRelayed(SignalingConnection conn) {
        SignalingMetrics m = metrics;
        if (m != null) {
            m.relayed(System.nanoTime() - conn.frameArrivedNanos);
        }
    }

    Set<String> users() {
        return registry.users();
    }

    SignalingConnection connectionOf(String user) {
        return registry.lookup(user);
    }

    /** A new connection learns its id the way graphscript's WSSbackend tells it: {@code setId}. */
    void onOpen(SignalingConnection conn) {
        ObjectNode m = SignalingJson.object();
        m.put("route", "setId");
        m.put("args", conn.id);
        conn.reply(SignalingJson.write(m));
    }

    void onClose(SignalingConnection conn) {
        String user = conn.user();
        lobbies.onClose(conn, user);
        registry.release(conn);
        ClusterRouting c = cluster;
        if (c != null) {
            c.released(conn.users());
        }
        for (Iterator<Map.Entry<String, SignalingConnection.PendingRelay>> it =
                conn.pendingToThis.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, SignalingConnection.PendingRelay> e = it.next();
            if (conn.pendingToThis.remove(e.getKey(), e.getValue())) {
                SignalingConnection.PendingRelay p = e.getValue();
                if (p.remote() != null) {
                    c.answerError(p, SignalingErrorCode.USER_GONE, "user " + user + " disconnected before answering");
                    continue;
                }
                p.timeout().cancel(false);
                p.origin().pendingFromThis.decrementAndGet();
                sendError(p.origin(), SignalingErrorCode.USER_GONE,
                        "user " + user + " disconnected before answering", null, p.originCallbackId());
            }
        }
    }

    void onBinary(SignalingConnection conn) {
        sendError(conn, SignalingErrorCode.BINARY_NOT_SUPPORTED, "binary frames are not part of the protocol",
                null, null);
    }

    void onText(SignalingConnection conn, String text) {
        JsonNode node;
        try {
            node = SignalingJson.parse(text);
        } catch (JsonProcessingException e) {
            sendError(conn, SignalingErrorCode.MALFORMED_JSON, "not JSON: " + e.getOriginalMessage(), null, null);
            return;
        }
        if (!(node instanceof ObjectNode msg)) {
            sendError(conn, SignalingErrorCode.INVALID_MESSAGE, "a message must be a JSON object", null, null);
            return;
        }
        JsonNode type = msg.get("type");
        JsonNode route = msg.get("route");
        if (type != null) {
            handleTyped(conn, msg, type);
        } else if (route != null) {
            handleRoute(conn, msg, route);
        } else if (msg.has("callbackId")) {
            handleReply(conn, msg);
        } else {
            sendError(conn, SignalingErrorCode.UNKNOWN_TYPE, "a message needs \"type\" or \"route\"", null, null);
        }
    }

    // ---- PureRTC dialect -------------------------------------------------------------------

    private void handleTyped(SignalingConnection conn, ObjectNode msg, JsonNode typeNode) {
        JsonNode id = msg.get("id");
        if (!typeNode.isTextual()) {
            sendError(conn, SignalingErrorCode.INVALID_MESSAGE, "\"type\" must be a string", id, null);
            return;
        }
        String type = typeNode.asText();
        if (type.equals("register")) {
            JsonNode user = msg.get("user");
            if (user == null || !user.isTextual()) {
                sendError(conn, SignalingErrorCode.INVALID_MESSAGE, "register needs a string \"user\"", id, null);
                return;
            }
            JsonNode secret = msg.get("secret");
            if (secret != null && !secret.isTextual()) {
                sendError(conn, SignalingErrorCode.INVALID_MESSAGE, "\"secret\" must be a string", id, null);
                return;
            }
            String issued = register(conn, user.asText(), secret == null ? null : secret.asText(), id, null);
            if (issued != null) {
                ObjectNode ok = SignalingJson.object();
                ok.put("type", "registered");
                ok.put("user", user.asText());
                ok.put("connection", conn.id);
                ok.put("secret", issued);
                if (id != null) {
                    ok.set("id", id);
                }
                conn.reply(SignalingJson.write(ok));
                deliverHeld(conn, held.take(user.asText())); // a resumed id: what waited for it, after the reply
            }
        } else if (RELAYED_TYPES.contains(type)) {
            relayTyped(conn, msg, type, id);
        } else if (lobbies.handle(conn, type, msg, id)) {
            return;
        } else {
            sendError(conn, SignalingErrorCode.UNKNOWN_TYPE, "unknown type \"" + type + "\"", id, null);
        }
    }

    private void relayTyped(SignalingConnection conn, ObjectNode msg, String type, JsonNode id) {
        String sender = conn.user();
        if (sender == null) {
            sendError(conn, SignalingErrorCode.NOT_REGISTERED, "register before sending " + type, id, null);
            return;
        }
        JsonNode to = msg.get("to");
        if (to == null || !to.isTextual()) {
            sendError(conn, SignalingErrorCode.INVALID_MESSAGE, type + " needs a string \"to\"", id, null);
            return;
        }
        JsonNode from = msg.get("from");
        if (from != null && !(from.isTextual() && conn.holds(from.asText()))) {
            sendError(conn, SignalingErrorCode.IMPERSONATION,
                    "\"from\" must be your own user id " + sender, id, null);
            return;
        }
        if (from != null) {
            sender = from.asText(); // one of this connection's ids (maxUsersPerConnection > 1)
        }
        String toUser = to.asText();
        if (cluster == null && registry.lookup(toUser) == null && registry.awaitsReturn(toUser)) {
            holdFor(conn, toUser, SignalingJson.write(relayed(type, sender, msg)), id);
            return;
        }
        Target target = resolveTarget(conn, toUser, id, null);
        if (target == null) {
            return;
        }
        ObjectNode out = relayed(type, sender, msg);
        if (target.remote() != null) {
            cluster.deliver(conn, target.user(), target.remote(), out, id, null);
            return;
        }
        if (!target.local().enqueue(SignalingJson.write(out))) {
            sendError(conn, SignalingErrorCode.PEER_CONGESTED,
                    "user " + to.asText() + " is not reading; message dropped", id, null);
            return;
        }
        countRelayed(conn);
        pauseIfCongested(conn, target.local());
        if (id != null) {
            ack(conn, id);
        }
    }

    /** The message as the target receives it: the sender's fields, stamped with its id as {@code from}. */
    private static ObjectNode relayed(String type, String sender, ObjectNode msg) {
        ObjectNode out = SignalingJson.object();
        out.put("type", type);
        out.put("from", sender);
        for (Map.Entry<String, JsonNode> f : msg.properties()) {
            String k = f.getKey();
            if (!k.equals("type") && !k.equals("from") && !k.equals("id")) {
                out.set(k, f.getValue());
            }
        }
        return out;
    }

    private static void ack(SignalingConnection conn, JsonNode id) {
        ObjectNode ack = SignalingJson.object();
        ack.put("type", "ack");
        ack.set("id", id);
        conn.reply(SignalingJson.write(ack));
    }

    /**
     * {@code user} is reserved for its client, whose connection was cut: the message waits in
     * {@link HeldMessages} and its ack waits with it. Refused with {@code peer-congested} when the user's
     * share is full.
     */
    private void holdFor(SignalingConnection conn, String user, String json, JsonNode id) {
        if (!held.hold(user, conn, json, id)) {
            sendError(conn, SignalingErrorCode.PEER_CONGESTED, "user " + user
                    + " is reconnecting and the messages held for it are at their bound; message dropped", id, null);
            return;
        }
        SignalingConnection now = registry.lookup(user); // the client may have claimed the id back meanwhile
        if (now != null) {
            deliverHeld(now, held.take(user));
        }
    }

    /** Writes held messages to the user's new connection, oldest first, and sends each sender its ack. */
    private void deliverHeld(SignalingConnection target, List<HeldMessages.Held> messages) {
        for (HeldMessages.Held h : messages) {
            if (target.enqueue(h.json())) {
                if (h.id() != null) {
                    ack(h.sender(), h.id());
                }
            } else {
                sendError(h.sender(), SignalingErrorCode.PEER_CONGESTED,
                        "the resumed user is not reading; held message dropped", h.id(), null);
            }
        }
    }

    /**
     * Periodic: drops expired reservations; what was held for a user whose client came back is delivered,
     * and what was held for one whose reservation ended is refused to its senders with {@code user-gone}.
     */
    void purgeExpired() {
        registry.purgeExpired();
        Map<String, List<HeldMessages.Held>> settled =
                held.takeSettled(user -> registry.lookup(user) != null || !registry.awaitsReturn(user));
        for (Map.Entry<String, List<HeldMessages.Held>> e : settled.entrySet()) {
            SignalingConnection target = registry.lookup(e.getKey());
            if (target != null) {
                deliverHeld(target, e.getValue());
                continue;
            }
            for (HeldMessages.Held h : e.getValue()) {
                sendError(h.sender(), SignalingErrorCode.USER_GONE, "user " + e.getKey()
                        + " did not come back before its reservation ended; message not delivered", h.id(), null);
            }
        }
    }

    /** Messages held for reconnecting users now (tests). */
    int heldMessages() {
        return held.size();
    }

    /**
     * The connection registered as {@code to} here, or in a cluster the node holding it elsewhere;
     * otherwise sends the error ({@code unknown-user}, {@code rate-limited}, {@code cluster-unavailable})
     * and returns null.
     */
    private Target resolveTarget(SignalingConnection conn, String to, JsonNode id, JsonNode callbackId) {
        ClusterRouting c = cluster;
        if (c == null || registry.lookup(to) != null) {
            SignalingConnection local = lookupTarget(conn, to, id, callbackId);
            return local == null ? null : new Target(local, to, null);
        }
        if (conn.unknownUsers.exhausted()) {
            sendRateLimited(conn, id, callbackId);
            return null;
        }
        ClusterBus.Owner owner;
        try {
            owner = c.ownerElsewhere(to);
        } catch (ClusterUnavailableException e) {
            sendError(conn, SignalingErrorCode.CLUSTER_UNAVAILABLE, "cannot look up " + to + ": " + e.getMessage(), id,
                    callbackId);
            return null;
        }
        if (owner == null) {
            conn.unknownUsers.miss();
            sendError(conn, SignalingErrorCode.UNKNOWN_USER, "no user " + to, id, callbackId);
            return null;
        }
        return new Target(null, to, owner);
    }

    /**
     * The connection registered as {@code to}; otherwise sends the error ({@code unknown-user}, or
     * {@code rate-limited} while this connection's unknown-user budget is spent) and returns null. An id
     * that is reserved for its last holder is absent like any other: it is answered the same way.
     */
    private SignalingConnection lookupTarget(SignalingConnection conn, String to, JsonNode id, JsonNode callbackId) {
        if (conn.unknownUsers.exhausted()) {
            sendRateLimited(conn, id, callbackId);
            return null;
        }
        SignalingConnection target = registry.lookup(to);
        if (target == null) {
            conn.unknownUsers.miss();
            sendError(conn, SignalingErrorCode.UNKNOWN_USER, "no user " + to, id, callbackId);
        }
        return target;
    }

    private void sendRateLimited(SignalingConnection conn, JsonNode id, JsonNode callbackId) {
        sendError(conn, SignalingErrorCode.RATE_LIMITED, "too many messages to unknown users; retry in "
                + conn.unknownUsers.millisUntilNext() + " ms", id, callbackId);
    }

    /** Back-pressure: a target filled to its high-water mark pauses the sender's reads until it drains. */
    private static void pauseIfCongested(SignalingConnection conn, SignalingConnection target) {
        InboundFlowControl flow = conn.flow();
        if (flow != null && target.aboveHighWater()) {
            flow.waitFor(target);
        }
    }

    /**
     * Binds {@code user} to {@code conn}; on failure sends the error and returns null.
     *
     * @param secret what the client presented to re-claim a reserved id, or null
     * @return the secret that lets this client re-claim the id after a disconnection
     */
    private String register(SignalingConnection conn, String user, String secret, JsonNode id, JsonNode callbackId) {
        if (user.isEmpty() || user.length() > MAX_USER_ID_LENGTH || !printable(user)) {
            sendError(conn, SignalingErrorCode.INVALID_USER_ID,
                    "a user id is 1-" + MAX_USER_ID_LENGTH + " printable characters", id, callbackId);
            return null;
        }
        if (conn.holds(user)) {
            return registry.claim(conn, user, secret).secret(); // registering again is harmless
        }
        if (conn.users().size() >= maxUsersPerConnection) {
            sendError(conn, SignalingErrorCode.ALREADY_REGISTERED, "this connection is already user "
                    + String.join(", ", conn.users()) + " (at most " + maxUsersPerConnection + " per connection)",
                    id, callbackId);
            return null;
        }
        if (conn.grant != null && !conn.grant.allows(user)) {
            sendError(conn, SignalingErrorCode.USER_NOT_GRANTED,
                    "this connection's token does not grant user id " + user, id, callbackId);
            return null;
        }
        if (conn.unknownUsers.exhausted()) {
            sendRateLimited(conn, id, callbackId);
            return null;
        }
        ClusterRouting c = cluster;
        UserIdRegistry.Claim claim = c != null ? c.claim(conn, user, secret) : registry.claim(conn, user, secret);
        switch (claim.outcome()) {
            case TAKEN -> {
                conn.unknownUsers.miss();
                sendError(conn, SignalingErrorCode.USER_TAKEN, "user " + user + " is registered elsewhere", id,
                        callbackId);
                return null;
            }
            case RESERVED -> {
                conn.unknownUsers.miss();
                sendError(conn, SignalingErrorCode.USER_RESERVED, "user " + user
                        + " disconnected recently and is reserved for that client (its secret or token)", id, callbackId);
                return null;
            }
            case UNAVAILABLE -> {
                sendError(conn, SignalingErrorCode.CLUSTER_UNAVAILABLE, "the cluster's store is unreachable; user "
                        + user + " was not registered", id, callbackId);
                return null;
            }
            default -> {
                conn.addUser(user);
                if (!conn.channel.isActive()) {
                    registry.release(conn); // closed while registering: onClose may already have run
                    if (c != null) {
                        c.released(List.of(user));
                    }
                }
                return claim.secret();
            }
        }
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    // ---- graphscript dialect -----------------------------------------------------------------

    private void handleRoute(SignalingConnection conn, ObjectNode msg, JsonNode routeNode) {
        if (!routeNode.isTextual()) {
            sendError(conn, SignalingErrorCode.INVALID_MESSAGE, "\"route\" must be a string", null, null);
            return;
        }
        String route = routeNode.asText();
        JsonNode args = msg.get("args");
        switch (route) {
            case "runRequest" -> handleRunRequest(conn, args);
            case "addUser" -> addUser(conn, args, null);
            case "runConnection" -> runConnection(conn, args, null);
            default -> sendError(conn, SignalingErrorCode.UNKNOWN_ROUTE,
                    "the relay serves no route \"" + route + "\"", null, null);
        }
    }

    /** {@code {"route":"runRequest","args":[message, socketId, callbackId]}} (graphscript WSS run/request). */
    private void handleRunRequest(SignalingConnection conn, JsonNode args) {
        if (!(args instanceof ArrayNode a) || a.size() < 3 || !(a.get(0) instanceof ObjectNode inner)) {
            sendError(conn, SignalingErrorCode.INVALID_MESSAGE,
                    "runRequest args must be [message, socketId, callbackId]", null, null);
            return;
        }
        JsonNode callbackId = a.get(2);
        JsonNode socketId = a.get(1);
        if (socketId.isTextual() && !socketId.asText().equals(conn.id)) {
            sendError(conn, SignalingErrorCode.IMPERSONATION,
                    "socket id " + socketId.asText() + " is not this connection (" + conn.id + ")", null, callbackId);
            return;
        }
        JsonNode innerRoute = inner.get("route");
        String route = innerRoute != null && innerRoute.isTextual() ? innerRoute.asText() : null;
        if ("runConnection".equals(route)) {
            runConnection(conn, inner.get("args"), callbackId);
        } else if ("addUser".equals(route)) {
            addUser(conn, inner.get("args"), callbackId);
        } else {
            sendError(conn, SignalingErrorCode.UNKNOWN_ROUTE,
                    "the relay serves no route " + (route == null ? "(none)" : "\"" + route + "\""), null, callbackId);
        }
    }

    /**
     * graphscript's {@code Router.addUser} as its page sends it:
     * {@code {"route":"addUser","args":[{"_id":user}, {"0": socketId}, null, true]}}.
     */
    private void addUser(SignalingConnection conn, JsonNode args, JsonNode callbackId) {
        JsonNode info = args instanceof ArrayNode a && a.size() > 0 ? a.get(0) : args;
        JsonNode user = info == null ? null : info.get("_id");
        if (user == null || !user.isTextual()) {
            sendError(conn, SignalingErrorCode.INVALID_MESSAGE, "addUser needs [{\"_id\": user}, ...]", null,
                    callbackId);
            return;
        }
        if (args instanceof ArrayNode a && a.size() > 1 && a.get(1) instanceof ObjectNode connections) {
            for (JsonNode c : connections) {
                if (!c.isTextual() || !c.asText().equals(conn.id)) {
                    sendError(conn, SignalingErrorCode.IMPERSONATION,
                            "addUser may only bind this connection (" + conn.id + ")", null, callbackId);
                    return;
                }
            }
        }
        JsonNode secret = info.get("secret");
        String issued = register(conn, user.asText(), secret != null && secret.isTextual() ? secret.asText() : null,
                null, callbackId);
        if (issued != null && callbackId != null) {
            ObjectNode res = SignalingJson.object();
            res.putObject("args").put("_id", user.asText());
            res.set("callbackId", callbackId);
            conn.reply(SignalingJson.write(res));
        }
        if (issued != null) {
            deliverHeld(conn, held.take(user.asText()));
        }
    }

    /**
     * graphscript's {@code Router.runConnection(userId, method, args, connectionId?)}: the sender asks
     * the server to call {@code method(...args)} on another user's connection.
     */
    private void runConnection(SignalingConnection conn, JsonNode args, JsonNode callbackId) {
        String sender = conn.user();
        if (sender == null) {
            sendError(conn, SignalingErrorCode.NOT_REGISTERED, "addUser before runConnection", null, callbackId);
            return;
        }
        if (!(args instanceof ArrayNode a) || a.size() < 2 || !a.get(0).isTextual() || !a.get(1).isTextual()) {
            sendError(conn, SignalingErrorCode.INVALID_MESSAGE,
                    "runConnection args must be [userId, method, args, connectionId?]", null, callbackId);
            return;
        }
        String targetUser = a.get(0).asText();
        String method = a.get(1).asText();
        JsonNode margs = a.size() > 2 ? a.get(2) : null;
        Target target = resolveTarget(conn, targetUser, null, callbackId);
        if (target == null) {
            return;
        }
        if (a.size() > 3 && a.get(3).isTextual() && !a.get(3).asText().equals(target.connectionId())) {
            sendError(conn, SignalingErrorCode.UNKNOWN_USER,
                    "user " + targetUser + " has no connection " + a.get(3).asText(), null, callbackId);
            return;
        }
        String stampProblem = stampProblem(margs, conn, STAMP_CHECK_DEPTH);
        if (stampProblem != null) {
            sendError(conn, SignalingErrorCode.IMPERSONATION, stampProblem, null, callbackId);
            return;
        }
        ArrayNode list = margs instanceof ArrayNode l ? l : null;
        switch (method) {
            case "run", "runAll" -> {
                if (list == null || list.isEmpty() || !list.get(0).isTextual()) {
                    sendError(conn, SignalingErrorCode.INVALID_MESSAGE, method + " args must be [route, args?, method?]",
                            null, callbackId);
                    return;
                }
                ObjectNode inner = SignalingJson.object();
                inner.set("route", list.get(0));
                if (list.size() > 1) {
                    inner.set("args", list.get(1));
                }
                if (list.size() > 2 && list.get(2).isTextual()) {
                    inner.set("method", list.get(2));
                }
                relayRequest(conn, target, inner, null, callbackId, method.endsWith("All"));
            }
            case "request", "requestAll" -> {
                if (list == null || list.isEmpty()) {
                    sendError(conn, SignalingErrorCode.INVALID_MESSAGE, method + " args must be [message, method?]",
                            null, callbackId);
                    return;
                }
                JsonNode m = list.size() > 1 && list.get(1).isTextual() ? list.get(1) : null;
                relayRequest(conn, target, list.get(0), m, callbackId, method.endsWith("All"));
            }
            case "post", "postAll" -> {
                if (list == null || list.isEmpty() || !list.get(0).isTextual()) {
                    sendError(conn, SignalingErrorCode.INVALID_MESSAGE, method + " args must be [route, args?, method?]",
                            null, callbackId);
                    return;
                }
                ObjectNode out = SignalingJson.object();
                out.set("route", list.get(0));
                if (list.size() > 1) {
                    out.set("args", list.get(1));
                }
                if (list.size() > 2 && list.get(2).isTextual()) {
                    out.set("method", list.get(2));
                }
                out.put("from", sender);
                relayPost(conn, target, out, callbackId);
            }
            case "send", "sendAll" -> {
                JsonNode m = list != null && !list.isEmpty() ? list.get(0) : margs;
                if (!(m instanceof ObjectNode obj)) {
                    sendError(conn, SignalingErrorCode.INVALID_MESSAGE,
                            "send relays JSON objects only (the server stamps \"from\")", null, callbackId);
                    return;
                }
                JsonNode from = obj.get("from");
                if (from != null && !(from.isTextual() && conn.holds(from.asText()))) {
                    sendError(conn, SignalingErrorCode.IMPERSONATION, "\"from\" must be your own user id " + sender,
                            null, callbackId);
                    return;
                }
                ObjectNode out = obj.deepCopy();
                out.put("from", from != null ? from.asText() : sender);
                relayPost(conn, target, out, callbackId);
            }
            default -> sendError(conn, SignalingErrorCode.UNKNOWN_ROUTE,
                    "runConnection method \"" + method + "\" is not relayed (run, post, request, send and their *All)",
                    null, callbackId);
        }
    }

    /** Why {@code payload} names a sender other than {@code conn}, or null. */
    private static String stampProblem(JsonNode payload, SignalingConnection conn, int depth) {
        if (payload == null || depth == 0) {
            return null;
        }
        if (payload instanceof ObjectNode o) {
            JsonNode caller = o.get("caller");
            if (caller != null && !(caller.isTextual() && conn.holds(caller.asText()))) {
                return "\"caller\" must be your own user id " + conn.user();
            }
            JsonNode remoteId = o.get("remoteId");
            if (remoteId != null && !(remoteId.isTextual() && remoteId.asText().equals(conn.id))) {
                return "\"remoteId\" must be your own connection id " + conn.id;
            }
        }
        if (payload.isContainerNode()) {
            for (JsonNode child : payload) {
                String p = stampProblem(child, conn, depth - 1);
                if (p != null) {
                    return p;
                }
            }
        }
        return null;
    }

    private void relayPost(SignalingConnection conn, Target t, ObjectNode out, JsonNode callbackId) {
        if (t.remote() != null) {
            cluster.deliver(conn, t.user(), t.remote(), out, null, callbackId);
            return;
        }
        SignalingConnection target = t.local();
        if (!target.enqueue(SignalingJson.write(out))) {
            sendError(conn, SignalingErrorCode.PEER_CONGESTED, "user " + target.user() + " is not reading; message dropped",
                    null, callbackId);
            return;
        }
        countRelayed(conn);
        pauseIfCongested(conn, target);
        if (callbackId != null) {
            // graphscript's runConnection resolves undefined for post/send: {"callbackId":...} without args.
            ObjectNode res = SignalingJson.object();
            res.set("callbackId", callbackId);
            conn.reply(SignalingJson.write(res));
        }
    }

    private void relayRequest(SignalingConnection conn, Target t, JsonNode message,
                              JsonNode method, JsonNode callbackId, boolean wrapInArray) {
        if (t.remote() != null) {
            cluster.request(conn, t.user(), t.remote(), null, message, method, callbackId, wrapInArray);
            return;
        }
        SignalingConnection target = t.local();
        if (conn.pendingFromThis.incrementAndGet() > maxPendingRequests) {
            conn.pendingFromThis.decrementAndGet();
            sendError(conn, SignalingErrorCode.TOO_MANY_PENDING,
                    maxPendingRequests + " relayed requests already wait for answers", null, callbackId);
            return;
        }
        String relayId = "relay" + relaySequence.incrementAndGet();
        ObjectNode out = SignalingJson.object();
        out.put("route", "runRequest");
        ArrayNode outArgs = out.putArray("args");
        outArgs.add(message);
        outArgs.add(target.id);
        outArgs.add(relayId);
        if (method != null) {
            out.set("method", method);
        }
        out.put("from", conn.user());
        Object[] holder = new Object[1];
        io.netty.util.concurrent.ScheduledFuture<?> timeout = conn.channel.eventLoop().schedule(() -> {
            SignalingConnection.PendingRelay p = (SignalingConnection.PendingRelay) holder[0];
            if (p != null && target.pendingToThis.remove(relayId, p)) {
                conn.pendingFromThis.decrementAndGet();
                sendError(conn, SignalingErrorCode.RELAY_TIMEOUT,
                        "user " + target.user() + " did not answer within " + relayTimeoutMillis + " ms", null, callbackId);
            }
        }, relayTimeoutMillis, TimeUnit.MILLISECONDS);
        SignalingConnection.PendingRelay pending =
                new SignalingConnection.PendingRelay(conn, callbackId, wrapInArray, timeout, null);
        holder[0] = pending;
        target.pendingToThis.put(relayId, pending);
        if (!target.enqueue(SignalingJson.write(out))) {
            if (target.pendingToThis.remove(relayId, pending)) {
                timeout.cancel(false);
                conn.pendingFromThis.decrementAndGet();
            }
            sendError(conn, SignalingErrorCode.PEER_CONGESTED, "user " + target.user() + " is not reading; request dropped",
                    null, callbackId);
            return;
        } else if (!target.channel.isActive() && target.pendingToThis.remove(relayId, pending)) {
            // The target closed between lookup and write; its onClose may have missed this entry.
            timeout.cancel(false);
            conn.pendingFromThis.decrementAndGet();
            sendError(conn, SignalingErrorCode.USER_GONE, "user " + target.user() + " disconnected", null, callbackId);
            return;
        }
        countRelayed(conn);
        pauseIfCongested(conn, target);
    }

    /** {@code {"args": result, "callbackId": relayId}}: the answer to a request this server relayed. */
    private void handleReply(SignalingConnection conn, ObjectNode msg) {
        JsonNode cb = msg.get("callbackId");
        SignalingConnection.PendingRelay p = cb.isTextual() ? conn.pendingToThis.remove(cb.asText()) : null;
        if (p == null) {
            sendError(conn, SignalingErrorCode.UNKNOWN_CALLBACK,
                    "no relayed request " + cb + " waits for an answer from this connection", null, null);
            return;
        }
        if (p.remote() != null) {
            cluster.answer(p, msg.get("args"), conn.user()); // the request came from another node
            return;
        }
        p.timeout().cancel(false);
        p.origin().pendingFromThis.decrementAndGet();
        if (p.originCallbackId() == null) {
            return; // relayed from a post-style runConnection: nobody waits
        }
        ObjectNode out = SignalingJson.object();
        JsonNode result = msg.get("args");
        if (p.wrapInArray()) {
            out.putArray("args").add(result == null ? SignalingJson.MAPPER.nullNode() : result);
        } else if (result != null) {
            out.set("args", result);
        }
        out.set("callbackId", p.originCallbackId());
        out.put("from", conn.user());
        p.origin().reply(SignalingJson.write(out));
    }

    // ---- errors ------------------------------------------------------------------------------

    /**
     * {@code {"type":"error","code":...,"message":...}}, echoing the PureRTC {@code id} and, for a
     * graphscript request, {@code callbackId} plus {@code args:{"error","message"}} so a graphscript
     * page's pending {@code run} resolves with the error instead of hanging.
     */
    void sendError(SignalingConnection conn, SignalingErrorCode code, String message, JsonNode id,
                          JsonNode callbackId) {
        SignalingMetrics m = metrics;
        if (m != null) {
            m.refused(code);
        }
        ObjectNode err = SignalingJson.object();
        err.put("type", "error");
        err.put("code", code.wireName());
        err.put("message", message);
        if (id != null) {
            err.set("id", id);
        }
        if (callbackId != null) {
            JsonNode cb = callbackId;
            err.set("callbackId", cb);
            ObjectNode args = err.putObject("args");
            args.put("error", code.wireName());
            args.put("message", message);
        }
        LOG.debug("{} -> {}", conn, err);
        conn.reply(SignalingJson.write(err));
    }
}
