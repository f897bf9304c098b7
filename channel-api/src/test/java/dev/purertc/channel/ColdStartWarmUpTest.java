package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ColdStartWarmUpTest {

    /** Once per JVM: every factory gets the same run, which does all its steps and leaves no thread. */
    @Test
    void runsOnceCompletesAndLeavesNoThread() throws Exception {
        try (PeerConnectionFactory first = new PeerConnectionFactory();
             PeerConnectionFactory second = new PeerConnectionFactory()) {
            assertSame(ColdStartWarmUp.startOnce(), ColdStartWarmUp.startOnce());
            assertEquals(true, ColdStartWarmUp.startOnce().get(30, TimeUnit.SECONDS));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> left = warmUpThreads();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling: there is no event for a thread's end
            left = warmUpThreads();
        }
        assertEquals(List.of(), left);
    }

    private static List<String> warmUpThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(ColdStartWarmUp.THREAD_NAME_PREFIX))
                .map(Thread::getName)
                .sorted()
                .toList();
    }
}
