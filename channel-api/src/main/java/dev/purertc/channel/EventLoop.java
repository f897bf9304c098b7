package dev.purertc.channel;

import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One serial event loop: a single thread that runs submitted tasks in order and the timeouts its
 * connections arm. Tasks arrive through a lock-free queue and the thread is only unparked when it is
 * idle, so handing an inbound packet to the loop costs one queue insertion while the loop is busy.
 * Timeouts live in a heap touched only by the loop thread.
 */
final class EventLoop {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);

    /** A timeout armed with {@link #schedule}; {@link #cancel()} must be called on the loop. */
    static final class Timeout implements Comparable<Timeout> {
        final long deadline;
        final Runnable task;
        boolean cancelled;

        Timeout(long deadline, Runnable task) {
            this.deadline = deadline;
            this.task = task;
        }

        void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timeout o) {
            return Long.compare(deadline, o.deadline);
        }
    }

    private static final ThreadLocal<EventLoop> CURRENT = new ThreadLocal<>();

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timeout> timeouts = new PriorityQueue<>();
    private final AtomicBoolean parked = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean running = true;

    EventLoop(String name) {
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** True on the thread of any event loop: such a thread must never wait for another loop. */
    static boolean onAnyLoop() {
        return CURRENT.get() != null;
    }

    /** Queues {@code task}; it runs on the loop after every task queued before it. */
    void execute(Runnable task) {
        if (!running) {
            throw new java.util.concurrent.RejectedExecutionException("event loop " + thread.getName() + " stopped");
        }
        tasks.offer(task);
        if (parked.compareAndSet(true, false)) {
            LockSupport.unpark(thread);
        }
    }

    /** Queues {@code task} and returns a future of its completion. */
    java.util.concurrent.Future<?> submit(Runnable task) {
        FutureTask<Void> f = new FutureTask<>(task, null);
        execute(f);
        return f;
    }

    /** On the loop only: runs {@code task} on the loop at {@code deadline} ({@link System#nanoTime()} based). */
    Timeout schedule(Runnable task, long deadline) {
        if (!inLoop()) {
            throw new IllegalStateException("schedule is for the loop thread");
        }
        Timeout t = new Timeout(deadline, task);
        timeouts.add(t);
        return t;
    }

    /** Stops the loop after the tasks already queued; waits for its thread up to {@code millis}. */
    void shutdown(long millis) throws InterruptedException {
        execute(() -> running = false);
        thread.join(millis);
    }

    private void run() {
        CURRENT.set(this);
        while (running) {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                runLogged(task);
            }
            long now = System.nanoTime();
            Timeout next;
            while ((next = timeouts.peek()) != null && (next.cancelled || next.deadline - now <= 0)) {
                timeouts.poll();
                if (!next.cancelled) {
                    runLogged(next.task);
                }
            }
            if (!tasks.isEmpty() || !running) {
                continue;
            }
            parked.set(true);
            // Re-check after announcing the park: a task queued before the flag was set is seen here,
            // one queued after it unparks us.
            if (tasks.isEmpty()) {
                Timeout first = timeouts.peek();
                if (first == null) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, Math.max(1, first.deadline - System.nanoTime()));
                }
            }
            parked.set(false);
        }
        timeouts.clear();
        tasks.clear();
    }

    /** A task that throws must not end the loop: listeners are user code. */
    private static void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.warn("event loop task failed", e);
        }
    }
}
