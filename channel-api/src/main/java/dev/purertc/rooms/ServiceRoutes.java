package dev.purertc.rooms;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * The routes this side offers to service messages, and the subscriptions to them.
 *
 * <p>Remote peers may call only what is registered with {@link #remote} (an allow-list; graphscript's
 * {@code restrict} is a deny-list, so everything not listed here is denied). {@link #local} routes run
 * only through {@link #runLocal}. A {@link #topic} is a name remote peers may subscribe to without being
 * able to call it. Every run of a route publishes its result to the route's output subscribers and its
 * arguments to its input subscribers ({@code subInput}), as graphscript's node subscriptions do;
 * {@link #publish} pushes a value without running anything.
 *
 * <p>Thread-safe: routes may be registered and published from any thread. Share one instance between
 * rooms (a {@link WebRtcRooms} does).
 */
public final class ServiceRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceRoutes.class);

    private record Route(RouteHandler handler, boolean remote) {
    }

    /** A subscriber to a route's output, its input ({@code subInput}), or one key of it ({@code key} non-null). */
    private record Subscriber(int sub, boolean input, String key, Consumer<JsonNode> sink) {
    }

    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Map<String, Boolean> topics = new ConcurrentHashMap<>();
    private final Map<String, CopyOnWriteArrayList<Subscriber>> subscribers = new ConcurrentHashMap<>();
    private final AtomicInteger nextSub = new AtomicInteger();

    /** Registers (or replaces) a route that remote peers may call. */
    public ServiceRoutes remote(String route, RouteHandler handler) {
        return put(route, handler, true);
    }

    /** Registers (or replaces) a route that only this side may run; remote calls get NOT_FOUND. */
    public ServiceRoutes local(String route, RouteHandler handler) {
        return put(route, handler, false);
    }

    /**
     * A remote-callable route taking one typed argument (the first positional argument, converted with
     * Jackson) and returning a value.
     */
    public <A> ServiceRoutes remote(String route, Class<A> argType, Function<? super A, ?> function) {
        Objects.requireNonNull(function, "function");
        return remote(route, call -> function.apply(call.arg(0, argType)));
    }

    /** A remote-callable asynchronous route taking one typed argument. */
    public <A> ServiceRoutes remoteAsync(String route, Class<A> argType,
                                         Function<? super A, ? extends CompletionStage<?>> function) {
        Objects.requireNonNull(function, "function");
        return remote(route, call -> function.apply(call.arg(0, argType)));
    }

    /** Declares a name remote peers may subscribe to, fed by {@link #publish}. */
    public ServiceRoutes topic(String name) {
        topics.put(validName(name), Boolean.TRUE);
        return this;
    }

    /** Removes a route or topic; existing subscriptions stay until unsubscribed. */
    public boolean remove(String route) {
        boolean removed = routes.remove(route) != null;
        return topics.remove(route) != null || removed;
    }

    /** True when remote peers may call {@code route}. */
    public boolean remoteCallable(String route) {
        Route r = routes.get(route);
        return r != null && r.remote;
    }

    /** True when remote peers may subscribe to {@code route} (a remote route or a topic). */
    public boolean remoteSubscribable(String route) {
        return remoteCallable(route) || topics.containsKey(route);
    }

    /** Runs a route locally (any registered route, local or remote); publishes like a remote run. */
    public CompletableFuture<JsonNode> runLocal(String route, Object args) {
        JsonNode a = args == null ? MissingNode.getInstance() : GraphscriptJson.MAPPER.valueToTree(args);
        return invoke(new RouteCall(route, null, a, false, null), false);
    }

    /**
     * Pushes {@code value} to the output subscribers of {@code route}; subscribers to one key of it get
     * that field when {@code value} is an object that has it. Returns how many got something.
     */
    public int publish(String route, Object value) {
        JsonNode v = value == null ? MissingNode.getInstance() : GraphscriptJson.MAPPER.valueToTree(value);
        return notify(route, false, v);
    }

    /**
     * Pushes {@code value} to the subscribers of key {@code key} of {@code route} only (graphscript's
     * subscription to a node property: {@code subscribe(route, callback, args, key)} hears every new
     * value of that property; here the route's state under {@code key} is whatever is published so).
     * Returns how many got it.
     */
    public int publish(String route, String key, Object value) {
        Objects.requireNonNull(key, "key");
        JsonNode v = value == null ? MissingNode.getInstance() : GraphscriptJson.MAPPER.valueToTree(value);
        CopyOnWriteArrayList<Subscriber> list = subscribers.get(route);
        int n = 0;
        if (list != null) {
            for (Subscriber s : list) {
                if (key.equals(s.key) && deliver(route, s, v)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** True when a route of that name is registered, remote or local. */
    boolean registered(String route) {
        return routes.containsKey(route);
    }

    /**
     * Runs {@code call}. With {@code remoteOnly}, only remote-callable routes run; others fail with a
     * {@link RemoteRouteException} NOT_FOUND. The future holds the result as JSON (MissingNode for none).
     */
    CompletableFuture<JsonNode> invoke(RouteCall call, boolean remoteOnly) {
        Route r = routes.get(call.route());
        if (r == null || (remoteOnly && !r.remote)) {
            return CompletableFuture.failedFuture(new RemoteRouteException(ServiceError.NOT_FOUND,
                    "no route '" + call.route() + "' callable by remote peers"));
        }
        if (hasSubscribers(call.route(), true)) {
            notify(call.route(), true, call.args());
        }
        Object result;
        try {
            result = r.handler.handle(call);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new RemoteRouteException(ServiceError.BAD_ARGUMENTS, message(e)));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(new RemoteRouteException(ServiceError.FAILED, message(e)));
        }
        CompletableFuture<Object> stage = result instanceof CompletionStage<?> s
                ? s.toCompletableFuture().thenApply(x -> (Object) x)
                : CompletableFuture.completedFuture(result);
        return stage.handle((value, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof RemoteRouteException rre) {
                    throw rre;
                }
                throw new RemoteRouteException(cause instanceof IllegalArgumentException
                        ? ServiceError.BAD_ARGUMENTS : ServiceError.FAILED, message(cause));
            }
            JsonNode json = value == null ? MissingNode.getInstance()
                    : value instanceof JsonNode n ? n : GraphscriptJson.MAPPER.valueToTree(value);
            notify(call.route(), false, json);
            return json;
        });
    }

    /** Adds a subscriber; returns its subscription number (unique in this registry). */
    int subscribe(String route, boolean input, Consumer<JsonNode> sink) {
        return subscribe(route, input, null, sink);
    }

    /** Adds a subscriber to {@code key} of the route (input ignored then) or, for a null key, to its output or input. */
    int subscribe(String route, boolean input, String key, Consumer<JsonNode> sink) {
        int sub = nextSub.getAndIncrement();
        subscribers.computeIfAbsent(route, k -> new CopyOnWriteArrayList<>())
                .add(new Subscriber(sub, key == null && input, key, sink));
        return sub;
    }

    /** Removes subscription {@code sub} of {@code route}; false when there was none. */
    boolean unsubscribe(String route, int sub) {
        CopyOnWriteArrayList<Subscriber> list = subscribers.get(route);
        if (list == null) {
            return false;
        }
        boolean removed = list.removeIf(s -> s.sub == sub);
        subscribers.computeIfPresent(route, (k, v) -> v.isEmpty() ? null : v);
        return removed;
    }

    /** The number of live subscriptions over all routes (for leak checks). */
    public int subscriptionCount() {
        int n = 0;
        for (CopyOnWriteArrayList<Subscriber> list : subscribers.values()) {
            n += list.size();
        }
        return n;
    }

    private boolean hasSubscribers(String route, boolean input) {
        CopyOnWriteArrayList<Subscriber> list = subscribers.get(route);
        if (list == null) {
            return false;
        }
        for (Subscriber s : list) {
            if (s.input == input && s.key == null) {
                return true;
            }
        }
        return false;
    }

    private int notify(String route, boolean input, JsonNode value) {
        CopyOnWriteArrayList<Subscriber> list = subscribers.get(route);
        if (list == null) {
            return 0;
        }
        int n = 0;
        for (Subscriber s : list) {
            if (s.key != null) {
                // A key of the output: the field of an object result; inputs and other values say nothing of it.
                if (!input && value.isObject() && value.has(s.key) && deliver(route, s, value.get(s.key))) {
                    n++;
                }
            } else if (s.input == input && deliver(route, s, value)) {
                n++;
            }
        }
        return n;
    }

    private static boolean deliver(String route, Subscriber s, JsonNode value) {
        try {
            s.sink.accept(value);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("subscriber {} of route {} failed: {}", s.sub, route, e.toString());
            return false;
        }
    }

    private ServiceRoutes put(String route, RouteHandler handler, boolean remote) {
        Objects.requireNonNull(handler, "handler");
        String name = validName(route);
        if (ServiceEngine.BUILT_IN_ROUTES.contains(name)) {
            throw new IllegalArgumentException("'" + name + "' is a built-in service route");
        }
        routes.put(name, new Route(handler, remote));
        return this;
    }

    private static String validName(String route) {
        Objects.requireNonNull(route, "route");
        if (route.isEmpty()) {
            throw new IllegalArgumentException("empty route name");
        }
        return route;
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
