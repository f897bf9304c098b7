package dev.purertc.ice;

import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadPoolExecutor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds ice4j's three process-wide cached thread pools, which otherwise grow with load (issue 11 measured
 * ice4j's {@code NetAccessManager} pool at 422-771 threads with 500 connections): {@code NetAccessManager}'s
 * STUN message processing, {@code Agent}'s check pacers and {@code StunClientTransaction}'s retransmissions.
 *
 * <p>Each pool keeps its queue (ice4j builds them with {@code Executors.newCachedThreadPool}, a hand-off
 * queue that holds nothing), so a bound alone would make ice4j's {@code execute} throw when every thread is
 * busy. Instead a task that finds all {@link #maxThreadsPerPool()} threads busy runs on the thread that
 * submitted it ({@link ThreadPoolExecutor.CallerRunsPolicy}): a socket reader processes its own STUN message,
 * a timer sends its own retransmission. That is back-pressure, never loss, and the tasks ice4j submits are
 * short (decode and answer a message, send a request), none waits for another task.
 *
 * <p>ice4j's pools are {@code static final} fields without a setter, so they are found by reflection and
 * reconfigured in place; pinned to ice4j 3.2's field names ({@code Ice4jThreadPoolsTest} fails if they
 * change). Applied once, before the first agent is built ({@link Ice4jRuntime}); {@link #limit(int)} changes
 * the bound for the whole process.
 */
public final class Ice4jThreadPools {

    private static final Logger LOG = LoggerFactory.getLogger(Ice4jThreadPools.class);

    /**
     * Default bound per pool: 4 per available processor, at least 8, at most 64. Tasks are short and mostly
     * CPU, so more threads than that only queue in the scheduler; 3 pools x 8 on a 2-core machine.
     */
    public static final int DEFAULT_MAX_THREADS_PER_POOL =
            Math.max(8, Math.min(64, 4 * Runtime.getRuntime().availableProcessors()));

    /** Pool name to (class, static field), as ice4j 3.2 declares them. */
    private static final Map<String, String[]> POOLS = new LinkedHashMap<>();

    static {
        POOLS.put("NetAccessManager", new String[] {"org.ice4j.stack.NetAccessManager", "messageProcessingExecutor"});
        POOLS.put("Agent", new String[] {"org.ice4j.ice.Agent", "agentTasksExecutor"});
        POOLS.put("StunClientTransaction",
                new String[] {"org.ice4j.stack.StunClientTransaction", "retransmissionExecutor"});
    }

    private static int maxThreads = DEFAULT_MAX_THREADS_PER_POOL;
    private static boolean applied;

    private Ice4jThreadPools() {
    }

    /**
     * Sets the bound of each of ice4j's three pools for this process (applied at once if agents exist, else
     * before the first one).
     *
     * @throws IllegalArgumentException if {@code maxThreadsPerPool} is below 1
     */
    public static synchronized void limit(int maxThreadsPerPool) {
        if (maxThreadsPerPool < 1) {
            throw new IllegalArgumentException("maxThreadsPerPool must be at least 1, got " + maxThreadsPerPool);
        }
        maxThreads = maxThreadsPerPool;
        if (applied) {
            apply();
        }
    }

    /** The bound each pool has, or will have once the first agent is built. */
    public static synchronized int maxThreadsPerPool() {
        return maxThreads;
    }

    /** Bounds the pools (idempotent); called before the first ice4j agent is built. */
    static synchronized void ensureApplied() {
        if (!applied) {
            apply();
            applied = true;
        }
    }

    private static void apply() {
        for (String name : POOLS.keySet()) {
            ThreadPoolExecutor pool = pool(name);
            pool.setMaximumPoolSize(maxThreads);
            pool.setRejectedExecutionHandler(new ThreadPoolExecutor.CallerRunsPolicy());
        }
        LOG.debug("ice4j thread pools bounded to {} threads each", maxThreads);
    }

    /**
     * ice4j's pool {@code name} ({@code NetAccessManager}, {@code Agent} or {@code StunClientTransaction}).
     *
     * @throws IllegalStateException if ice4j's internals are not those of ice4j 3.2
     */
    static ThreadPoolExecutor pool(String name) {
        String[] where = POOLS.get(name);
        if (where == null) {
            throw new IllegalArgumentException("no ice4j pool " + name);
        }
        try {
            Field field = Class.forName(where[0]).getDeclaredField(where[1]);
            field.setAccessible(true);
            Object value = field.get(null);
            if (value instanceof ThreadPoolExecutor executor) {
                return executor;
            }
            throw new IllegalStateException("ice4j's " + where[0] + "." + where[1] + " is a "
                    + (value == null ? "null" : value.getClass().getName()) + ", not a ThreadPoolExecutor");
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (e instanceof IllegalStateException ise) {
                throw ise;
            }
            throw new IllegalStateException("ice4j's thread pools are not those of ice4j 3.2: " + e, e);
        }
    }
}
