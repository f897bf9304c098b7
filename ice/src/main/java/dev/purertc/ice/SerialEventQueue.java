package dev.purertc.ice;

import java.util.ArrayDeque;
import java.util.Queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs listener calls one at a time, in submission order, on whichever submitting thread finds the queue
 * idle; no thread of its own, and no caller's lock is held while a call runs (callers submit after
 * releasing their locks).
 */
final class SerialEventQueue {

    private static final Logger LOG = LoggerFactory.getLogger(SerialEventQueue.class);

    private final Queue<Runnable> pending = new ArrayDeque<>();
    private boolean draining;

    void submit(Runnable event) {
        synchronized (pending) {
            pending.add(event);
            if (draining) {
                return;
            }
            draining = true;
        }
        while (true) {
            Runnable next;
            synchronized (pending) {
                next = pending.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                LOG.warn("ICE listener threw", e);
            }
        }
    }
}
