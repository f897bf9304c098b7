package dev.purertc.ice;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon timer thread shared by every open {@link IceAgent} for consent bookkeeping, running each
 * agent's periodic check in rounds: one scheduled task per period, which runs every task registered with
 * that period. With thousands of agents, a scheduled task per agent made the timer's own queue the cost
 * (issue 11: at 2,000 connections, re-sorting the delay queue on every run took about a third of the
 * process's idle CPU); a round costs one queue operation whatever the number of agents.
 *
 * <p>The thread exists only while at least one task is registered: the last {@link Registration#cancel()}
 * shuts it down, so a closed stack leaves no thread behind. A task that throws is logged and stays
 * registered (the other agents of its round still run).
 */
final class SharedConsentTimer {

    private static final Logger LOG = LoggerFactory.getLogger(SharedConsentTimer.class);

    /** A registered periodic task; {@link #cancel()} removes it from its round (idempotent). */
    interface Registration {
        void cancel();

        /** Runs the task in the next round even if it said it had nothing to do until later (any thread). */
        void wake();
    }

    /**
     * A task that says when it next has something to do: rounds before that time skip it without touching
     * its state. With thousands of idle agents, visiting each one every round was most of the timer's work
     * (issue 11: 83 % of idle CPU at 5,000 pairs was this thread, mostly cache misses on each agent's objects).
     */
    @FunctionalInterface
    interface DueTask {
        /**
         * Runs at {@code nowMillis} (wall clock); returns the earliest wall-clock time at which it must run
         * again. It then runs in the first round at or after that time, or sooner after {@link Registration#wake()}.
         * Returning {@code nowMillis} or less means every round.
         */
        long run(long nowMillis);
    }

    /** The tasks that share one period, and the one scheduled run that drives them. */
    private static final class Round implements Runnable {
        final Set<Entry> tasks = ConcurrentHashMap.newKeySet();
        ScheduledFuture<?> future;

        @Override
        public void run() {
            long now = System.currentTimeMillis();
            for (Entry e : tasks) {
                if (now < e.dueMillis && !e.woken) {
                    continue;
                }
                e.woken = false;   // before the run: a wake() during it runs the task again next round
                try {
                    e.dueMillis = e.task.run(now);
                } catch (RuntimeException ex) {
                    e.dueMillis = 0;
                    LOG.warn("a consent task threw; it stays scheduled", ex);
                }
            }
        }
    }

    private static final class Entry implements Registration {
        final long periodMillis;
        final DueTask task;
        /** Written by the timer thread only. */
        long dueMillis;
        volatile boolean woken;

        Entry(long periodMillis, DueTask task) {
            this.periodMillis = periodMillis;
            this.task = task;
        }

        @Override
        public void cancel() {
            remove(this);
        }

        @Override
        public void wake() {
            woken = true;
        }
    }

    private static ScheduledThreadPoolExecutor executor;
    private static final Map<Long, Round> ROUNDS = new HashMap<>();

    private SharedConsentTimer() {
    }

    /**
     * Runs {@code task} every {@code periodMillis} (the first run one period from now, or sooner if the
     * round of that period is already running) until its registration is cancelled.
     */
    static Registration every(long periodMillis, Runnable task) {
        return every(periodMillis, now -> {
            task.run();
            return now;
        });
    }

    /**
     * Runs {@code task} in rounds every {@code periodMillis}, skipping the rounds before the time it returned
     * (see {@link DueTask}), until its registration is cancelled.
     */
    static synchronized Registration every(long periodMillis, DueTask task) {
        if (periodMillis < 1) {
            throw new IllegalArgumentException("period must be at least 1 ms, got " + periodMillis);
        }
        if (executor == null) {
            executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "purertc-ice-consent");
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
        }
        Round round = ROUNDS.get(periodMillis);
        if (round == null) {
            round = new Round();
            round.future = executor.scheduleWithFixedDelay(round, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
            ROUNDS.put(periodMillis, round);
        }
        Entry entry = new Entry(periodMillis, task);
        round.tasks.add(entry);
        return entry;
    }

    /**
     * Runs {@code task} once, {@code delayMillis} from now, on the timer thread; for an agent that holds a
     * registration (the timer runs while any does).
     *
     * @throws RejectedExecutionException when no registration keeps the timer running
     */
    static synchronized ScheduledFuture<?> once(long delayMillis, Runnable task) {
        if (executor == null) {
            throw new RejectedExecutionException("the shared ICE timer is stopped: no agent is registered");
        }
        return executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    private static synchronized void remove(Entry entry) {
        Round round = ROUNDS.get(entry.periodMillis);
        if (round == null || !round.tasks.remove(entry)) {
            return;
        }
        if (round.tasks.isEmpty()) {
            round.future.cancel(false);
            ROUNDS.remove(entry.periodMillis);
            if (ROUNDS.isEmpty()) {
                executor.shutdownNow();
                executor = null;
            }
        }
    }

    /** Test hook: tasks registered with {@code periodMillis}. */
    static synchronized int registered(long periodMillis) {
        Round round = ROUNDS.get(periodMillis);
        return round == null ? 0 : round.tasks.size();
    }

    /** Test hook: runs waiting in the timer's queue (one per period in use), 0 when the timer is stopped. */
    static synchronized int queuedRuns() {
        return executor == null ? 0 : executor.getQueue().size();
    }

    /** Test hook: whether the timer thread's executor exists. */
    static synchronized boolean running() {
        return executor != null;
    }
}
