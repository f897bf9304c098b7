package dev.purertc.signaling;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.util.concurrent.DefaultThreadFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterBus} on one Redis server, through Lettuce (Netty-based). Everything lives under the key
 * prefix {@code purertc:}:
 * <pre>
 * purertc:node:N              "1" with an expiry of nodeLease, refreshed every third of it: N is alive
 * purertc:nodes               set of the node ids that announced themselves (to reap dead ones)
 * purertc:user:U              hash node, conn, sh (SHA-256 of the resume secret, never the secret),
 *                             tok (SHA-256 of the token's fingerprint, if any), state held|reserved;
 *                             expires 60 s after the holding node last refreshed it, or after the
 *                             reservation once released
 * purertc:session:S           hash member user id -> its node
 * purertc:node-members:N      set of "S\nU" entries node N added (so a dead node's members can be removed)
 * channel purertc:to:N        messages for node N;  channel purertc:all  messages for every node
 * </pre>
 * Each change is one Lua script, so a claim, a release, a join or the reaping of a dead node is atomic.
 * An id counts as held only while its node's {@code purertc:node:N} key lives: when a node dies, its
 * users are unreachable at once ({@code unknown-user}) and may resume elsewhere with their secret; to
 * anyone else the id stays reserved until its key expires. A node whose heartbeat finds another node's
 * key expired removes that node's presence entries and tells every node ({@code member-left}).
 *
 * <p>Commands that fail because Redis is unreachable fail at once (Lettuce's {@code REJECT_COMMANDS}
 * while disconnected, at most {@value #REQUEST_QUEUE} commands in flight), so nothing waits unbounded and
 * nothing is reported delivered that was not. Lettuce reconnects by itself and subscribes again.
 */
final class RedisClusterBus implements ClusterBus {

    private static final Logger LOG = LoggerFactory.getLogger(RedisClusterBus.class);

    static final String PREFIX = "purertc:";
    private static final String ALL = PREFIX + "all";
    /** Held ids expire this long after the holding node last refreshed them (it refreshes every third). */
    static final long USER_KEY_TTL_MILLIS = 60_000;
    private static final int REQUEST_QUEUE = 65_536;

    private static final String CLAIM = """
            local k = KEYS[1]
            local cur = redis.call('HMGET', k, 'node', 'sh', 'tok', 'state')
            local function take(sh)
              redis.call('HSET', k, 'node', ARGV[2], 'conn', ARGV[3], 'sh', sh, 'tok', ARGV[5], 'state', 'held')
              redis.call('PEXPIRE', k, ARGV[7])
            end
            if not cur[1] then take(ARGV[6]) return {'CLAIMED', '', 'new'} end
            local bySecret = ARGV[4] ~= '' and ARGV[4] == cur[2]
            local same = bySecret or (ARGV[5] ~= '' and ARGV[5] == cur[3])
            -- resumed by its secret: the client keeps it; by its token alone: it gets the new one
            local sh = bySecret and cur[2] or ARGV[6]
            local how = bySecret and 'secret' or 'new'
            if cur[4] == 'held' and cur[1] ~= ARGV[2]
                and redis.call('EXISTS', ARGV[1] .. 'node:' .. cur[1]) == 1 then
              if same then take(sh) return {'RESUMED', cur[1], how} end
              return {'TAKEN', cur[1], ''}
            end
            if same then take(sh) return {'RESUMED', '', how} end
            return {'RESERVED', '', ''}
            """;
    private static final String REASSERT = """
            local cur = redis.call('HGET', KEYS[1], 'node')
            if cur and cur ~= ARGV[1] and redis.call('HGET', KEYS[1], 'state') == 'held' then return 0 end
            redis.call('HSET', KEYS[1], 'node', ARGV[1], 'conn', ARGV[2], 'sh', ARGV[3], 'tok', ARGV[4], 'state', 'held')
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            return 1
            """;
    private static final String RELEASE = """
            local v = redis.call('HMGET', KEYS[1], 'node', 'state')
            if v[1] == ARGV[1] and v[2] == 'held' then
              if tonumber(ARGV[2]) > 0 then
                redis.call('HSET', KEYS[1], 'state', 'reserved')
                redis.call('PEXPIRE', KEYS[1], ARGV[2])
              else
                redis.call('DEL', KEYS[1])
              end
              return 1
            end
            return 0
            """;
    private static final String REFRESH = """
            local n = 0
            for i, k in ipairs(KEYS) do
              local v = redis.call('HMGET', k, 'node', 'state')
              if v[1] == ARGV[1] and v[2] == 'held' then redis.call('PEXPIRE', k, ARGV[2]) n = n + 1 end
            end
            return n
            """;
    private static final String OWNER = """
            local v = redis.call('HMGET', KEYS[1], 'node', 'state', 'conn')
            if v[1] and v[2] == 'held' and redis.call('EXISTS', ARGV[1] .. 'node:' .. v[1]) == 1 then
              return {v[1], v[3]}
            end
            return {}
            """;
    private static final String JOIN = """
            local hk = ARGV[1] .. 'session:' .. ARGV[2]
            local cur = redis.call('HGET', hk, ARGV[3])
            if not cur and redis.call('HLEN', hk) >= tonumber(ARGV[5]) then return -1 end
            redis.call('HSET', hk, ARGV[3], ARGV[4])
            redis.call('SADD', ARGV[1] .. 'node-members:' .. ARGV[4], ARGV[2] .. '\\n' .. ARGV[3])
            if cur then return 0 end
            return 1
            """;
    private static final String LEAVE = """
            local hk = ARGV[1] .. 'session:' .. ARGV[2]
            redis.call('SREM', ARGV[1] .. 'node-members:' .. ARGV[4], ARGV[2] .. '\\n' .. ARGV[3])
            if redis.call('HGET', hk, ARGV[3]) == ARGV[4] then redis.call('HDEL', hk, ARGV[3]) return 1 end
            return 0
            """;
    /** Removes a dead node's presence entries (unless it is alive); returns session, user pairs removed. */
    private static final String REAP = """
            local p = ARGV[1]
            if redis.call('EXISTS', p .. 'node:' .. ARGV[2]) == 1 then return {} end
            local set = p .. 'node-members:' .. ARGV[2]
            local out = {}
            for _, e in ipairs(redis.call('SMEMBERS', set)) do
              local i = string.find(e, '\\n', 1, true)
              local s = string.sub(e, 1, i - 1)
              local u = string.sub(e, i + 1)
              local hk = p .. 'session:' .. s
              if redis.call('HGET', hk, u) == ARGV[2] then
                redis.call('HDEL', hk, u)
                table.insert(out, s)
                table.insert(out, u)
              end
            end
            redis.call('DEL', set)
            redis.call('SREM', p .. 'nodes', ARGV[2])
            return out
            """;

    /** A Lua script and its SHA-1 once loaded. */
    private static final class Script {
        final String source;
        volatile String sha;

        Script(String source) {
            this.source = source;
        }
    }

    private final ClusterOptions options;
    private final String node;
    private final long timeoutMillis;
    private final ClientResources resources;
    private final RedisClient client;
    private final Script claim = new Script(CLAIM);
    private final Script release = new Script(RELEASE);
    private final Script reassert = new Script(REASSERT);
    private final Script refresh = new Script(REFRESH);
    private final Script owner = new Script(OWNER);
    private final Script join = new Script(JOIN);
    private final Script leave = new Script(LEAVE);
    private final Script reap = new Script(REAP);
    /** Every thread this node started (Lettuce's I/O and computation threads, the heartbeat), joined by close(). */
    private final List<Thread> startedThreads = new ArrayList<>();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "purertc-cluster-heartbeat");
        t.setDaemon(true);
        return recorded(t);
    });
    private StatefulRedisConnection<String, String> connection;
    private RedisAsyncCommands<String, String> redis;
    private StatefulRedisPubSubConnection<String, String> pubsub;
    private volatile long lastHeartbeatNanos = System.nanoTime();
    private volatile boolean closed;
    /** This node took its lease: only then does closing give it back (never another live node's). */
    private volatile boolean leased;
    private volatile Runnable lapsed = () -> { };

    RedisClusterBus(ClusterOptions options) {
        this.options = options;
        this.node = options.nodeId();
        this.timeoutMillis = options.commandTimeout().toMillis();
        this.resources = DefaultClientResources.builder()
                // one I/O thread for both connections: an ack published while handling a batch from the
                // pub/sub connection is written on the same thread, without a hand-over
                .ioThreadPoolSize(1).computationThreadPoolSize(1)
                .threadFactoryProvider(this::recordingThreadFactory).build();
        this.client = RedisClient.create(resources, RedisURI.create(options.redis()));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(REQUEST_QUEUE)
                .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
                .build());
    }

    @Override
    public String nodeId() {
        return node;
    }

    @Override
    public void start(Consumer<String> direct, Consumer<String> broadcast, Runnable connected, Runnable lapsed) {
        this.lapsed = lapsed;
        String where = options.redis().getHost() + ":" + options.redis().getPort();
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> c, SocketAddress address) {
                connected.run();
            }
        });
        try {
            connection = client.connect();
            connection.setTimeout(options.commandTimeout());
            redis = connection.async();
            for (Script s : List.of(claim, release, reassert, refresh, owner, join, leave, reap)) {
                s.sha = await(redis.scriptLoad(s.source));
            }
            String ok = await(redis.set(PREFIX + "node:" + node, "1",
                    SetArgs.Builder.nx().px(options.nodeLease().toMillis())));
            if (!"OK".equals(ok)) {
                throw new ClusterUnavailableException("node id " + node + " is in use by a live node of the cluster at "
                        + where, null);
            }
            leased = true;
            await(redis.sadd(PREFIX + "nodes", node));
            reapIfDead(node); // presence left by an earlier process with this id (it is alive again now: no-op)
            pubsub = client.connectPubSub();
            pubsub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    try {
                        if (channel.equals(ALL)) {
                            broadcast.accept(message);
                        } else {
                            direct.accept(message);
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("cluster message on {} failed: {}", channel, e.toString(), e);
                    }
                }
            });
            pubsub.sync().subscribe(PREFIX + "to:" + node, ALL);
        } catch (ClusterUnavailableException e) {
            close();
            throw e;
        } catch (RuntimeException e) {
            close();
            throw new ClusterUnavailableException("cannot reach Redis at " + where + ": " + e.getMessage(), e);
        }
        lastHeartbeatNanos = System.nanoTime();
        long period = Math.max(100, options.nodeLease().toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
        LOG.info("signaling node {} joined the cluster at {}", node, where);
    }

    /** Keeps this node alive and reaps nodes whose lease ran out. */
    private void beat() {
        if (closed) {
            return;
        }
        try {
            String renewed = await(redis.set(PREFIX + "node:" + node, "1",
                    SetArgs.Builder.xx().px(options.nodeLease().toMillis())));
            if (!"OK".equals(renewed)) {
                // The lease ran out (a long pause, or Redis was away longer than it): take it again, and
                // put back what the other nodes may have reaped meanwhile.
                await(redis.set(PREFIX + "node:" + node, "1", SetArgs.Builder.px(options.nodeLease().toMillis())));
                await(redis.sadd(PREFIX + "nodes", node));
                LOG.warn("signaling node {}: its lease had run out (or Redis restarted); renewed, its users and presence"
                        + " recorded again", node);
                lastHeartbeatNanos = System.nanoTime();
                lapsed.run();
            }
            lastHeartbeatNanos = System.nanoTime();
            for (String other : await(redis.smembers(PREFIX + "nodes"))) {
                if (!other.equals(node) && await(redis.exists(PREFIX + "node:" + other)) == 0) {
                    reapIfDead(other);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("signaling node {}: cluster heartbeat failed: {}", node, e.getMessage());
        }
    }

    private void reapIfDead(String dead) {
        List<Object> removed = await(script(reap, ScriptOutputType.MULTI, new String[0], PREFIX, dead));
        for (int i = 0; i + 1 < removed.size(); i += 2) {
            String event = ClusterRouting.presenceEvent(String.valueOf(removed.get(i)), String.valueOf(removed.get(i + 1)),
                    "member-left");
            redis.publish(ALL, event);
        }
        if (!removed.isEmpty()) {
            LOG.info("signaling node {}: node {} is gone; removed {} presence entries", node, dead, removed.size() / 2);
        }
    }

    @Override
    public Claim claim(String user, String conn, String presentedSecretHash, String tokenHash, String newSecretHash) {
        List<Object> r = await(script(claim, ScriptOutputType.MULTI, new String[] {PREFIX + "user:" + user},
                PREFIX, node, conn, nz(presentedSecretHash), nz(tokenHash), newSecretHash,
                Long.toString(USER_KEY_TTL_MILLIS)));
        String previous = String.valueOf(r.get(1));
        return new Claim(ClaimOutcome.valueOf(String.valueOf(r.get(0))), previous.isEmpty() ? null : previous,
                "secret".equals(String.valueOf(r.get(2))));
    }

    @Override
    public boolean reassert(String user, String conn, String secretHash, String tokenHash) {
        Long r = await(script(reassert, ScriptOutputType.INTEGER, new String[] {PREFIX + "user:" + user}, node, conn,
                secretHash, nz(tokenHash), Long.toString(USER_KEY_TTL_MILLIS)));
        return r == 1L;
    }

    @Override
    public void release(String user, long reservationMillis) {
        script(release, ScriptOutputType.INTEGER, new String[] {PREFIX + "user:" + user}, node,
                Long.toString(reservationMillis)).exceptionally(e -> {
                    LOG.warn("signaling node {}: could not release {} in Redis ({}); it expires by itself", node, user,
                            e.getMessage());
                    return null;
                });
    }

    @Override
    public void refresh(Collection<String> users) {
        List<String> all = new ArrayList<>(users);
        for (int i = 0; i < all.size(); i += 500) {
            String[] keys = all.subList(i, Math.min(all.size(), i + 500)).stream().map(u -> PREFIX + "user:" + u)
                    .toArray(String[]::new);
            await(script(refresh, ScriptOutputType.INTEGER, keys, node, Long.toString(USER_KEY_TTL_MILLIS)));
        }
    }

    @Override
    public Owner owner(String user) {
        return await(ownerAsync(user).toCompletableFuture());
    }

    @Override
    public CompletionStage<Owner> ownerAsync(String user) {
        return script(owner, ScriptOutputType.MULTI, new String[] {PREFIX + "user:" + user}, PREFIX)
                .thenApply(r -> {
                    List<?> l = (List<?>) r;
                    return l.isEmpty() ? null : new Owner(String.valueOf(l.get(0)), String.valueOf(l.get(1)));
                });
    }

    @Override
    public CompletionStage<Boolean> send(String target, String payload) {
        return redis.publish(PREFIX + "to:" + target, payload).thenApply(n -> n != null && n > 0);
    }

    @Override
    public void broadcast(String payload) {
        redis.publish(ALL, payload).exceptionally(e -> {
            LOG.warn("signaling node {}: cluster broadcast lost: {}", node, e.getMessage());
            return null;
        });
    }

    @Override
    public int join(String session, String user, int maxMembers) {
        Long r = await(script(join, ScriptOutputType.INTEGER, new String[0], PREFIX, session, user, node,
                Integer.toString(maxMembers)));
        return r.intValue();
    }

    @Override
    public boolean leave(String session, String user) {
        Long r = await(script(leave, ScriptOutputType.INTEGER, new String[0], PREFIX, session, user, node));
        return r == 1L;
    }

    @Override
    public List<String> members(String session) {
        List<String> m = new ArrayList<>(await(redis.hkeys(PREFIX + "session:" + session)));
        m.sort(null);
        return m;
    }

    @Override
    public String unhealthyReason() {
        StatefulRedisPubSubConnection<String, String> p = pubsub;
        if (closed) {
            return "closed";
        }
        if (p == null || !p.isOpen() || !connection.isOpen()) {
            return "connection to Redis lost";
        }
        long silent = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastHeartbeatNanos);
        if (silent > options.nodeLease().toMillis()) {
            return "Redis has not answered the heartbeat for " + silent + " ms";
        }
        return null;
    }

    @Override
    public void close() {
        closed = true;
        heartbeat.shutdownNow();
        try {
            if (leased && redis != null && connection.isOpen()) {
                redis.del(PREFIX + "node:" + node).get(timeoutMillis, TimeUnit.MILLISECONDS);
                reapIfDead(node); // a clean exit tells the others its members left, at once
            }
        } catch (Exception e) {
            LOG.debug("signaling node {}: leaving the cluster: {}", node, e.toString());
        }
        if (pubsub != null) {
            pubsub.close();
        }
        if (connection != null) {
            connection.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        // returns once Lettuce's threads have stopped (bounded), as SignalingServer.close() promises
        resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        try {
            heartbeat.awaitTermination(5, TimeUnit.SECONDS);
            // Netty completes an event loop's termination future from inside its thread, a moment before
            // the thread ends: join them, so that no Lettuce thread outlives close()
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (Thread t : startedThreads()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left > 0) {
                    t.join(left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lettuce's own thread factory (Netty's, daemon threads), keeping each thread it makes for {@link #close()}. */
    private ThreadFactory recordingThreadFactory(String poolName) {
        ThreadFactory netty = new DefaultThreadFactory(poolName, true);
        return task -> recorded(netty.newThread(task));
    }

    private Thread recorded(Thread t) {
        synchronized (startedThreads) {
            startedThreads.add(t);
        }
        return t;
    }

    private List<Thread> startedThreads() {
        synchronized (startedThreads) {
            return new ArrayList<>(startedThreads);
        }
    }

    private <T> CompletableFuture<T> script(Script s, ScriptOutputType type, String[] keys, String... args) {
        CompletableFuture<T> out = new CompletableFuture<>();
        RedisFuture<T> f = redis.evalsha(s.sha, type, keys, args);
        f.whenComplete((v, e) -> {
            if (e == null) {
                out.complete(v);
            } else if (unwrap(e) instanceof RedisNoScriptException) {
                // Redis restarted (its script cache is empty): send the source once, which caches it again.
                redis.<T>eval(s.source, type, keys, args).whenComplete((v2, e2) -> {
                    if (e2 == null) {
                        out.complete(v2);
                    } else {
                        out.completeExceptionally(e2);
                    }
                });
            } else {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    private <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterUnavailableException("interrupted while waiting for Redis", e);
        } catch (ExecutionException e) {
            throw new ClusterUnavailableException("Redis: " + unwrap(e).getMessage(), unwrap(e));
        } catch (TimeoutException e) {
            throw new ClusterUnavailableException("Redis did not answer within " + timeoutMillis + " ms", e);
        }
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof ExecutionException || e instanceof java.util.concurrent.CompletionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
