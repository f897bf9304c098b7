package dev.purertc.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;


/**
 * Owns what peer connections share: a few serial event loops (each connection's SCTP association, data
 * channels, timers and listener calls run on one of them, many connections per loop), and the pool
 * that runs BouncyCastle's blocking DTLS handshakes. No thread is parked per connection after setup
 * beyond ice4j's socket reader.
 *
 * <p>Threads it starts: {@code purertc-loop-N} (one per loop, for the factory's lifetime) and
 * {@code purertc-dtls-N} (only while handshakes run, or while a failed or peer-closed connection's
 * sockets are released; idle ones end after one second). {@link #close()}
 * closes every connection still open and stops all of them.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public final class PeerConnectionFactory implements AutoCloseable {

    private static final AtomicInteger FACTORIES = new AtomicInteger();
    /** Handshakes run concurrently without queueing: with both ends of many connections in one JVM a
     *  bounded pool could fill with clients waiting for servers that never get a thread. */
    private static final int MAX_HANDSHAKE_THREADS = 512;

    private final List<EventLoop> loops = new ArrayList<>();
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
            loops.add(new EventLoop("purertc-loop-" + factory + "-" + i));
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
        EventLoop loop = loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size()));
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

    /**
     * Runs {@code task} on the handshake pool's threads: blocking work such as releasing a failed
     * connection's ICE agent, which must not hold up an event loop or an ICE callback thread. Runs it
     * inline once the factory is closing.
     */
    void runBlocking(Runnable task) {
        try {
            handshakePool.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            task.run();
        }
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
        handshakePool.shutdown();
        try {
            for (EventLoop loop : loops) {
                loop.shutdown(10_000);
            }
            handshakePool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
