package dev.purertc.ice;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.Future;

import org.ice4j.stack.StunStack;
import org.ice4j.stack.TransactionID;

/**
 * Stops the retransmission timer of an ice4j client transaction whose response has been handled.
 *
 * <p>ice4j's {@code StunClientTransaction.sendRequest} sends the request and only then schedules its
 * retransmitter. When the response is handled on another thread in between (on loopback, or with a fast
 * peer, a response can be back within microseconds), {@code handleResponse} cancels a retransmitter that is not
 * running yet, and the schedule that follows starts it anyway: it then fires every wait interval until its
 * last retransmission (for consent, about 60 times over 30 s), sending nothing (the transaction is cancelled)
 * but costing a timer task, a thread hand-off and ice4j's log strings each time. Issue 11 measured thousands of
 * such zombies at 1,000 pairs, the largest idle CPU cost. PureRTC delivers the STUN it reads itself (shared
 * port, shared reader) through {@link Ice4jStunDelivery}, which calls {@link #stop} after each response: the
 * retransmitter's pending run is cancelled, and one not scheduled yet is marked so its schedule does nothing.
 *
 * <p>ice4j keeps these fields private ({@code StunStack.clientTransactions},
 * {@code StunClientTransaction.retransmitter}, {@code PeriodicRunnable}'s {@code syncRoot}, {@code running},
 * {@code scheduledSubmit}, {@code submittedExecute}); pinned to ice4j 3.2 ({@code AnsweredTransactionRetransmitterTest}
 * fails if they change).
 */
final class AnsweredTransactionRetransmitter {

    private static final Field CLIENT_TRANSACTIONS;
    private static final Field RETRANSMITTER;
    private static final Field SYNC_ROOT;
    private static final Field RUNNING;
    private static final Field SCHEDULED_SUBMIT;
    private static final Field SUBMITTED_EXECUTE;

    static {
        try {
            CLIENT_TRANSACTIONS = StunStack.class.getDeclaredField("clientTransactions");
            Class<?> transaction = Class.forName("org.ice4j.stack.StunClientTransaction");
            RETRANSMITTER = transaction.getDeclaredField("retransmitter");
            Class<?> periodic = Class.forName("org.ice4j.util.PeriodicRunnable");
            SYNC_ROOT = periodic.getDeclaredField("syncRoot");
            RUNNING = periodic.getDeclaredField("running");
            SCHEDULED_SUBMIT = periodic.getDeclaredField("scheduledSubmit");
            SUBMITTED_EXECUTE = periodic.getDeclaredField("submittedExecute");
            for (Field f : new Field[] {CLIENT_TRANSACTIONS, RETRANSMITTER, SYNC_ROOT, RUNNING, SCHEDULED_SUBMIT,
                    SUBMITTED_EXECUTE}) {
                f.setAccessible(true);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("ice4j's client transaction internals are not those of ice4j 3.2: "
                    + e);
        }
    }

    private AnsweredTransactionRetransmitter() {
    }

    /** The client transaction {@code stack} holds for {@code id}, or null; look it up before the response is handled. */
    static Object transaction(StunStack stack, TransactionID id) {
        try {
            return ((Map<?, ?>) CLIENT_TRANSACTIONS.get(stack)).get(id);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes sure {@code transaction}'s retransmitter neither runs again nor starts later. */
    static void stop(Object transaction) {
        try {
            Object retransmitter = RETRANSMITTER.get(transaction);
            synchronized (SYNC_ROOT.get(retransmitter)) {
                Future<?> scheduled = (Future<?>) SCHEDULED_SUBMIT.get(retransmitter);
                if (scheduled != null) {
                    scheduled.cancel(false);
                    SCHEDULED_SUBMIT.set(retransmitter, null);
                }
                // Never submitted: "running" makes the schedule still to come return at once. Submitted before:
                // not running, so a run under way does not schedule another (ice4j's own cancel state).
                RUNNING.setBoolean(retransmitter, SUBMITTED_EXECUTE.get(retransmitter) == null);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
