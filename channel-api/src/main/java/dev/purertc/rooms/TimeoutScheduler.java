package dev.purertc.rooms;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Schedules request timeouts. The default is one shared daemon thread; tests inject a virtual clock.
 */
@FunctionalInterface
public interface TimeoutScheduler {

    /** A scheduled task that can be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }

    /** Runs {@code task} once after {@code delay}, on the scheduler's thread. */
    Cancellable schedule(Duration delay, Runnable task);

    /** A process-wide scheduler on one daemon thread ({@code purertc-rooms-timeouts}). */
    static TimeoutScheduler shared() {
        return SharedTimer.INSTANCE;
    }

    /** The shared daemon timer. */
    final class SharedTimer implements TimeoutScheduler {
        static final SharedTimer INSTANCE = new SharedTimer();
        private final ScheduledThreadPoolExecutor executor;

        private SharedTimer() {
            executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "purertc-rooms-timeouts");
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true); // answered requests leave nothing queued
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            ScheduledFuture<?> f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        }
    }
}
