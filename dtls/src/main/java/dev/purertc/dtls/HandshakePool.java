package dev.purertc.dtls;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shared default pool that runs BouncyCastle's blocking handshakes. A thread is busy only for
 * the duration of one handshake and ends after one idle second, so no thread outlives the
 * handshakes that needed it. Unbounded queueing is avoided on purpose: when both ends of many
 * connections live in one JVM, a small fixed pool could fill with clients waiting on servers
 * that never get a thread.
 */
final class HandshakePool {
    /** Prefix of the names of every thread this module creates. */
    static final String THREAD_NAME_PREFIX = "purertc-dtls-handshake-";
    private static final int MAX_THREADS = 512;

    private static final ExecutorService SHARED = create();

    private HandshakePool() {
    }

    static ExecutorService shared() {
        return SHARED;
    }

    private static ExecutorService create() {
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread t = new Thread(runnable, THREAD_NAME_PREFIX + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return new ThreadPoolExecutor(0, MAX_THREADS, 1, TimeUnit.SECONDS, new SynchronousQueue<>(), factory);
    }
}
