package dev.purertc.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns what peer connections share: a few serial event loops (each connection's SCTP association, data
 * channels, timers and listener calls run on one of them, many connections per loop), and the pool
 * that runs BouncyCastle's blocking DTLS handshakes. No thread is parked per connection after setup
 * beyond ice4j's socket reader.
 *
 * <p>Threads it starts: {@code purertc-loop-N} (one per loop, for the factory's lifetime) and
 * {@code purertc-dtls-N} (only while handshakes run; idle ones end after one second). {@link #close()}
 * closes every connection still open and stops all of them.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public final class PeerConnectionFactory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerConnectionFactory.class);

    private static final AtomicInteger FACTORIES = new AtomicInteger();
    /** Handshakes run concurrently without queueing: with both ends of many connections in one JVM a
     *  bounded pool could fill with clients waiting for servers that never get a thread. */
    private static final int MAX_HANDSHAKE_THREADS = 512;

    private final List<Loop> loops = new ArrayList<>();
    private final ThreadPoolExecutor handshakePool;
    private final Set<RTCPeerConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextLoop = new AtomicInteger();
    private volatile boolean closed;

    /** A factory with one event loop per available processor, at most four. */
    public PeerConnectionFactory() {
        this(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
    }

    /** A factory with {@code eventLoops} serial event loops. */
    public PeerConnectionFactory(int eventLoops) {
        if (eventLoops < 1 || eventLoops > 64) {
            throw new IllegalArgumentException("eventLoops must be 1..64, got " + eventLoops);
        }
        int factory = FACTORIES.incrementAndGet();
        for (int i = 0; i < eventLoops; i++) {
            loops.add(new Loop("purertc-loop-" + factory + "-" + i));
        }
        AtomicInteger handshakeThreads = new AtomicInteger();
        handshakePool = new ThreadPoolExecutor(0, MAX_HANDSHAKE_THREADS, 1, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "purertc-dtls-" + factory + "-" + handshakeThreads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * Creates a peer connection. Nothing is sent and no socket is opened until it gathers (at
     * {@code setLocalDescription}, or at once with a candidate pool).
     *
     * @param listener its events, called on the connection's event loop
     * @throws IllegalStateException if the factory is closed
     */
    public RTCPeerConnection createPeerConnection(RtcConfiguration configuration, PeerConnectionListener listener) {
        Objects.requireNonNull(configuration, "configuration");
        Objects.requireNonNull(listener, "listener");
        if (closed) {
            throw new IllegalStateException("the factory is closed");
        }
        Loop loop = loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size()));
        RTCPeerConnection pc = new RTCPeerConnection(this, loop, configuration, listener);
        open.add(pc);
        if (closed) {
            pc.close();
            throw new IllegalStateException("the factory is closed");
        }
        return pc;
    }

    /** Connections created and not yet closed. */
    public int openConnections() {
        return open.size();
    }

    ExecutorService handshakePool() {
        return handshakePool;
    }

    void forget(RTCPeerConnection pc) {
        open.remove(pc);
    }

    /** Closes every open connection, then stops the loops and the handshake pool and waits for them (bounded). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (RTCPeerConnection pc : List.copyOf(open)) {
            pc.close();
        }
        for (Loop loop : loops) {
            loop.executor.shutdown();
        }
        handshakePool.shutdown();
        try {
            for (Loop loop : loops) {
                loop.executor.awaitTermination(10, TimeUnit.SECONDS);
            }
            handshakePool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One serial event loop: a single thread running tasks in order and the timers of its connections. */
    static final class Loop {
        final ScheduledThreadPoolExecutor executor;
        private volatile Thread thread;

        Loop(String name) {
            executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                thread = t;
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            executor.prestartCoreThread();
        }

        boolean inLoop() {
            return Thread.currentThread() == thread;
        }

        void execute(Runnable task) {
            executor.execute(() -> runLogged(task));
        }

        Future<?> submit(Runnable task) {
            return executor.submit(() -> runLogged(task));
        }

        ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
            return executor.schedule(() -> runLogged(task), delay, unit);
        }

        /** A task that throws must not vanish silently into its future: listeners are user code. */
        private static void runLogged(Runnable task) {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.warn("event loop task failed", e);
            }
        }
    }
}
