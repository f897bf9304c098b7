package dev.purertc.ice;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.purertc.sdp.IceCandidate;
import dev.purertc.sdp.SdpParseException;

/** Test helper: an agent plus recorded events, with bounded waits on them. */
final class AgentPair {

    static final Duration WAIT = Duration.ofSeconds(20);

    /** One side: its agent and everything its listener reported. */
    static class Side implements IceAgentListener {
        final List<String> localCandidates = new CopyOnWriteArrayList<>();
        final List<IceConnectionState> states = new CopyOnWriteArrayList<>();
        final BlockingQueue<IceConnectionState> stateQueue = new LinkedBlockingQueue<>();
        final CountDownLatch endOfCandidates = new CountDownLatch(1);
        volatile IceAgentListener forward;
        IceAgent agent;

        @Override
        public void onLocalCandidate(IceCandidate candidate) {
            localCandidates.add(candidate.toCandidateString());
            IceAgentListener f = forward;
            if (f != null) {
                f.onLocalCandidate(candidate);
            }
        }

        @Override
        public void onEndOfCandidates() {
            endOfCandidates.countDown();
            IceAgentListener f = forward;
            if (f != null) {
                f.onEndOfCandidates();
            }
        }

        @Override
        public void onStateChange(IceConnectionState state) {
            states.add(state);
            stateQueue.add(state);
        }

        /** Waits until {@code state} is reported; fails after {@link #WAIT}. */
        void awaitState(IceConnectionState state) throws InterruptedException {
            awaitState(state, WAIT);
        }

        void awaitState(IceConnectionState state, Duration bound) throws InterruptedException {
            if (states.contains(state)) {
                return;
            }
            long deadline = System.nanoTime() + bound.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                IceConnectionState s = stateQueue.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (s == state || states.contains(state)) {
                    return;
                }
                if (s == null) {
                    throw new AssertionError("state " + state + " not reached within " + bound + "; saw " + states);
                }
            }
        }
    }

    static IceOptions loopbackOptions() {
        return IceOptions.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly()).build();
    }

    /** Waits until {@code condition} holds for {@code value}, polling every 10 ms, up to {@code bound}. */
    static <T> boolean eventually(T value, Predicate<T> condition, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.test(value)) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.test(value);
    }

    /** Hands every line to {@code to}, returning the outcomes in order. */
    static List<IceAgent.RemoteCandidateOutcome> feed(IceAgent to, List<String> lines) throws SdpParseException {
        List<IceAgent.RemoteCandidateOutcome> outcomes = new ArrayList<>();
        for (String line : lines) {
            outcomes.add(to.addRemoteCandidate(line));
        }
        return outcomes;
    }

    private AgentPair() {
    }
}
