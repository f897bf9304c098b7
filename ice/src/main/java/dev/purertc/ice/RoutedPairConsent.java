package dev.purertc.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

import org.ice4j.StunResponseEvent;
import org.ice4j.StunTimeoutEvent;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.MessageIntegrityAttribute;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.ResponseCollector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 7675 consent on the pair that carries data. {@link IceAgent} sends data on the first valid pair before
 * nomination (RFC 8445 §12.1), and ice4j credits consent only to the pair it selected: a controlled agent whose
 * peer nominated late (or never, or another pair) routed on a pair whose consent nobody tracked and went
 * DISCONNECTED and FAILED while the peer answered every packet (issue 11, seen at 750-1,000 pairs on a loaded
 * machine). So this class sends every consent check itself, on the routed pair, and ice4j's own keep-alive is
 * off ({@link Ice4jRuntime} sets {@code org.ice4j.NO_KEEP_ALIVES}).
 *
 * <p>Two ways to send: where the pair's local candidate is read by PureRTC's own reader (the UDP mux, the
 * shared reader; {@link HostCandidateSockets#interceptStun}), the request is built by {@link DirectConsentCheck},
 * retransmitted from this class's tick and its response matched on the reader's control thread before ice4j
 * sees it; no ice4j transaction exists. Elsewhere (per-connection sockets, relayed and TCP pairs) ice4j's STUN
 * stack sends it as a client transaction. Either way a success response from the pair's remote address to its
 * local base, with the transaction id sent (96 random bits), records when the pair last proved the peer there.
 *
 * <p>Runs on the shared consent timer ({@link #tick()}); responses arrive on ice4j's or the reader's thread.
 */
final class RoutedPairConsent {

    private static final Logger LOG = LoggerFactory.getLogger(RoutedPairConsent.class);

    /** RFC 7675 §5.1 / RFC 5389 §7.2.1: RTO for the consent transaction; two retransmissions. */
    private static final int ORIGINAL_WAIT_MILLIS = 500;
    private static final int MAX_WAIT_MILLIS = 1000;
    private static final int MAX_RETRANSMISSIONS = 2;
    private static final SecureRandom TRANSACTION_IDS = new SecureRandom();

    private final Agent agent;
    private final String streamName;
    private final long intervalMillis;
    private volatile CandidatePair pair;
    private volatile CandidatePair answeredPair;
    private volatile long lastResponseMillis;
    private long nextCheckMillis;
    private volatile boolean stopped;
    /** The harvester whose reader lets this class see responses first, or null (ice4j sends). */
    private volatile HostCandidateSockets direct;
    /** USERNAME of our checks and the remote password, once known (timer thread only). */
    private String username;
    private byte[] remoteKey;
    /** The check sent directly and not yet replaced (written on the timer thread). */
    private volatile DirectCheck pending;
    /** Direct checks sent (not counting retransmissions) and answered; each written by one thread. */
    private volatile long directSent;
    private volatile long directAnswered;

    /** A consent check sent without ice4j: its bytes, for retransmission, and what its answer must match. */
    private static final class DirectCheck {
        final CandidatePair pair;
        final byte[] transactionId;
        final byte[] key;
        final byte[] request;
        final DatagramSocket socket;
        final InetSocketAddress local;
        final InetSocketAddress remote;
        long nextRetransmitMillis;
        int retransmissions;
        volatile boolean answered;

        DirectCheck(CandidatePair pair, byte[] transactionId, byte[] key, byte[] request, DatagramSocket socket,
                    InetSocketAddress local, InetSocketAddress remote, long sentMillis) {
            this.pair = pair;
            this.transactionId = transactionId;
            this.key = key;
            this.request = request;
            this.socket = socket;
            this.local = local;
            this.remote = remote;
            this.nextRetransmitMillis = sentMillis + ORIGINAL_WAIT_MILLIS;
        }
    }

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
     * Sends the checks through {@code sockets}' own reader when it lets this class see STUN responses first
     * (the UDP mux, the shared reader); otherwise ice4j's stack sends them.
     */
    void sendDirectlyThrough(HostCandidateSockets sockets) {
        if (sockets.interceptStun(this::onStun)) {
            direct = sockets;
        }
    }

    /**
     * On the shared timer: sends a consent check on the routed pair when one is due (every interval,
     * randomised 0.8-1.2 as RFC 7675 §5.1 asks), and retransmits a direct check that is unanswered after
     * its RTO (500 ms, then 1 s; two retransmissions, as ice4j's consent transactions).
     */
    void tick(long now) {
        CandidatePair p = pair;
        if (p == null || stopped) {
            return;
        }
        if (now < nextCheckMillis) {
            retransmit(p, now);
            return;
        }
        nextCheckMillis = now + (long) (intervalMillis * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        if (!sendDirectly(p, now)) {
            send(p);
        }
    }

    /** When {@link #tick} next has something to send: the next check, or the pending check's retransmission. */
    long nextDueMillis() {
        long due = nextCheckMillis;
        DirectCheck check = pending;
        if (check != null && !check.answered && check.pair == pair && check.retransmissions < MAX_RETRANSMISSIONS) {
            due = Math.min(due, check.nextRetransmitMillis);
        }
        return due;
    }

    private void retransmit(CandidatePair routed, long now) {
        DirectCheck check = pending;
        if (check == null || check.answered || check.pair != routed || check.retransmissions >= MAX_RETRANSMISSIONS
                || now < check.nextRetransmitMillis) {
            return;
        }
        check.retransmissions++;
        check.nextRetransmitMillis = now + Math.min(ORIGINAL_WAIT_MILLIS << check.retransmissions, MAX_WAIT_MILLIS);
        transmit(check);
    }

    /** Sends a check built by {@link DirectConsentCheck} if {@code p}'s local base is on the direct harvester. */
    private boolean sendDirectly(CandidatePair p, long now) {
        HostCandidateSockets sockets = direct;
        if (sockets == null || p.getLocalCandidate().getTransport() != Transport.UDP) {
            return false;
        }
        TransportAddress base = p.getLocalCandidate().getBase().getTransportAddress();
        InetSocketAddress local = new InetSocketAddress(base.getAddress(), base.getPort());
        DatagramSocket socket = sockets.socketFor(local);
        if (socket == null || !knowsCredentials()) {
            return false;
        }
        String username = this.username;
        byte[] key = this.remoteKey;
        byte[] transactionId = new byte[DirectConsentCheck.TRANSACTION_ID_LENGTH];
        TRANSACTION_IDS.nextBytes(transactionId);
        byte[] request = DirectConsentCheck.request(transactionId, username, key,
                p.getLocalCandidate().computePriorityForType(CandidateType.PEER_REFLEXIVE_CANDIDATE),
                agent.isControlling(), agent.getTieBreaker());
        TransportAddress remote = p.getRemoteCandidate().getTransportAddress();
        DirectCheck check = new DirectCheck(p, transactionId, key, request, socket, local,
                new InetSocketAddress(remote.getAddress(), remote.getPort()), now);
        pending = check;
        directSent++;
        transmit(check);
        return true;
    }

    /**
     * Reads USERNAME and the remote password from ice4j once they are known: they stay for this agent's life
     * (an ICE restart makes a new agent), and ice4j looks its stream up in a map on every call.
     */
    private boolean knowsCredentials() {
        if (remoteKey != null) {
            return true;
        }
        IceMediaStream stream = agent.getStream(streamName);
        String user = agent.generateLocalUserName(streamName);
        if (stream == null || user == null || stream.getRemotePassword() == null) {
            return false;
        }
        username = user;
        remoteKey = stream.getRemotePassword().getBytes(StandardCharsets.UTF_8);
        return true;
    }

    private static void transmit(DirectCheck check) {
        try {
            check.socket.send(new DatagramPacket(check.request, check.request.length, check.remote));
        } catch (IOException | RuntimeException e) {
            LOG.debug("consent check to {} not sent: {}", check.remote, e.toString());
        }
    }

    /**
     * On the direct harvester's control thread, for each STUN message before ice4j: consumes the response to
     * the pending direct check, crediting the pair if it verifies and came from where the check went.
     */
    private boolean onStun(byte[] message, InetSocketAddress local, InetSocketAddress remote) {
        DirectCheck check = pending;
        if (check == null || !DirectConsentCheck.isBindingSuccess(message)
                || !Arrays.equals(message, 8, 20, check.transactionId, 0, DirectConsentCheck.TRANSACTION_ID_LENGTH)) {
            return false;   // not ours: ice4j's own checks have their own transaction ids
        }
        // RFC 8445 §7.2.5.2.1: the response must come from where the request went, to where it came from.
        if (!check.answered && check.remote.equals(remote) && check.local.equals(local)
                && DirectConsentCheck.answers(message, check.transactionId, check.key)) {
            check.answered = true;
            directAnswered++;
            answeredPair = check.pair;
            lastResponseMillis = System.currentTimeMillis();
        }
        return true;
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

    /** Consent checks sent without ice4j (first transmissions only). */
    long directChecksSent() {
        return directSent;
    }

    /** Consent checks sent without ice4j whose verified answer came back. */
    long directChecksAnswered() {
        return directAnswered;
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
