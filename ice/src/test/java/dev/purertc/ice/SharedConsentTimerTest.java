package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * The shared consent timer runs every agent's periodic check in one scheduled run per period, and a
 * cancelled registration leaves the round (and the last one the timer queue and its thread). Periods here
 * (37 and 41 ms) are ones no agent uses (theirs are 20-250 ms from {@link IceTimeouts}, 250 by default),
 * and each test starts with the timer stopped: no agent is open between test classes.
 */
class SharedConsentTimerTest {

    /**
     * Asserts the runs waiting in the timer's queue. A round that is running at that moment is out of the
     * queue (on a loaded machine a 37 ms period can pass while a test registers a thousand tasks); it takes
     * microseconds and goes back, so the count is read again until it matches, for up to 5 s.
     */
    private static void assertQueuedRuns(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        int seen = SharedConsentTimer.queuedRuns();
        while (seen != expected && System.nanoTime() < deadline) {
            Thread.sleep(1);
            seen = SharedConsentTimer.queuedRuns();
        }
        assertEquals(expected, seen, "runs in the timer's queue");
    }

    @Test
    void thousandTasksOfOnePeriodShareOneQueuedRunAndAllRun() throws Exception {
        assertFalse(SharedConsentTimer.running(), "an agent left open by another test holds the timer");
        int n = 1000;
        CountDownLatch eachRanTwice = new CountDownLatch(n);
        List<SharedConsentTimer.Registration> registrations = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            AtomicInteger runs = new AtomicInteger();
            registrations.add(SharedConsentTimer.every(37, () -> {
                if (runs.incrementAndGet() == 2) {
                    eachRanTwice.countDown();
                }
            }));
        }
        assertEquals(n, SharedConsentTimer.registered(37));
        assertQueuedRuns(1);
        assertTrue(eachRanTwice.await(20, TimeUnit.SECONDS), eachRanTwice.getCount() + " tasks ran fewer than twice");

        for (int i = 0; i < n - 1; i++) {
            registrations.get(i).cancel();
        }
        assertEquals(1, SharedConsentTimer.registered(37));
        assertQueuedRuns(1);
        registrations.get(n - 1).cancel();
        registrations.get(n - 1).cancel();    // idempotent
        assertEquals(0, SharedConsentTimer.registered(37));
        assertEquals(0, SharedConsentTimer.queuedRuns());
        assertFalse(SharedConsentTimer.running());
    }

    @Test
    void eachPeriodHasItsOwnRunAndACancelledTaskStopsRunning() throws Exception {
        assertFalse(SharedConsentTimer.running(), "an agent left open by another test holds the timer");
        AtomicInteger cancelledRuns = new AtomicInteger();
        CountDownLatch otherRuns = new CountDownLatch(5);
        SharedConsentTimer.Registration a = SharedConsentTimer.every(37, cancelledRuns::incrementAndGet);
        SharedConsentTimer.Registration b = SharedConsentTimer.every(41, otherRuns::countDown);
        assertQueuedRuns(2);
        a.cancel();
        int runsAtCancel = cancelledRuns.get();
        assertQueuedRuns(1);
        assertTrue(otherRuns.await(20, TimeUnit.SECONDS));
        // Five runs of the 41 ms round later, the 37 ms task has not run again (a run already under way when
        // cancel() was called may finish: at most one more).
        assertTrue(cancelledRuns.get() <= runsAtCancel + 1, cancelledRuns.get() + " runs, " + runsAtCancel + " at cancel");
        b.cancel();
        assertFalse(SharedConsentTimer.running());
    }

    @Test
    void aTaskThatIsDueLaterIsSkippedUntilThenOrUntilWoken() throws Exception {
        assertFalse(SharedConsentTimer.running(), "an agent left open by another test holds the timer");
        List<Long> runsAt = java.util.Collections.synchronizedList(new ArrayList<>());
        SharedConsentTimer.Registration sleeper = SharedConsentTimer.every(37, now -> {
            runsAt.add(now);
            return now + 60_000;   // nothing to do for a minute
        });
        CountDownLatch rounds = new CountDownLatch(6);
        SharedConsentTimer.Registration everyRound = SharedConsentTimer.every(37, now -> {
            rounds.countDown();
            return now;
        });
        try {
            assertTrue(rounds.await(20, TimeUnit.SECONDS));
            // six rounds ran; the sleeper ran in the first one only
            assertEquals(1, runsAt.size(), "runs at " + runsAt);
            CountDownLatch woken = new CountDownLatch(1);
            sleeper.wake();
            SharedConsentTimer.Registration watcher = SharedConsentTimer.every(37, now -> {
                if (runsAt.size() == 2) {
                    woken.countDown();
                }
                return now;
            });
            assertTrue(woken.await(20, TimeUnit.SECONDS), "woken task did not run: runs at " + runsAt);
            watcher.cancel();
            CountDownLatch more = new CountDownLatch(4);
            SharedConsentTimer.Registration counter = SharedConsentTimer.every(37, now -> {
                more.countDown();
                return now;
            });
            assertTrue(more.await(20, TimeUnit.SECONDS));
            counter.cancel();
            assertEquals(2, runsAt.size(), "a wake runs the task once, then its due time holds again: " + runsAt);
        } finally {
            sleeper.cancel();
            everyRound.cancel();
        }
        assertFalse(SharedConsentTimer.running());
    }

    @Test
    void aThrowingTaskIsLoggedAndDoesNotStopTheOthersOfItsRound() throws Exception {
        assertFalse(SharedConsentTimer.running(), "an agent left open by another test holds the timer");
        AtomicInteger thrown = new AtomicInteger();
        CountDownLatch othersRan = new CountDownLatch(3);
        SharedConsentTimer.Registration bad = SharedConsentTimer.every(37, () -> {
            thrown.incrementAndGet();
            throw new IllegalStateException("test: a broken task");
        });
        SharedConsentTimer.Registration good = SharedConsentTimer.every(37, othersRan::countDown);
        assertTrue(othersRan.await(20, TimeUnit.SECONDS));
        assertTrue(thrown.get() >= 2, "the throwing task ran " + thrown.get() + " times");
        bad.cancel();
        good.cancel();
        assertFalse(SharedConsentTimer.running());
    }
}
