package dev.purertc.ice;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.ice4j.StunResponseEvent;
import org.ice4j.StunTimeoutEvent;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.MessageIntegrityAttribute;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.ResponseCollector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 7675 consent on the pair that carries data, when ice4j does not check it. {@link IceAgent} sends data on
 * the first valid pair before nomination (RFC 8445 §12.1), but ice4j sends consent checks only once its own
 * processing has completed, and credits consent only to the pair it selected: a controlled agent whose peer
 * nominates late (or never, or nominates another pair) routed on a pair whose consent nobody tracked and went
 * DISCONNECTED and FAILED while the peer answered every packet (issue 11, seen at 750-1,000 pairs on a loaded
 * machine). This class sends the consent check (a Binding request, RFC 7675 §5.1, as ice4j builds its checks)
 * on the routed pair itself whenever ice4j's keep-alive does not cover that pair, and records when a success
 * response came back on it (same pair addresses, and the transaction id ice4j matched: 96 random bits).
 *
 * <p>Runs on the shared consent timer ({@link #tick()}); responses arrive on ice4j's threads.
 */
final class RoutedPairConsent {

    private static final Logger LOG = LoggerFactory.getLogger(RoutedPairConsent.class);

    /** RFC 7675 §5.1 / RFC 5389 §7.2.1: RTO for the consent transaction; two retransmissions. */
    private static final int ORIGINAL_WAIT_MILLIS = 500;
    private static final int MAX_WAIT_MILLIS = 1000;
    private static final int MAX_RETRANSMISSIONS = 2;

    private final Agent agent;
    private final String streamName;
    private final long intervalMillis;
    private volatile CandidatePair pair;
    private volatile CandidatePair answeredPair;
    private volatile long lastResponseMillis;
    private long nextCheckMillis;
    private volatile boolean stopped;

    RoutedPairConsent(Agent agent, String streamName, Duration interval) {
        this.agent = agent;
        this.streamName = streamName;
        this.intervalMillis = interval.toMillis();
    }

    /** {@code routed} carries data from now on. */
    void track(CandidatePair routed) {
        this.pair = routed;
    }

    /** When a consent check sent here on {@code routed} was last answered, or 0. */
    long lastResponseMillis(CandidatePair routed) {
        return routed != null && routed == answeredPair ? lastResponseMillis : 0;
    }

    /**
     * On the shared timer: sends a consent check on the routed pair when one is due (every interval,
     * randomised 0.8-1.2 as RFC 7675 §5.1 asks) and ice4j's keep-alive does not cover that pair.
     */
    void tick() {
        CandidatePair p = pair;
        if (p == null || stopped || coveredByIce4j(p)) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now < nextCheckMillis) {
            return;
        }
        nextCheckMillis = now + (long) (intervalMillis * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        send(p);
    }

    /** ice4j checks its selected pair itself once its processing completed (and credits it). */
    private boolean coveredByIce4j(CandidatePair p) {
        IceProcessingState s = agent.getState();
        return (s == IceProcessingState.COMPLETED || s == IceProcessingState.TERMINATED)
                && p.equals(p.getParentComponent().getSelectedPair());
    }

    /** RFC 8445 §7.2.2 check contents, as ice4j's ConnectivityCheckClient builds them. */
    private void send(CandidatePair p) {
        String username = agent.generateLocalUserName(streamName);
        if (username == null) {
            return;
        }
        Request request = MessageFactory.createBindingRequest();
        request.putAttribute(AttributeFactory.createPriorityAttribute(
                p.getLocalCandidate().computePriorityForType(CandidateType.PEER_REFLEXIVE_CANDIDATE)));
        request.putAttribute(agent.isControlling()
                ? AttributeFactory.createIceControllingAttribute(agent.getTieBreaker())
                : AttributeFactory.createIceControlledAttribute(agent.getTieBreaker()));
        request.putAttribute(AttributeFactory.createUsernameAttribute(username));
        MessageIntegrityAttribute integrity = AttributeFactory.createMessageIntegrityAttribute(username);
        integrity.setMedia(streamName);
        request.putAttribute(integrity);
        TransportAddress local = p.getLocalCandidate().getBase().getTransportAddress();
        TransportAddress remote = p.getRemoteCandidate().getTransportAddress();
        try {
            agent.getStunStack().sendRequest(request, remote, local, new Answers(p),
                    org.ice4j.stack.TransactionID.createNewTransactionID(), ORIGINAL_WAIT_MILLIS, MAX_WAIT_MILLIS,
                    MAX_RETRANSMISSIONS);
        } catch (IOException | RuntimeException e) {
            LOG.debug("consent check on {} not sent: {}", p.toRedactedShortString(), e.toString());
        }
    }

    void stop() {
        stopped = true;
    }

    /** The answers to the checks on one pair. */
    private final class Answers implements ResponseCollector {
        private final CandidatePair checked;

        Answers(CandidatePair checked) {
            this.checked = checked;
        }

        @Override
        public void processResponse(StunResponseEvent event) {
            if (!event.getResponse().isSuccessResponse()) {
                return;
            }
            // RFC 8445 §7.2.5.2.1: the response must come from where the request went, to where it came from.
            if (!event.getRemoteAddress().equals(checked.getRemoteCandidate().getTransportAddress())
                    || !event.getLocalAddress().equals(checked.getLocalCandidate().getBase().getTransportAddress())) {
                return;
            }
            answeredPair = checked;
            lastResponseMillis = System.currentTimeMillis();
        }

        @Override
        public void processTimeout(StunTimeoutEvent event) {
            // No answer: consent simply ages (IceAgent's timeouts decide).
        }
    }
}
