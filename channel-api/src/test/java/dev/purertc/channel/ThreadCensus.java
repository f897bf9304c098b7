package dev.purertc.channel;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Test helper: which threads appeared since a baseline, with a bounded wait for them to end. */
final class ThreadCensus {

    /**
     * ice4j's process-wide pools (checks, STUN transactions, timers) start on first use and stay for the
     * life of the JVM; they are not per connection (see the ice module's package docs).
     */
    static boolean isIce4jSharedPool(String name) {
        return name.startsWith("ice4j.") || name.startsWith("ice4j-");
    }

    private final Set<Thread> baseline;

    ThreadCensus() {
        baseline = Set.copyOf(Thread.getAllStackTraces().keySet());
    }

    /** Threads alive now that were not alive at the baseline, ice4j's shared pools excepted. */
    Set<String> newThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !baseline.contains(t) && !isIce4jSharedPool(t.getName()))
                .map(Thread::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Waits until every new thread has ended; returns the ones still alive after {@code bound}. */
    Set<String> awaitNoNewThreads(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        Set<String> left = newThreads();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling Thread.getAllStackTraces: there is no event for a thread's end
            left = newThreads();
        }
        return left;
    }
}
