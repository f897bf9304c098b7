package dev.purertc.signaling;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cross-node part of the relay: what {@link UserRouter} does for a user that is not on this node.
 * It claims ids cluster-wide, relays messages and graphscript requests to the node that holds their
 * target, delivers what other nodes relay to users here, and tracks requests waiting across nodes.
 *
 * <p>Messages between nodes are envelopes: a small JSON header ({@code "k"} says which) and, for those that
 * carry a user's message, a tab and that message's JSON text as it was written (a body the receiving
 * node passes on without parsing it):
 * <pre>
 * d  deliver d TAB to TAB origin node TAB origin connection TAB hops TAB id TAB callbackId TAB the message as the
 *            target receives it (tab-separated, no JSON to parse on the hot path)
 * q  request {"to","me"?,"rid","cid"?,"on","oc","from","h"} TAB the request: a graphscript run/request to answer
 * a  ack     a TAB origin connection TAB the reply for the origin's client: written to the target's connection
 * e  error   {"oc","code","msg","id"|"cb","rid"?}: not written (unknown-user, peer-congested, user-gone...)
 * r  result  {"rid","from"} [TAB the answer's args]: the answer to request rid
 * x  evict   {"user"}: the user resumed on another node; its old connection here is closed
 * o  owner   {"user"} (to all nodes): the user's node changed, drop it from the lookup cache
 * p  presence {"session","user","type"} (to all nodes): member-joined / member-left
 * </pre>
 * Envelopes to the same node are batched: those produced while one event loop iteration handles its
 * connections' messages (or while one batch from another node is handled) go out as one publish, one
 * envelope a line (at most {@value #MAX_BATCH} envelopes or {@value #MAX_BATCH_CHARS} characters each).
 * Acknowledgements keep the single node's promise: {@code ack} means the message was written to the
 * target's connection; every failure comes back as the same error a single node gives, so nothing is
 * lost silently. Who holds an id is cached per node (bounded, {@value #MAX_CACHED_OWNERS} entries) and
 * dropped on an {@code o} broadcast; a message that still reaches a node its target has left is sent on
 * to the target's current node (at most {@value #MAX_HOPS} hops) or refused {@code unknown-user}; a
 * message to a node that is gone (nobody listens on its channel) is routed again after a fresh lookup.
 * Back-pressure does not cross nodes: a target on another node that does not read is reported
 * {@code peer-congested}, but the sender is not paused.
 *
 * <p>Threading: relays start on the sender's event loop; envelopes from other nodes are handled on the
 * bus's thread and only write to connections (thread-safe) or publish (asynchronous).
 */
final class ClusterRouting implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterRouting.class);
    static final int MAX_CACHED_OWNERS = 100_000;
    static final int MAX_HOPS = 2;
    /** Requests from other nodes waiting for an answer from users of this node, at most. */
    static final int MAX_REMOTE_PENDING = 65_536;
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int MAX_BATCH = 256;
    static final int MAX_BATCH_CHARS = 256 * 1024;

    /** One envelope waiting in an {@link Outbox}. */
    private record Out(String text, CompletableFuture<Boolean> sent) {
    }

    /**
     * Envelopes produced on one thread, per target node, until that thread's batch ends: an event loop
     * iteration (flushed by a task on the loop) or the handling of one batch from another node.
     */
    private static final class Outbox {
        final Map<String, List<Out>> byNode = new HashMap<>();
        final Map<String, Integer> chars = new HashMap<>();
        boolean collecting;
        boolean flushScheduled;
    }

    private final FastThreadLocal<Outbox> outbox = new FastThreadLocal<>() {
        @Override
        protected Outbox initialValue() {
            return new Outbox();
        }
    };

    /** A request relayed here from another node: where its answer goes. */
    record RemoteOrigin(String node, String relayId) {
    }

    /** A request relayed from a connection of this node to a user on another node. */
    private record Pending(SignalingConnection origin, JsonNode callbackId, boolean wrapInArray,
                           ScheduledFuture<?> timeout) {
    }

    private final ClusterBus bus;
    private final String node;
    private final UserRouter router;
    private final UserIdRegistry registry;
    private final Function<String, SignalingConnection> connections;
    private final long relayTimeoutMillis;
    private final int maxPendingRequests;
    private final long reservationMillis;
    private final Map<String, ClusterBus.Owner> owners = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger remotePending = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();
    /** Counts forgettings of cached owners: a lookup that raced one is not cached. */
    private final AtomicLong ownerChanges = new AtomicLong();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "purertc-cluster-refresh");
        t.setDaemon(true);
        return t;
    });
    private volatile Lobbies lobbies;

    ClusterRouting(ClusterBus bus, UserRouter router, UserIdRegistry registry,
                   Function<String, SignalingConnection> connections, SignalingServerOptions options) {
        this.bus = bus;
        this.node = bus.nodeId();
        this.router = router;
        this.registry = registry;
        this.connections = connections;
        this.relayTimeoutMillis = options.relayTimeout().toMillis();
        this.maxPendingRequests = options.maxPendingRequests();
        this.reservationMillis = options.userIdReservation().toMillis();
    }

    /** Joins the cluster. @throws ClusterUnavailableException if Redis cannot be reached */
    void start(Lobbies l) {
        this.lobbies = l;
        // after a reconnection, owner-changed broadcasts may have been missed: forget every cached owner
        bus.start(this::onDirect, this::onBroadcast, () -> {
            ownerChanges.incrementAndGet();
            owners.clear();
        }, () -> {
            reassertUsers();
            l.rejoinAll(this);
        });
        long period = RedisClusterBus.USER_KEY_TTL_MILLIS / 3;
        refresher.scheduleWithFixedDelay(() -> {
            try {
                bus.refresh(registry.users());
            } catch (RuntimeException e) {
                LOG.warn("signaling node {}: refreshing its user ids failed: {}", node, e.getMessage());
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    String nodeId() {
        return node;
    }

    ClusterBus bus() {
        return bus;
    }

    String unhealthyReason() {
        return bus.unhealthyReason();
    }

    // ---- user ids ----------------------------------------------------------------------------

    /**
     * Claims {@code user} for {@code conn} in the whole cluster (the local registry first, so a second
     * connection of this node is refused as on a single node), then binds it here.
     */
    UserIdRegistry.Claim claim(SignalingConnection conn, String user, String secret) {
        if (registry.lookup(user) != null) {
            return registry.claim(conn, user, secret); // held here: TAKEN, or CLAIMED again by its holder
        }
        String issued = newSecret();
        ClusterBus.Claim c;
        try {
            c = bus.claim(user, conn.id, secret == null ? null : sha256Hex(secret),
                    conn.tokenFingerprint == null ? null : HexFormat.of().formatHex(sha256(conn.tokenFingerprint)),
                    sha256Hex(issued));
        } catch (ClusterUnavailableException e) {
            LOG.warn("signaling node {}: claim of {} failed: {}", node, user, e.getMessage());
            return new UserIdRegistry.Claim(UserIdRegistry.Outcome.UNAVAILABLE, null);
        }
        switch (c.outcome()) {
            case TAKEN -> {
                return new UserIdRegistry.Claim(UserIdRegistry.Outcome.TAKEN, null);
            }
            case RESERVED -> {
                return new UserIdRegistry.Claim(UserIdRegistry.Outcome.RESERVED, null);
            }
            default -> {
                String kept = c.keptSecret() ? secret : issued;
                if (!registry.bind(conn, user, kept)) {
                    return new UserIdRegistry.Claim(UserIdRegistry.Outcome.TAKEN, null);
                }
                if (c.previousNode() != null && !c.previousNode().equals(node)) {
                    ObjectNode evict = envelope("x");
                    evict.put("user", user);
                    bus.send(c.previousNode(), SignalingJson.write(evict));
                }
                ownerChanged(user);
                return new UserIdRegistry.Claim(UserIdRegistry.Outcome.CLAIMED, kept);
            }
        }
    }

    /**
     * The node's lease had run out, or Redis restarted empty: record every user of this node again. One
     * that another node claimed meanwhile (its client resumed there) has its connection here closed.
     */
    private void reassertUsers() {
        for (String user : registry.users()) {
            SignalingConnection c = registry.lookup(user);
            String secret = registry.secretOf(user);
            if (c == null || secret == null) {
                continue;
            }
            try {
                if (!bus.reassert(user, c.id, sha256Hex(secret), c.tokenFingerprint == null ? null
                        : HexFormat.of().formatHex(sha256(c.tokenFingerprint)))) {
                    c.closeWith(new WebSocketCloseStatus(4001, "user id resumed on another node"), "resumed elsewhere");
                }
            } catch (ClusterUnavailableException e) {
                LOG.warn("signaling node {}: could not record {} again: {}", node, user, e.getMessage());
                return;
            }
        }
    }

    /** {@code conn} closed: its ids stay reserved for their clients in the cluster. */
    void released(List<String> users) {
        for (String user : users) {
            if (registry.lookup(user) == null) {
                bus.release(user, reservationMillis);
                ownerChanged(user);
            }
        }
    }

    private void forgetOwner(String user) {
        ownerChanges.incrementAndGet();
        owners.remove(user);
    }

    private void ownerChanged(String user) {
        forgetOwner(user);
        ObjectNode o = envelope("o");
        o.put("user", user);
        bus.broadcast(SignalingJson.write(o));
    }

    /**
     * The node and connection holding {@code user} elsewhere in the cluster, or null (nobody, or only
     * this node, which the caller already asked). May wait for one Redis round trip (first lookup).
     *
     * @throws ClusterUnavailableException if Redis does not answer
     */
    ClusterBus.Owner ownerElsewhere(String user) {
        ClusterBus.Owner o = owners.get(user);
        if (o == null) {
            long changes = ownerChanges.get();
            o = bus.owner(user);
            if (o == null || o.node().equals(node)) {
                return null;
            }
            if (owners.size() >= MAX_CACHED_OWNERS) {
                owners.clear();
            }
            owners.put(user, o);
            if (ownerChanges.get() != changes) {
                owners.remove(user, o); // an owner change arrived meanwhile: this answer may be stale
            }
        }
        return o;
    }

    // ---- relaying from this node --------------------------------------------------------------

    /** Relays {@code message} (as the target receives it) to {@code user} on {@code owner}'s node. */
    void deliver(SignalingConnection conn, String user, ClusterBus.Owner owner, ObjectNode message, JsonNode id,
                 JsonNode callbackId) {
        ObjectNode env = envelope("d");
        env.put("to", user);
        String body = SignalingJson.write(message);
        origin(env, conn);
        if (id != null) {
            env.set("id", id);
        }
        if (callbackId != null) {
            env.set("cb", callbackId);
        }
        route(env, body, user, owner, 0, conn.channel.eventLoop(),
                (code, text) -> router.sendError(conn, code, text, id, callbackId));
    }

    /**
     * Relays a graphscript request to {@code user} on another node; its answer (or error, or the
     * relay timeout) reaches {@code conn} with {@code callbackId}.
     */
    void request(SignalingConnection conn, String user, ClusterBus.Owner owner, String connectionId,
                 JsonNode message, JsonNode method, JsonNode callbackId, boolean wrapInArray) {
        if (conn.pendingFromThis.incrementAndGet() > maxPendingRequests) {
            conn.pendingFromThis.decrementAndGet();
            router.sendError(conn, SignalingErrorCode.TOO_MANY_PENDING,
                    maxPendingRequests + " relayed requests already wait for answers", null, callbackId);
            return;
        }
        String rid = "relay" + node + "." + sequence.incrementAndGet();
        ScheduledFuture<?> timeout = conn.channel.eventLoop().schedule(() -> {
            if (finish(rid) != null) {
                router.sendError(conn, SignalingErrorCode.RELAY_TIMEOUT,
                        "user " + user + " did not answer within " + relayTimeoutMillis + " ms", null, callbackId);
            }
        }, relayTimeoutMillis, TimeUnit.MILLISECONDS);
        pending.put(rid, new Pending(conn, callbackId, wrapInArray, timeout));
        ObjectNode env = envelope("q");
        env.put("to", user);
        String body = SignalingJson.write(message);
        if (method != null) {
            env.set("me", method);
        }
        env.put("rid", rid);
        if (connectionId != null) {
            env.put("cid", connectionId);
        }
        origin(env, conn);
        env.put("from", conn.user());
        route(env, body, user, owner, 0, conn.channel.eventLoop(), (code, text) -> {
            if (finish(rid) != null) {
                router.sendError(conn, code, text, null, callbackId);
            }
        });
    }

    /**
     * Sends {@code text} to {@code target}: batched with other envelopes of this thread when it is
     * {@code loop}'s thread (flushed by a task after the loop's current work) or inside the handling of
     * a batch from another node; directly otherwise.
     */
    private CompletableFuture<Boolean> post(String target, String text, EventLoop loop) {
        Outbox box = outbox.get();
        boolean onLoop = loop != null && loop.inEventLoop();
        if (!box.collecting && !onLoop) {
            return bus.send(target, text).toCompletableFuture();
        }
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        List<Out> list = box.byNode.computeIfAbsent(target, k -> new ArrayList<>());
        list.add(new Out(text, f));
        int c = box.chars.merge(target, text.length() + 1, Integer::sum);
        if (list.size() >= MAX_BATCH || c >= MAX_BATCH_CHARS) {
            flush(box, target);
        } else if (!box.collecting && !box.flushScheduled) {
            box.flushScheduled = true;
            try {
                loop.execute(() -> {
                    box.flushScheduled = false;
                    flushAll(box);
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                box.flushScheduled = false; // the loop is shutting down: send what waits now
                flushAll(box);
            }
        }
        return f;
    }

    private void flushAll(Outbox box) {
        for (String target : List.copyOf(box.byNode.keySet())) {
            flush(box, target);
        }
    }

    private void flush(Outbox box, String target) {
        List<Out> list = box.byNode.remove(target);
        box.chars.remove(target);
        if (list == null || list.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder();
        for (Out o : list) {
            if (b.length() > 0) {
                b.append('\n'); // JSON text never holds a raw newline: it separates envelopes
            }
            b.append(o.text());
        }
        bus.send(target, b.toString()).whenComplete((listening, e) -> {
            for (Out o : list) {
                if (e != null) {
                    o.sent().completeExceptionally(e);
                } else {
                    o.sent().complete(listening);
                }
            }
        });
    }

    /** Removes a pending request (once): its timeout is cancelled and its origin's count released. */
    private Pending finish(String rid) {
        Pending p = pending.remove(rid);
        if (p != null) {
            p.timeout().cancel(false);
            p.origin().pendingFromThis.decrementAndGet();
        }
        return p;
    }

    private interface Failure {
        void fail(SignalingErrorCode code, String message);
    }

    /**
     * Publishes {@code env} to {@code owner}'s node; if that node is gone, looks the user up again and
     * tries its new node once; reports a failure to {@code failure} (the sender's error).
     */
    private void route(ObjectNode env, String body, String user, ClusterBus.Owner owner, int attempt, EventLoop loop,
                       Failure failure) {
        env.put("h", attempt);
        String text = line(env, body);
        if (attempt == 0) {
            SignalingMetrics m = router.metrics();
            if (m != null) {
                m.clusterSent();
            }
        }
        post(owner.node(), text, loop).whenComplete((listening, e) -> {
            if (e != null) {
                failure.fail(SignalingErrorCode.CLUSTER_UNAVAILABLE, "the cluster could not relay to " + user + ": "
                        + e.getMessage());
            } else if (!listening) {
                forgetOwner(user);
                if (attempt >= MAX_HOPS) {
                    failure.fail(SignalingErrorCode.UNKNOWN_USER, "no user " + user);
                    return;
                }
                bus.ownerAsync(user).whenComplete((now, e2) -> {
                    if (e2 != null) {
                        failure.fail(SignalingErrorCode.CLUSTER_UNAVAILABLE, "the cluster could not look up " + user);
                    } else if (now == null || now.node().equals(owner.node())) {
                        failure.fail(SignalingErrorCode.UNKNOWN_USER, "no user " + user);
                    } else {
                        route(env, body, user, now, attempt + 1, null, failure);
                    }
                });
            }
        });
    }

    private void origin(ObjectNode env, SignalingConnection conn) {
        env.put("on", node);
        env.put("oc", conn.id);
    }

    // ---- envelopes from other nodes -----------------------------------------------------------

    /** A batch of envelopes for this node, one a line: replies to them are batched in turn. */
    private void onDirect(String batch) {
        Outbox box = outbox.get();
        SignalingConnection.ReadBatch writes = SignalingConnection.READ_BATCH.get();
        box.collecting = true;
        writes.begin(); // writes to this node's connections are flushed once, at the end
        try {
            int start = 0;
            while (start < batch.length()) {
                int end = batch.indexOf('\n', start);
                if (end < 0) {
                    end = batch.length();
                }
                onEnvelope(batch.substring(start, end));
                start = end + 1;
            }
        } finally {
            writes.end();
            box.collecting = false;
            flushAll(box);
        }
    }

    private void onEnvelope(String text) {
        if (text.startsWith("d\t")) {
            onDeliver(Delivery.parse(text));
            return;
        }
        if (text.startsWith("a\t")) {
            onAck(text);
            return;
        }
        int tab = text.indexOf('\t');
        String body = tab < 0 ? null : text.substring(tab + 1);
        ObjectNode env;
        try {
            env = (ObjectNode) SignalingJson.parse(tab < 0 ? text : text.substring(0, tab));
        } catch (JsonProcessingException | ClassCastException e) {
            LOG.warn("signaling node {}: unreadable cluster message dropped: {}", node, e.getMessage());
            return;
        }
        switch (env.path("k").asText()) {
            case "q" -> onRequest(env, body);
            case "e" -> onError(env);
            case "r" -> onResult(env, body);
            case "x" -> onEvict(env);
            case "o" -> forgetOwner(env.path("user").asText()); // a node told us our cached owner was wrong
            default -> LOG.warn("signaling node {}: unknown cluster message {}", node, env.path("k"));
        }
    }

    private void onBroadcast(String text) {
        JsonNode env;
        try {
            env = SignalingJson.parse(text);
        } catch (JsonProcessingException e) {
            LOG.warn("signaling node {}: unreadable cluster broadcast dropped: {}", node, e.getMessage());
            return;
        }
        switch (env.path("k").asText()) {
            case "o" -> forgetOwner(env.path("user").asText());
            case "p" -> {
                Lobbies l = lobbies;
                if (l != null) {
                    l.deliverPresence(env.path("session").asText(), env.path("user").asText(), env.path("type").asText());
                }
            }
            default -> LOG.warn("signaling node {}: unknown cluster broadcast {}", node, env.path("k"));
        }
    }

    /**
     * A deliver envelope, the one on every relayed message's path, in a tab-separated form that needs no
     * JSON parsing: {@code d TAB to TAB originNode TAB originConnection TAB hops TAB idJson TAB
     * callbackIdJson TAB body} (absent id or callback id: empty). No field holds a tab: user ids are
     * printable, node and connection ids are names, and compact JSON escapes control characters.
     */
    private record Delivery(String to, String on, String oc, int hops, String id, String cb, String body) {

        static String format(ObjectNode env, String body) {
            return "d\t" + env.path("to").asText() + '\t' + env.path("on").asText() + '\t' + env.path("oc").asText()
                    + '\t' + env.path("h").asInt() + '\t' + raw(env.get("id")) + '\t' + raw(env.get("cb")) + '\t' + body;
        }

        private static String raw(JsonNode n) {
            return n == null || n.isNull() ? "" : SignalingJson.write(n);
        }

        static Delivery parse(String line) {
            String[] f = line.split("\t", 8);
            return new Delivery(f[1], f[2], f[3], Integer.parseInt(f[4]), f[5].isEmpty() ? null : f[5],
                    f[6].isEmpty() ? null : f[6], f[7]);
        }

        /** The same envelope as a JSON header (the rarer paths: errors and forwarding). */
        ObjectNode header() {
            ObjectNode env = envelope("d");
            env.put("to", to);
            env.put("on", on);
            env.put("oc", oc);
            env.put("h", hops);
            if (id != null) {
                env.putRawValue("id", new RawValue(id));
            }
            if (cb != null) {
                env.putRawValue("cb", new RawValue(cb));
            }
            return env;
        }
    }

    private void onDeliver(Delivery d) {
        SignalingConnection target = registry.lookup(d.to());
        if (target == null) {
            forwardOrRefuse(d.header(), d.body(), d.to());
            return;
        }
        if (!target.enqueue(d.body())) {
            replyError(d.header(), SignalingErrorCode.PEER_CONGESTED, "user " + d.to() + " is not reading; message dropped");
            return;
        }
        delivered();
        // ack: "a TAB originConnection TAB the reply the origin writes to its client as it is"
        if (d.id() != null) {
            post(d.on(), "a\t" + d.oc() + "\t{\"type\":\"ack\",\"id\":" + d.id() + "}", null);
        } else if (d.cb() != null) {
            post(d.on(), "a\t" + d.oc() + "\t{\"callbackId\":" + d.cb() + "}", null); // graphscript's post resolves undefined
        }
    }

    private void onRequest(ObjectNode env, String body) {
        String user = env.path("to").asText();
        SignalingConnection target = registry.lookup(user);
        if (target == null) {
            forwardOrRefuse(env, body, user);
            return;
        }
        if (env.hasNonNull("cid") && !env.get("cid").asText().equals(target.id)) {
            replyError(env, SignalingErrorCode.UNKNOWN_USER, "user " + user + " has no connection " + env.get("cid").asText());
            return;
        }
        if (remotePending.incrementAndGet() > MAX_REMOTE_PENDING) {
            remotePending.decrementAndGet();
            replyError(env, SignalingErrorCode.TOO_MANY_PENDING, "node " + node + " holds " + MAX_REMOTE_PENDING
                    + " requests from other nodes already");
            return;
        }
        String rid = env.path("rid").asText();
        ObjectNode out = SignalingJson.object();
        out.put("route", "runRequest");
        ArrayNode args = out.putArray("args");
        args.addRawValue(new RawValue(body));
        args.add(target.id);
        args.add(rid);
        if (env.hasNonNull("me")) {
            out.set("method", env.get("me"));
        }
        out.put("from", env.path("from").asText());
        Object[] holder = new Object[1];
        // The origin times the request out itself; this only forgets the entry.
        ScheduledFuture<?> forget = target.channel.eventLoop().schedule(() -> {
            if (holder[0] != null && target.pendingToThis.remove(rid, holder[0])) {
                remotePending.decrementAndGet();
            }
        }, relayTimeoutMillis, TimeUnit.MILLISECONDS);
        SignalingConnection.PendingRelay p = new SignalingConnection.PendingRelay(null, null, false, forget,
                new RemoteOrigin(env.path("on").asText(), rid));
        holder[0] = p;
        target.pendingToThis.put(rid, p);
        if (!target.enqueue(SignalingJson.write(out))) {
            if (dropRemote(target, rid, p)) {
                replyError(env, SignalingErrorCode.PEER_CONGESTED, "user " + user + " is not reading; request dropped");
            }
        } else if (!target.channel.isActive() && dropRemote(target, rid, p)) {
            replyError(env, SignalingErrorCode.USER_GONE, "user " + user + " disconnected");
        } else {
            delivered();
        }
    }

    private void delivered() {
        SignalingMetrics m = router.metrics();
        if (m != null) {
            m.clusterDelivered();
        }
    }

    private boolean dropRemote(SignalingConnection target, String rid, SignalingConnection.PendingRelay p) {
        if (target.pendingToThis.remove(rid, p)) {
            p.timeout().cancel(false);
            remotePending.decrementAndGet();
            return true;
        }
        return false;
    }

    /** A user of this node answered a request from another node ({@link UserRouter}'s reply handling). */
    void answer(SignalingConnection.PendingRelay p, JsonNode result, String from) {
        p.timeout().cancel(false);
        remotePending.decrementAndGet();
        ObjectNode r = envelope("r");
        r.put("rid", p.remote().relayId());
        r.put("from", from);
        post(p.remote().node(), line(r, result == null ? null : SignalingJson.write(result)), null);
    }

    /** The user a request from another node waited for disconnected (or the request failed here). */
    void answerError(SignalingConnection.PendingRelay p, SignalingErrorCode code, String message) {
        p.timeout().cancel(false);
        remotePending.decrementAndGet();
        ObjectNode e = envelope("e");
        e.put("rid", p.remote().relayId());
        e.put("code", code.name());
        e.put("msg", message);
        post(p.remote().node(), SignalingJson.write(e), null);
    }

    private void forwardOrRefuse(ObjectNode env, String body, String user) {
        int hops = env.path("h").asInt();
        if (hops >= MAX_HOPS) {
            replyError(env, SignalingErrorCode.UNKNOWN_USER, "no user " + user);
            return;
        }
        bus.ownerAsync(user).whenComplete((now, e) -> {
            if (e != null) {
                replyError(env, SignalingErrorCode.CLUSTER_UNAVAILABLE, "the cluster could not look up " + user);
            } else if (now == null || now.node().equals(node)) {
                replyError(env, SignalingErrorCode.UNKNOWN_USER, "no user " + user);
            } else {
                // the origin's cached owner (this node) is out of date: tell it
                ObjectNode stale = envelope("o");
                stale.put("user", user);
                bus.send(env.path("on").asText(), SignalingJson.write(stale));
                env.put("h", hops + 1);
                bus.send(now.node(), line(env, body)).whenComplete((listening, e2) -> {
                    if (e2 != null || !listening) {
                        replyError(env, SignalingErrorCode.UNKNOWN_USER, "no user " + user);
                    }
                });
            }
        });
    }

    private void replyError(ObjectNode env, SignalingErrorCode code, String message) {
        ObjectNode e = envelope("e");
        e.put("oc", env.path("oc").asText());
        e.put("code", code.name());
        e.put("msg", message);
        copy(env, e, "id", "cb", "rid");
        post(env.path("on").asText(), SignalingJson.write(e), null);
    }

    private void onAck(String line) {
        int tab = line.indexOf('\t', 2);
        SignalingConnection conn = tab < 0 ? null : connections.apply(line.substring(2, tab));
        if (conn != null) { // null: the sender left meanwhile
            conn.reply(line.substring(tab + 1));
        }
    }

    private void onError(ObjectNode env) {
        SignalingErrorCode code;
        try {
            code = SignalingErrorCode.valueOf(env.path("code").asText());
        } catch (IllegalArgumentException e) {
            code = SignalingErrorCode.UNKNOWN_USER;
        }
        String message = env.path("msg").asText();
        if (env.hasNonNull("rid")) {
            Pending p = finish(env.get("rid").asText());
            if (p != null) {
                router.sendError(p.origin(), code, message, null, p.callbackId());
            }
            return;
        }
        SignalingConnection conn = connections.apply(env.path("oc").asText());
        if (conn != null) {
            router.sendError(conn, code, message, env.get("id"), env.get("cb"));
        }
    }

    private void onResult(ObjectNode env, String result) {
        Pending p = finish(env.path("rid").asText());
        if (p == null || p.callbackId() == null) {
            return; // timed out already, or nobody waits
        }
        ObjectNode out = SignalingJson.object();
        if (p.wrapInArray()) {
            out.putArray("args").addRawValue(new RawValue(result == null ? "null" : result));
        } else if (result != null) {
            out.putRawValue("args", new RawValue(result));
        }
        out.set("callbackId", p.callbackId());
        out.put("from", env.path("from").asText());
        p.origin().reply(SignalingJson.write(out));
    }

    private void onEvict(ObjectNode env) {
        SignalingConnection c = registry.lookup(env.path("user").asText());
        if (c != null) {
            LOG.info("signaling node {}: user {} resumed on another node; closing its old connection {}", node,
                    env.path("user").asText(), c.id);
            c.closeWith(new WebSocketCloseStatus(4001, "user id resumed on another node"), "resumed elsewhere");
        }
    }

    // ---- presence ------------------------------------------------------------------------------

    static String presenceEvent(String session, String user, String type) {
        ObjectNode p = SignalingJson.object();
        p.put("k", "p");
        p.put("session", session);
        p.put("user", user);
        p.put("type", type);
        return SignalingJson.write(p);
    }

    void announce(String session, String user, String type) {
        bus.broadcast(presenceEvent(session, user, type));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** One envelope's line: the header's JSON, and a tab and the body when there is one. */
    private static String line(ObjectNode header, String body) {
        if ("d".equals(header.path("k").asText())) {
            return Delivery.format(header, body);
        }
        String h = SignalingJson.write(header);
        return body == null ? h : h + '\t' + body;
    }

    private static ObjectNode envelope(String kind) {
        ObjectNode env = SignalingJson.object();
        env.put("k", kind);
        return env;
    }

    private static void copy(ObjectNode from, ObjectNode to, String... fields) {
        for (String f : fields) {
            if (from.hasNonNull(f)) {
                to.set(f, from.get(f));
            }
        }
    }

    private static String newSecret() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String sha256Hex(String s) {
        return HexFormat.of().formatHex(sha256(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        for (String rid : List.copyOf(pending.keySet())) {
            Pending p = finish(rid);
            if (p != null) {
                router.sendError(p.origin(), SignalingErrorCode.USER_GONE, "the server is closing", null, p.callbackId());
            }
        }
        bus.close();
        try {
            refresher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
