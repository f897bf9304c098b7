package dev.purertc.signaling;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A signaling client that keeps its user id across lost connections: when its connection closes
 * without {@link #close()}, it reconnects with exponential backoff, trying the servers of its list in
 * turn, and claims its user id back with the secret the first registration returned (the server keeps
 * an id reserved for {@link SignalingServerOptions#userIdReservation()}).
 *
 * <p>While it reconnects nothing is sent: {@link #send} and {@link #run} fail at once with an
 * {@link IllegalStateException}, so a message is never reported sent that was not. Messages other users
 * address to this id in the gap are held by the server ({@link HeldMessages}, bounded) and arrive right
 * after the id is claimed back; their senders' acks wait until then, and if this client does not come
 * back within the reservation they get {@code user-gone}. Route handlers given to {@link #handle} are installed, and presence sessions
 * joined through {@link #join} joined again, on every new connection.
 */
public final class ResumingSignalingClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResumingSignalingClient.class);

    /** Events of the connection's life beside the messages. */
    public interface Events {
        /** A connection closed; the client is reconnecting. */
        default void onDisconnected(int statusCode, String reason) {
        }

        /** Registered again as the same user through {@code server}. */
        default void onResumed(URI server) {
        }

        /** The client gave up (the id is taken for good, or closed): no more attempts. */
        default void onGaveUp(Throwable cause) {
        }
    }

    private final List<URI> servers;
    private final String userId;
    private final SignalingClientOptions options;
    private final Events events;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Map<String, RouteHandler> routes = new ConcurrentHashMap<>();
    /** Presence sessions joined through this client: joined again on every new connection. */
    private final java.util.Set<String> sessions = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "purertc-signaling-resume");
        t.setDaemon(true);
        return t;
    });
    private final CompletableFuture<ResumingSignalingClient> first = new CompletableFuture<>();
    private volatile SignalingClient current;
    private volatile String secret;
    private volatile boolean closed;
    private int nextServer;
    private int attempt;

    private ResumingSignalingClient(List<URI> servers, String userId, SignalingClientOptions options, Events events,
                                    Duration initialBackoff, Duration maxBackoff) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one server URI");
        }
        this.servers = List.copyOf(servers);
        this.userId = Objects.requireNonNull(userId, "userId");
        this.options = options;
        this.events = events;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /**
     * Connects to the first server of {@code servers} that answers and registers {@code userId}. Later
     * reconnections wait {@code initialBackoff}, doubling up to {@code maxBackoff}, between attempts.
     * The future fails if no server accepts the first registration.
     *
     * @param options their listener receives every message, whatever connection it came on
     */
    public static CompletableFuture<ResumingSignalingClient> connect(List<URI> servers, String userId,
            SignalingClientOptions options, Events events, Duration initialBackoff, Duration maxBackoff) {
        ResumingSignalingClient c = new ResumingSignalingClient(servers, userId, options, events, initialBackoff, maxBackoff);
        c.attemptConnect(true);
        return c.first;
    }

    /** {@link #connect(List, String, SignalingClientOptions, Events, Duration, Duration)} with 100 ms up to 5 s. */
    public static CompletableFuture<ResumingSignalingClient> connect(List<URI> servers, String userId,
            SignalingClientOptions options, Events events) {
        return connect(servers, userId, options, events, Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    private synchronized void attemptConnect(boolean initial) {
        if (closed) {
            return;
        }
        URI server = servers.get(nextServer);
        nextServer = (nextServer + 1) % servers.size();
        SignalingClientOptions perConnection = new SignalingClientOptions(new Forwarder(), options.eventLoopGroup(),
                options.origin(), options.requestTimeout(), options.maxFrameBytes(), options.receiveBufferBytes(),
                options.tls());
        SignalingClient.connect(server, perConnection)
                .thenCompose(c -> c.register(userId, secret).thenApply(v -> c).whenComplete((ok, failure) -> {
                    if (failure != null) {
                        closeElsewhere(c);
                    }
                }))
                .whenComplete((c, failure) -> {
                    if (failure == null) {
                        onRegistered(c, server, initial);
                    } else {
                        onAttemptFailed(failure, initial);
                    }
                });
    }

    private void onRegistered(SignalingClient c, URI server, boolean initial) {
        synchronized (this) {
            if (closed) {
                closeElsewhere(c);
                return;
            }
            attempt = 0;
            if (secret == null) {
                secret = c.secret();
            }
            routes.forEach(c::handle);
            current = c;
        }
        for (String session : sessions) {
            c.join(session).whenComplete((members, failure) -> {
                if (failure != null) {
                    sessions.remove(session); // refused now (full, too many): not retried on every resume
                    LOG.info("presence session {} refused the rejoin: {}", session, failure.toString());
                }
            });
        }
        // The connection may have closed before it became current: its close event was ignored then.
        c.closeFuture().thenRun(() -> {
            if (current == c) {
                lost(c.closeStatus(), "closed");
            }
        });
        if (initial) {
            first.complete(this);
        } else {
            events.onResumed(server);
        }
    }

    private void onAttemptFailed(Throwable failure, boolean initial) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof SignalingException se && (se.code() == SignalingErrorCode.USER_TAKEN
                || se.code() == SignalingErrorCode.USER_NOT_GRANTED || se.code() == SignalingErrorCode.INVALID_USER_ID)) {
            giveUp(cause, initial); // waiting will not change the answer
            return;
        }
        int n;
        synchronized (this) {
            n = ++attempt;
        }
        if (initial && n >= servers.size()) {
            giveUp(cause, true);
            return;
        }
        long delay = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(20, n - 1));
        LOG.debug("signaling reconnect attempt {} failed ({}); next in {} ms", n, cause.toString(), delay);
        timer.schedule(() -> attemptConnect(initial), initial ? 0 : delay, TimeUnit.MILLISECONDS);
    }

    private void giveUp(Throwable cause, boolean initial) {
        if (initial) {
            first.completeExceptionally(cause);
        } else {
            events.onGaveUp(cause);
        }
        close();
    }

    private void lost(int status, String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            current = null;
        }
        events.onDisconnected(status, reason);
        timer.schedule(() -> attemptConnect(false), initialBackoff.toMillis(), TimeUnit.MILLISECONDS);
    }

    private SignalingClient live() {
        SignalingClient c = current;
        if (c == null) {
            throw new IllegalStateException("reconnecting to the signaling server: nothing was sent");
        }
        return c;
    }

    /** The user id this client holds. */
    public String user() {
        return userId;
    }

    /** Whether a connection is registered now. */
    public boolean isConnected() {
        return current != null;
    }

    /** See {@link SignalingClient#send}; fails at once while reconnecting. */
    public CompletableFuture<Void> send(String to, String type, ObjectNode fields) {
        try {
            return live().send(to, type, fields);
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** See {@link SignalingClient#run}; fails at once while reconnecting. */
    public CompletableFuture<JsonNode> run(String targetUser, String route, JsonNode args) {
        try {
            return live().run(targetUser, route, args);
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** See {@link SignalingClient#join}; the session is joined again after every reconnection. */
    public CompletableFuture<List<String>> join(String session) {
        try {
            return live().join(session).thenApply(members -> {
                sessions.add(session);
                return members;
            });
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** See {@link SignalingClient#leave}; not joined again after a reconnection. */
    public CompletableFuture<Void> leave(String session) {
        sessions.remove(session);
        try {
            return live().leave(session);
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Installs a route handler on this and every later connection. */
    public void handle(String route, RouteHandler handler) {
        routes.put(route, handler);
        SignalingClient c = current;
        if (c != null) {
            c.handle(route, handler);
        }
    }

    /** The connection in use now, or null while reconnecting (for tests and diagnostics). */
    SignalingClient connection() {
        return current;
    }

    @Override
    public void close() {
        SignalingClient c;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            c = current;
            current = null;
        }
        timer.shutdownNow();
        if (c != null) {
            closeElsewhere(c);
        }
    }

    /**
     * Closes {@code c} off the calling thread: these callbacks run on the connection's own event loop,
     * and a client closing from its loop would wait for that loop to stop.
     */
    private static void closeElsewhere(SignalingClient c) {
        CompletableFuture.runAsync(c::close);
    }

    /** Passes every message to the application's listener; close events are this client's business. */
    private final class Forwarder implements SignalingListener {
        @Override
        public void onMessage(SignalingMessage message) {
            options.listener().onMessage(message);
        }
    }
}
