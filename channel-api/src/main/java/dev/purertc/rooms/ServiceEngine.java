package dev.purertc.rooms;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * graphscript's service messages over one text transport: {@code send}, {@code post}, {@code run},
 * {@code request}, {@code subscribe}, {@code unsubscribe} out, and the same messages in, answered from
 * a {@link ServiceRoutes}. The wire format is documented in this package's {@code package-info}.
 *
 * <p>Better than graphscript where it loses things: every reply removes its listener (and timeouts
 * remove theirs: {@link #pendingCount()} returns to 0); message text is never altered (no backslash
 * stripping; a double-encoded message is decoded, not edited); {@code request(message, method)} keeps
 * the method; a failing or unknown route is answered with an error reply instead of silence.
 *
 * <p>Threading: every method may be called from any thread. {@link #receive} runs route handlers and
 * completes futures on the calling thread (a room's event loop).
 */
public final class ServiceEngine {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceEngine.class);

    static final String RUN_REQUEST = "runRequest";
    static final String SUBSCRIBE_RTC = "subscribeRTC";
    static final String UNSUBSCRIBE = "unsubscribe";
    /** Routes the engine answers itself; they cannot be registered in {@link ServiceRoutes}. */
    static final Set<String> BUILT_IN_ROUTES = Set.of(RUN_REQUEST, SUBSCRIBE_RTC, UNSUBSCRIBE);

    private record Pending(String what, CompletableFuture<JsonNode> future, TimeoutScheduler.Cancellable timeout) {
    }

    private static final class LocalSubscription {
        final Consumer<JsonNode> callback;
        volatile Integer sub;

        LocalSubscription(Consumer<JsonNode> callback) {
            this.callback = callback;
        }
    }

    private final String roomId;
    private final ServiceRoutes routes;
    private final MessageTransport transport;
    private final TimeoutScheduler scheduler;
    private final Duration defaultTimeout;
    private final Supplier<String> channelLabel;
    private final Room room;
    private final AtomicLong nextCallbackId = new AtomicLong(1);
    /** Requests awaiting a reply, keyed by the JSON text of their callbackId. */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    /** Our subscriptions to the peer's routes: route → callbacks. */
    private final Map<String, CopyOnWriteArrayList<LocalSubscription>> localSubscriptions = new ConcurrentHashMap<>();
    /** The peer's subscriptions to our routes made through this engine: sub number → route. */
    private final Map<Integer, String> remoteSubscriptions = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param roomId         the room id written into runRequest/subscribeRTC arguments
     * @param routes         the routes the peer may call
     * @param transport      where messages go
     * @param scheduler      runs request timeouts
     * @param defaultTimeout timeout of run/request/subscribe/unsubscribe; null or zero for none
     * @param channelLabel   the channel label sent as subscribeRTC's channelId ("data" by default)
     * @param room           the room handed to route handlers, or null
     */
    public ServiceEngine(String roomId, ServiceRoutes routes, MessageTransport transport, TimeoutScheduler scheduler,
                         Duration defaultTimeout, Supplier<String> channelLabel, Room room) {
        this.roomId = Objects.requireNonNull(roomId, "roomId");
        this.routes = Objects.requireNonNull(routes, "routes");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.defaultTimeout = defaultTimeout;
        this.channelLabel = Objects.requireNonNull(channelLabel, "channelLabel");
        this.room = room;
    }

    // ---- outgoing ---------------------------------------------------------------------------------

    /**
     * graphscript's {@code send}: a String goes out exactly as given; anything else is written as JSON
     * ({@code transmit} stringifies objects and numbers).
     */
    public void send(Object message) {
        Objects.requireNonNull(message, "message");
        ensureOpen();
        transport.send(message instanceof String s ? s : toJson(message).toString());
    }

    /** {@code post(route, args, method?)}: {@code {"route":R,"args":A,"method":M}}, no reply expected. */
    public void post(String route, Object args, String method) {
        ensureOpen();
        transport.send(routeMessage(route, args, method).toString());
    }

    /** {@code run(route, args, method?)} with the default timeout. */
    public CompletableFuture<JsonNode> run(String route, Object args, String method) {
        return run(route, args, method, defaultTimeout);
    }

    /**
     * {@code run(route, args, method?)}: {@code {"route":"runRequest","args":[{"route":R,"args":A,"method":M},roomId,id]}};
     * completes with the reply's {@code args} (MissingNode when it had none), exceptionally with a
     * {@link RemoteRouteException} for an error reply or a {@link ServiceTimeoutException}.
     */
    public CompletableFuture<JsonNode> run(String route, Object args, String method, Duration timeout) {
        return call(routeMessage(route, args, method), "run " + route, timeout);
    }

    /** {@code request(message, method?)} with the default timeout. */
    public CompletableFuture<JsonNode> request(Object message, String method) {
        return request(message, method, defaultTimeout);
    }

    /**
     * {@code request(message, method?)}: {@code {"route":"runRequest","args":[message,roomId,id]}}. A
     * {@code method} is put into (a copy of) the message when it has none, where the remote route sees
     * it; graphscript put it on the outer runRequest, where it was lost.
     */
    public CompletableFuture<JsonNode> request(Object message, String method, Duration timeout) {
        Objects.requireNonNull(message, "message");
        JsonNode m = message instanceof String s ? parseMessageText(s) : toJson(message);
        if (method != null && m instanceof ObjectNode o && !o.has("method")) {
            ObjectNode copy = o.deepCopy();
            copy.put("method", method);
            m = copy;
        }
        return call(m, "request " + m.path("route").asText("?"), timeout);
    }

    /**
     * {@code subscribe(route, callback, args?, key?, subInput?, channelId?)}: runs {@code subscribeRTC}
     * remotely with {@code [route, roomId, args, key, subInput, channelId]} (absent values as null, as
     * {@code JSON.stringify} writes undefined array elements); completes with the subscription number.
     * Every push {@code {"args":X,"callbackId":route}} then calls {@code callback} with X.
     */
    public CompletableFuture<Integer> subscribe(String route, Consumer<JsonNode> callback, Object args, String key,
                                                Boolean subInput, String channelId) {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(callback, "callback");
        ensureOpen();
        LocalSubscription local = new LocalSubscription(callback);
        localSubscriptions.computeIfAbsent(route, k -> new CopyOnWriteArrayList<>()).add(local);
        ArrayNode a = GraphscriptJson.MAPPER.createArrayNode();
        a.add(route).add(roomId).add(args == null ? NullNode.getInstance() : toJson(args))
                .add(key == null ? NullNode.getInstance() : TextNode.valueOf(key))
                .add(subInput == null ? NullNode.getInstance() : BooleanNode.valueOf(subInput))
                .add(channelId != null ? channelId : channelLabel.get());
        ObjectNode m = GraphscriptJson.MAPPER.createObjectNode();
        m.put("route", SUBSCRIBE_RTC);
        m.set("args", a);
        return call(m, "subscribe " + route, defaultTimeout).handle((reply, failure) -> {
            if (failure != null || !reply.isIntegralNumber()) {
                removeLocal(route, local);
                if (failure != null) {
                    throw failure instanceof CompletionException ce ? ce : new CompletionException(failure);
                }
                throw new RemoteRouteException(ServiceError.NOT_FOUND, "the peer refused the subscription to '"
                        + route + "' (reply " + reply + ")");
            }
            local.sub = reply.intValue();
            return local.sub;
        });
    }

    /**
     * {@code unsubscribe(route, sub)}: runs {@code unsubscribe} remotely with {@code [route, sub]} and
     * drops the local callback of that subscription at once; completes with the peer's boolean.
     */
    public CompletableFuture<Boolean> unsubscribe(String route, int sub) {
        CopyOnWriteArrayList<LocalSubscription> list = localSubscriptions.get(route);
        if (list != null) {
            for (LocalSubscription s : list) {
                if (s.sub != null && s.sub == sub) {
                    removeLocal(route, s);
                }
            }
        }
        ArrayNode a = GraphscriptJson.MAPPER.createArrayNode().add(route).add(sub);
        return run(UNSUBSCRIBE, a, null).thenApply(JsonNode::asBoolean);
    }

    // ---- incoming ---------------------------------------------------------------------------------

    /**
     * Handles one received text message. Returns true when it was a service message (a call with a
     * {@code route} or {@code node}, or a reply or push with a {@code callbackId}); false for anything
     * else (plain text, other JSON), which the caller delivers to the application.
     */
    public boolean receive(String text) {
        JsonNode message = parseOrNull(text);
        if (!(message instanceof ObjectNode o)) {
            return false;
        }
        JsonNode route = o.has("route") ? o.get("route") : o.get("node");
        if (route != null && route.isTextual()) {
            if (!closed) {
                dispatch(o, route.asText());
            }
            return true;
        }
        JsonNode callbackId = o.get("callbackId");
        if (callbackId == null || callbackId.isNull()) {
            return false;
        }
        Pending p = pending.remove(callbackId.toString());
        if (p != null) {
            p.timeout.cancel();
            JsonNode error = o.get("error");
            if (error != null && !error.isNull()) {
                p.future.completeExceptionally(new RemoteRouteException(ServiceError.of(error.path("code").asText()),
                        error.path("message").asText(error.toString())));
            } else {
                p.future.complete(o.has("args") ? o.get("args") : MissingNode.getInstance());
            }
            return true;
        }
        if (callbackId.isTextual()) {
            CopyOnWriteArrayList<LocalSubscription> list = localSubscriptions.get(callbackId.asText());
            if (list != null) {
                JsonNode value = o.has("args") ? o.get("args") : MissingNode.getInstance();
                for (LocalSubscription s : list) {
                    try {
                        s.callback.accept(value);
                    } catch (RuntimeException e) {
                        LOG.warn("subscription callback for {} failed: {}", callbackId.asText(), e.toString());
                    }
                }
                return true;
            }
        }
        LOG.debug("reply {} matches no request (timed out or unknown)", callbackId);
        return true;
    }

    // ---- state ------------------------------------------------------------------------------------

    /** Requests awaiting a reply (each holds a listener and a timeout). */
    public int pendingCount() {
        return pending.size();
    }

    /** Our live subscriptions to the peer's routes. */
    public int localSubscriptionCount() {
        int n = 0;
        for (CopyOnWriteArrayList<LocalSubscription> l : localSubscriptions.values()) {
            n += l.size();
        }
        return n;
    }

    /** The peer's live subscriptions to our routes made through this engine. */
    public int remoteSubscriptionCount() {
        return remoteSubscriptions.size();
    }

    /**
     * Ends the engine: pending requests fail with {@link IllegalStateException}, the peer's
     * subscriptions are removed from the routes, ours are dropped. Idempotent.
     */
    public void close() {
        closed = true;
        for (String key : List.copyOf(pending.keySet())) {
            Pending p = pending.remove(key);
            if (p != null) {
                p.timeout.cancel();
                p.future.completeExceptionally(new IllegalStateException("room " + roomId + " closed before "
                        + p.what + " was answered"));
            }
        }
        remoteSubscriptions.forEach((sub, route) -> routes.unsubscribe(route, sub));
        remoteSubscriptions.clear();
        localSubscriptions.clear();
    }

    // ---- internals --------------------------------------------------------------------------------

    private CompletableFuture<JsonNode> call(JsonNode message, String what, Duration timeout) {
        ensureOpen();
        long id = nextCallbackId.getAndIncrement();
        JsonNode callbackId = LongNode.valueOf(id);
        String key = callbackId.toString();
        ObjectNode req = GraphscriptJson.MAPPER.createObjectNode();
        req.put("route", RUN_REQUEST);
        req.set("args", GraphscriptJson.MAPPER.createArrayNode().add(message).add(roomId).add(callbackId));
        CompletableFuture<JsonNode> future = new CompletableFuture<>();
        TimeoutScheduler.Cancellable cancel = () -> { };
        if (timeout != null && !timeout.isZero() && !timeout.isNegative()) {
            cancel = scheduler.schedule(timeout, () -> {
                Pending p = pending.remove(key);
                if (p != null) {
                    p.future.completeExceptionally(new ServiceTimeoutException(what, id, timeout));
                }
            });
        }
        pending.put(key, new Pending(what, future, cancel));
        try {
            transport.send(req.toString());
        } catch (RuntimeException e) {
            Pending p = pending.remove(key);
            if (p != null) {
                p.timeout.cancel();
            }
            future.completeExceptionally(e);
        }
        return future;
    }

    private void dispatch(ObjectNode message, String route) {
        String method = message.path("method").isTextual() ? message.get("method").asText() : null;
        JsonNode args = message.has("args") ? message.get("args") : MissingNode.getInstance();
        if (!RUN_REQUEST.equals(route)) {
            execute(route, method, args).whenComplete((v, failure) -> {
                if (failure != null) {
                    LOG.warn("posted message for route '{}' failed: {}", route, unwrap(failure).getMessage());
                }
            });
            return;
        }
        // runRequest(message, roomId, callbackId): run the message, reply with its result.
        JsonNode callbackId = args.path(2);
        JsonNode inner = args.path(0);
        if (!(inner instanceof ObjectNode innerObject) || !textualRoute(innerObject)) {
            reply(callbackId, null, new RemoteRouteException(ServiceError.BAD_REQUEST,
                    "runRequest needs a message with a route as its first argument"));
            return;
        }
        String innerRoute = innerObject.has("route") ? innerObject.get("route").asText() : innerObject.get("node").asText();
        String innerMethod = innerObject.path("method").isTextual() ? innerObject.get("method").asText() : method;
        if (RUN_REQUEST.equals(innerRoute)) {
            reply(callbackId, null, new RemoteRouteException(ServiceError.BAD_REQUEST, "nested runRequest"));
            return;
        }
        JsonNode innerArgs = innerObject.has("args") ? innerObject.get("args") : MissingNode.getInstance();
        execute(innerRoute, innerMethod, innerArgs).whenComplete((value, failure) ->
                reply(callbackId, value, failure == null ? null : unwrap(failure)));
    }

    private CompletableFuture<JsonNode> execute(String route, String method, JsonNode args) {
        switch (route) {
            case SUBSCRIBE_RTC:
                return subscribeRemote(args);
            case UNSUBSCRIBE: {
                String r = args.path(0).asText(null);
                JsonNode sub = args.path(1);
                if (r == null || !sub.isIntegralNumber()) {
                    return CompletableFuture.failedFuture(new RemoteRouteException(ServiceError.BAD_ARGUMENTS,
                            "unsubscribe takes [route, sub]"));
                }
                // Only subscriptions made through this engine: a peer cannot cancel another peer's.
                boolean removed = remoteSubscriptions.remove(sub.intValue(), r) && routes.unsubscribe(r, sub.intValue());
                return CompletableFuture.completedFuture(BooleanNode.valueOf(removed));
            }
            default:
                if (BuiltInRoutes.answers(route) && !routes.registered(route)) {
                    return BuiltInRoutes.run(route, args);
                }
                return routes.invoke(new RouteCall(route, method, args, true, room), true);
        }
    }

    /** subscribeRTC(route, rtcId, args, key, subInput, channelId). */
    private CompletableFuture<JsonNode> subscribeRemote(JsonNode args) {
        String route = args.path(0).isTextual() ? args.get(0).asText() : null;
        if (route == null) {
            return CompletableFuture.failedFuture(new RemoteRouteException(ServiceError.BAD_ARGUMENTS,
                    "subscribeRTC takes [route, rtcId, args, key, subInput, channelId]"));
        }
        if (!routes.remoteSubscribable(route)) {
            return CompletableFuture.failedFuture(new RemoteRouteException(ServiceError.NOT_FOUND,
                    "no route '" + route + "' remote peers may subscribe to"));
        }
        JsonNode key = args.path(3);
        if (!key.isMissingNode() && !key.isNull() && !key.isTextual()) {
            return CompletableFuture.failedFuture(new RemoteRouteException(ServiceError.BAD_ARGUMENTS,
                    "a subscription's key must be text"));
        }
        boolean input = args.path(4).asBoolean(false);
        int[] holder = new int[1];
        // graphscript pushes every subscription to a route with callbackId = route, key or not.
        holder[0] = routes.subscribe(route, input, key.isTextual() ? key.asText() : null,
                value -> push(route, value, holder[0]));
        remoteSubscriptions.put(holder[0], route);
        return CompletableFuture.completedFuture(IntNode.valueOf(holder[0]));
    }

    private void push(String route, JsonNode value, int sub) {
        if (closed) {
            return;
        }
        ObjectNode m = GraphscriptJson.MAPPER.createObjectNode();
        if (!value.isMissingNode()) {
            m.set("args", value);
        }
        m.put("callbackId", route);
        try {
            transport.send(m.toString());
        } catch (RuntimeException e) {
            LOG.debug("push of {} (sub {}) not sent: {}", route, sub, e.toString());
        }
    }

    private void reply(JsonNode callbackId, JsonNode value, Throwable failure) {
        if (callbackId.isMissingNode() || callbackId.isNull()) {
            if (failure != null) {
                LOG.warn("runRequest without callbackId failed: {}", failure.getMessage());
            }
            return; // nobody can match a reply without an id
        }
        ObjectNode m = GraphscriptJson.MAPPER.createObjectNode();
        if (failure != null) {
            RemoteRouteException rre = failure instanceof RemoteRouteException r ? r
                    : new RemoteRouteException(ServiceError.FAILED, String.valueOf(failure.getMessage()));
            ObjectNode error = m.putObject("error");
            error.put("code", rre.error().name());
            String text = rre.getMessage();
            String prefix = rre.error().name() + ": ";
            error.put("message", text.startsWith(prefix) ? text.substring(prefix.length()) : text);
        } else if (value != null && !value.isMissingNode()) {
            m.set("args", value);
        }
        m.set("callbackId", callbackId);
        if (closed) {
            return;
        }
        try {
            transport.send(m.toString());
        } catch (RuntimeException e) {
            if (failure == null) {
                // e.g. larger than the channel's max-message-size: tell the caller rather than let it time out
                reply(callbackId, null, new RemoteRouteException(ServiceError.FAILED, "the reply could not be sent: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
            } else {
                LOG.debug("reply {} not sent: {}", callbackId, e.toString());
            }
        }
    }

    private void removeLocal(String route, LocalSubscription s) {
        CopyOnWriteArrayList<LocalSubscription> list = localSubscriptions.get(route);
        if (list != null) {
            list.remove(s);
            localSubscriptions.computeIfPresent(route, (k, v) -> v.isEmpty() ? null : v);
        }
    }

    private static boolean textualRoute(ObjectNode o) {
        JsonNode r = o.has("route") ? o.get("route") : o.get("node");
        return r != null && r.isTextual();
    }

    private static ObjectNode routeMessage(String route, Object args, String method) {
        Objects.requireNonNull(route, "route");
        ObjectNode m = GraphscriptJson.MAPPER.createObjectNode();
        m.put("route", route);
        if (args != null) {
            m.set("args", toJson(args));
        }
        if (method != null) {
            m.put("method", method);
        }
        return m;
    }

    private static JsonNode toJson(Object value) {
        return value instanceof JsonNode n ? n : GraphscriptJson.MAPPER.valueToTree(value);
    }

    private static JsonNode parseMessageText(String text) {
        JsonNode n = parseOrNull(text);
        if (n == null) {
            throw new IllegalArgumentException("message text is not JSON: " + text);
        }
        return n;
    }

    /**
     * Parses a message; a JSON string whose content is itself a JSON object (a double-stringified
     * message, which graphscript repairs by deleting every backslash) is parsed once more.
     */
    private static JsonNode parseOrNull(String text) {
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        if (i == text.length() || (text.charAt(i) != '{' && text.charAt(i) != '"')) {
            return null;
        }
        try {
            JsonNode n = GraphscriptJson.MAPPER.readTree(text);
            if (n != null && n.isTextual() && n.asText().strip().startsWith("{")) {
                n = GraphscriptJson.MAPPER.readTree(n.asText());
            }
            return n;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("room " + roomId + " is closed");
        }
    }
}
