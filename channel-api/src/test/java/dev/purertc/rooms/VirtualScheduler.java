package dev.purertc.rooms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Test clock for request timeouts: tasks run only when the test advances time. */
final class VirtualScheduler implements TimeoutScheduler {

    private record Task(long due, Runnable run, boolean[] cancelled) {
    }

    private final List<Task> tasks = new ArrayList<>();
    private long now;

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        boolean[] cancelled = new boolean[1];
        tasks.add(new Task(now + delay.toMillis(), task, cancelled));
        return () -> {
            synchronized (VirtualScheduler.this) {
                cancelled[0] = true;
            }
        };
    }

    /** Moves the clock forward and runs every task now due. */
    void advance(Duration d) {
        List<Task> due = new ArrayList<>();
        synchronized (this) {
            now += d.toMillis();
            tasks.removeIf(t -> {
                if (t.cancelled[0]) {
                    return true;
                }
                if (t.due <= now) {
                    due.add(t);
                    return true;
                }
                return false;
            });
        }
        due.forEach(t -> t.run.run());
    }

    /** Scheduled and not cancelled. */
    synchronized int live() {
        return (int) tasks.stream().filter(t -> !t.cancelled[0]).count();
    }
}
