package dev.purertc.ice;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon timer thread shared by every open {@link IceAgent} for consent bookkeeping. It exists only
 * while at least one agent is open: the last {@link #release()} shuts it down, so a closed stack leaves no
 * thread behind.
 */
final class SharedConsentTimer {

    private static ScheduledThreadPoolExecutor executor;
    private static int users;

    private SharedConsentTimer() {
    }

    /** Registers a user; pair with {@link #release()}. */
    static synchronized ScheduledExecutorService acquire() {
        if (executor == null) {
            executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "purertc-ice-consent");
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
        }
        users++;
        return executor;
    }

    static synchronized void release() {
        if (users == 0) {
            return;
        }
        users--;
        if (users == 0) {
            executor.shutdownNow();
            executor = null;
        }
    }

    static ScheduledFuture<?> every(ScheduledExecutorService timer, long periodMillis, Runnable task) {
        return timer.scheduleWithFixedDelay(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }
}
