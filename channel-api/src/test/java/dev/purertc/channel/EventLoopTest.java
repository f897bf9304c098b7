package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class EventLoopTest {

    @Test
    void runsTasksInSubmissionOrderOnItsOwnThreadAndSurvivesAThrowingTask() throws Exception {
        EventLoop loop = new EventLoop("test-loop-order");
        List<Integer> seen = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        boolean[] onLoop = new boolean[1];
        for (int i = 0; i < 1000; i++) {
            int n = i;
            loop.execute(() -> seen.add(n));
            if (i == 500) {
                loop.execute(() -> {
                    throw new IllegalStateException("a listener failed");
                });
            }
        }
        loop.execute(() -> {
            onLoop[0] = loop.inLoop() && EventLoop.onAnyLoop();
            done.countDown();
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertTrue(onLoop[0]);
        assertFalse(loop.inLoop());
        assertFalse(EventLoop.onAnyLoop());
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            expected.add(i);
        }
        assertEquals(expected, seen);
        loop.shutdown(10_000);
    }

    @Test
    void timeoutsFireInDeadlineOrderAndCancelledOnesNever() throws Exception {
        EventLoop loop = new EventLoop("test-loop-timers");
        List<String> fired = new ArrayList<>();
        CountDownLatch last = new CountDownLatch(1);
        loop.execute(() -> {
            long now = System.nanoTime();
            loop.schedule(() -> fired.add("30ms"), now + 30_000_000L);
            loop.schedule(() -> fired.add("10ms"), now + 10_000_000L);
            EventLoop.Timeout cancelled = loop.schedule(() -> fired.add("cancelled"), now + 20_000_000L);
            cancelled.cancel();
            loop.schedule(() -> {
                fired.add("40ms");
                last.countDown();
            }, now + 40_000_000L);
        });
        assertTrue(last.await(10, TimeUnit.SECONDS));
        CountDownLatch read = new CountDownLatch(1);
        List<String> copy = new ArrayList<>();
        loop.execute(() -> {
            copy.addAll(fired);
            read.countDown();
        });
        assertTrue(read.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("10ms", "30ms", "40ms"), copy);
        assertThrows(IllegalStateException.class, () -> loop.schedule(() -> { }, System.nanoTime()));
        loop.shutdown(10_000);
    }

    @Test
    void shutdownEndsTheThreadAndRefusesNewTasks() throws Exception {
        EventLoop loop = new EventLoop("test-loop-shutdown");
        loop.shutdown(10_000);
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("test-loop-shutdown") && t.isAlive()));
        assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> { }));
    }
}
