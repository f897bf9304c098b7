package dev.purertc.ice;

import java.beans.PropertyChangeEvent;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.RemoteCandidate;
import org.ice4j.ice.RelayedCandidate;
import org.ice4j.ice.harvest.CandidateHarvester;
import org.ice4j.ice.harvest.StunCandidateHarvester;
import org.ice4j.ice.harvest.TurnCandidateHarvester;
import org.ice4j.security.LongTermCredential;
import org.ice4j.socket.IceSocketWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.purertc.sdp.IceCandidate;
import dev.purertc.sdp.SdpParseException;

/**
 * One ICE agent (RFC 8445) for one data-channel session: one media stream, one component, UDP (plus passive
 * ICE-TCP candidates with {@link IceOptions#iceTcp()}),
 * trickle both ways (RFC 8838). Connectivity checks, role conflicts, nomination and consent requests run
 * inside ice4j; this class owns gathering (loopback-capable, filtered), candidate buffering, state
 * reporting, RFC 7675 consent expiry and the selected pair's {@link IceTransport}. No ice4j type appears
 * in its API.
 *
 * <p>Usage: {@link #create}, send {@link #localCredentials()} to the peer, {@link #startGathering()}
 * (candidates and end-of-candidates arrive through the listener), then feed the peer's
 * {@link #setRemoteCredentials credentials} and {@link #addRemoteCandidate candidates} in any order.
 * Checks start once both local gathering has begun and remote credentials are known; until then the role
 * may still change ({@link #setRole}), so the agent can be created before offer/answer decides it.
 *
 * <p>Threads: methods may be called from any thread. Per agent, ice4j runs a STUN reader thread for
 * each local socket (that thread also delivers DTLS datagrams, see {@link IceTransport}), or none when
 * the host candidates are on a shared {@link dev.purertc.ice.mux.UdpMux} ({@link IceOptions#udpMux()}); ice4j's shared
 * pools run checks; one PureRTC timer thread shared by all open agents checks consent expiry and the
 * connect timeout ({@link IceOptions#connectTimeout()}); a relayed
 * (TURN) selected pair adds ice4j's relay threads and one PureRTC relay reader. Everything this agent
 * created is released by {@link #close()}.
 */
public final class IceAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IceAgent.class);

    static final String STREAM_NAME = "data";
    /** Bound on the TCP connect and on the TLS handshake to a TURN server over TCP/TLS. */
    private static final int TURN_STREAM_CONNECT_MILLIS = 10_000;

    /** What became of a remote candidate given to {@link #addRemoteCandidate}. */
    public enum RemoteCandidateOutcome {
        /** Handed to the connectivity checks. */
        ADDED,
        /** Kept until the remote credentials are known or gathering starts; never dropped. */
        BUFFERED,
        /**
         * An mDNS name ({@code .local}): not resolved (no multicast), the peer's checks will reveal its
         * address as a peer-reflexive candidate (RFC 8445 §7.3.1.3).
         */
        LEFT_TO_PEER_REFLEXIVE,
        /** After {@link #endOfRemoteCandidates()} for the current credentials: ignored (RFC 8838 §4.4). */
        IGNORED_AFTER_END_OF_CANDIDATES,
        /**
         * Not UDP, or not component 1. The peer's TCP candidates are never dialled: with
         * {@link IceOptions#iceTcp()} the peer's active side connects to ours and is learned peer-reflexive.
         */
        IGNORED_UNSUPPORTED,
        /** A host name that is not {@code .local}: PureRTC never resolves names from the peer. */
        IGNORED_UNRESOLVED_NAME,
        /** Its address cannot be reached from the configured local addresses (family or loopback scope). */
        IGNORED_UNREACHABLE,
        /** Carries a {@code ufrag} of other credentials (an earlier ICE generation). */
        IGNORED_OTHER_GENERATION
    }

    private final IceOptions options;
    /** The configured role; changes through {@link #setRole} only. */
    private volatile IceRole role;
    private final IceAgentListener listener;
    private final SerialEventQueue events = new SerialEventQueue();
    private final SelectedPairTransport transport = new SelectedPairTransport();
    private final SharedConsentTimer.Registration consentTask;
    /** When consent expiry and the connect timeout are due; {@link #checkTimeouts} applies it. */
    private final IceTimeouts timeouts;
    private final Object lock = new Object();
    private final AtomicInteger nextGenerationNumber =
            new AtomicInteger();

    /** Guarded by {@link #lock}. */
    private Generation current;
    /** The generation carrying the transport while a restart is in progress; guarded by {@link #lock}. */
    private Generation previous;
    private IceConnectionState state = IceConnectionState.NEW;
    private boolean closed;

    private IceAgent(IceOptions options, IceRole role, IceAgentListener listener) {
        this.options = options;
        this.role = role;
        this.listener = listener;
        for (IceServer server : options.iceServers()) {
            for (IceServerUrl url : server.parsedUrls()) {
                if (url.isSecure() && (!url.isTurn() || url.transport().equals("udp"))) {
                    throw new UnsupportedOperationException("stuns: and TURN over DTLS are not wired (stun:, turn: "
                            + "over UDP or TCP, and turns: over TLS are), got " + url.scheme() + ":" + url.host()
                            + ":" + url.port() + "?transport=" + url.transport());
                }
            }
        }
        this.current = new Generation(0);
        this.timeouts = new IceTimeouts(options);
        this.consentTask = SharedConsentTimer.every(timeouts.periodMillis(), this::checkTimeouts);
    }

    /**
     * Creates an agent. Nothing is sent and no socket is opened until {@link #startGathering()} (a STUN or
     * TURN server given by host name rather than address is resolved here).
     *
     * @throws UnsupportedOperationException for {@code stuns:} or {@code turns:…?transport=udp} (DTLS, not wired)
     */
    public static IceAgent create(IceOptions options, IceRole role, IceAgentListener listener) {
        return new IceAgent(Objects.requireNonNull(options, "options"), Objects.requireNonNull(role, "role"),
                Objects.requireNonNull(listener, "listener"));
    }

    /** The role this agent was created with or last {@linkplain #setRole set} to. */
    public IceRole role() {
        return role;
    }

    /**
     * Changes the ICE role (RFC 8445 §6.1.1) before connectivity checks start, so an agent can be created
     * before the offer/answer exchange decides who controls (with full ICE on both sides the offerer
     * controls, RFC 8839). Allowed while the current credentials' checks have not started, that is
     * until both {@link #startGathering()} and {@link #setRemoteCredentials} have been called (after
     * {@link #restart()} the new credentials' checks count). Setting the role it already has is a no-op at
     * any time. A role conflict found during the checks is still resolved by the tie-breakers
     * (RFC 8445 §7.3.1.1), whatever was set here.
     *
     * @throws IllegalStateException if the checks for the current credentials have started, or the agent
     *                               is closed
     */
    public void setRole(IceRole newRole) {
        Objects.requireNonNull(newRole, "role");
        while (true) {
            Generation g;
            synchronized (lock) {
                ensureOpen();
                g = current;
            }
            g.setRole(newRole);
            synchronized (lock) {
                if (g == current || closed) {
                    return;
                }
            }
            // A concurrent restart() may have built its generation with the old role: set it there too.
        }
    }

    /** The local ufrag and password of the current generation (they change on {@link #restart()}). */
    public IceCredentials localCredentials() {
        synchronized (lock) {
            return current.localCredentials;
        }
    }

    public IceConnectionState state() {
        synchronized (lock) {
            return state;
        }
    }

    /**
     * The pair in use as a datagram pipe (the first valid pair until ICE selects one, then the selected
     * pair); usable once the state is {@link IceConnectionState#CONNECTED}.
     */
    public IceTransport transport() {
        return transport;
    }

    /**
     * Opens the local sockets and emits the host candidates through the listener, then gathers
     * server-reflexive candidates from the configured STUN servers, then emits end-of-candidates.
     * Without STUN servers everything is emitted before this method returns; with them, reflexive
     * candidates and the end follow from a short-lived gathering thread.
     *
     * @throws IOException if no local socket can be bound
     */
    public void startGathering() throws IOException {
        Generation g;
        synchronized (lock) {
            ensureOpen();
            g = current;
        }
        g.gather();
    }

    /** Sets the peer's ufrag and password for the current generation; checks start when gathering has. */
    public void setRemoteCredentials(IceCredentials remote) {
        Objects.requireNonNull(remote, "remote");
        Generation g;
        synchronized (lock) {
            ensureOpen();
            g = current;
        }
        g.setRemoteCredentials(remote);
    }

    /**
     * Adds one remote candidate in its trickle or SDP spelling ({@code candidate:...} or
     * {@code a=candidate:...}). The end-of-candidates markers ({@code ""}, {@code end-of-candidates},
     * {@code a=end-of-candidates}, RFC 8840 §8.2) end the remote list as {@link #endOfRemoteCandidates()}.
     *
     * @throws SdpParseException if the line is malformed
     * @see #addRemoteCandidate(IceCandidate)
     */
    public RemoteCandidateOutcome addRemoteCandidate(String candidateLine) throws SdpParseException {
        if (candidateLine != null && IceCandidate.isEndOfCandidates(candidateLine.strip())) {
            endOfRemoteCandidates();
            return RemoteCandidateOutcome.IGNORED_AFTER_END_OF_CANDIDATES;
        }
        return addRemoteCandidate(IceCandidate.parse(candidateLine));
    }

    /**
     * Adds one remote candidate. It may arrive before or after the remote credentials and before or
     * after local gathering starts: until both are there it is buffered, never dropped.
     */
    public RemoteCandidateOutcome addRemoteCandidate(IceCandidate line) {
        Objects.requireNonNull(line, "candidate");
        Generation g;
        synchronized (lock) {
            ensureOpen();
            g = current;
        }
        return g.addRemote(line);
    }

    /** The peer has sent all its candidates for the current credentials (RFC 8838 §4.4). */
    public void endOfRemoteCandidates() {
        Generation g;
        synchronized (lock) {
            ensureOpen();
            g = current;
        }
        g.endOfRemoteCandidates();
    }

    /**
     * ICE restart (RFC 8445 §9): new local credentials and a fresh gathering. The transport keeps using
     * the old selected pair until the new generation connects, then switches. Signal the returned
     * credentials, call {@link #startGathering()} again and feed the peer's new credentials and candidates.
     */
    public IceCredentials restart() {
        synchronized (lock) {
            ensureOpen();
        }
        // Built outside the lock: constructing and freeing ice4j agents may call back into this class.
        Generation next = new Generation(nextGenerationNumber.incrementAndGet());
        List<Generation> toFree = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                toFree.add(next);
            } else {
                Generation old = current;
                if (previous != null && old.connected) {
                    toFree.add(previous);
                    previous = old;
                } else if (previous == null && old.connected) {
                    previous = old;
                } else {
                    toFree.add(old);
                }
                current = next;
            }
        }
        for (Generation g : toFree) {
            g.free();
        }
        if (toFree.contains(next)) {
            throw new IllegalStateException("ICE agent is closed");
        }
        return next.localCredentials;
    }

    /** Local and remote address of the pair in use (see {@link #transport()}), or {@code null} before one. */
    public SelectedPair selectedPair() {
        SelectedPairTransport.Route r = transport.route();
        return r == null ? null : new SelectedPair(r.local(), r.remote(), r.localType(), r.remoteType(), r.protocol());
    }

    /**
     * The selected candidate pair: addresses (the local one is the socket's, the base of a reflexive
     * candidate), candidate types as SDP names them ({@code host}, {@code srflx}, {@code prflx},
     * {@code relay}) and the transport ({@code udp} or {@code tcp}).
     */
    public record SelectedPair(InetSocketAddress local, InetSocketAddress remote, String localType, String remoteType,
                               String protocol) {
    }

    /** Stops checks and consent, closes every socket and releases the shared timer; idempotent. */
    @Override
    public void close() {
        List<Generation> toFree = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            toFree.add(current);
            if (previous != null) {
                toFree.add(previous);
            }
            previous = null;
        }
        consentTask.cancel();
        transport.close();
        for (Generation g : toFree) {
            g.free();
        }
        setState(IceConnectionState.CLOSED);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("ICE agent is closed");
        }
    }

    /** The state or the route changed: the timeouts look again in the next round. */
    private void wakeTimeouts() {
        SharedConsentTimer.Registration task = consentTask;
        if (task != null) {
            task.wake();
        }
    }

    private void setState(IceConnectionState next) {
        synchronized (lock) {
            if (state == next || state == IceConnectionState.CLOSED) {
                return;
            }
            if (closed && next != IceConnectionState.CLOSED) {
                return;
            }
            state = next;
        }
        wakeTimeouts();
        events.submit(() -> listener.onStateChange(next));
    }

    /**
     * Runs on the shared timer, every {@link IceTimeouts#periodMillis()} while anything can change soon:
     * RFC 7675 consent expiry (no response to a consent check for the timeout) and the connect timeout
     * (checks that found no valid pair), as {@link IceTimeouts} decides them, and the routed pair's consent
     * checks. Returns when it next has something to do: while connected and answered, that is the next
     * consent check or retransmission, or the moment DISCONNECTED could be decided, whichever comes first
     * (a response only moves that moment later); every round otherwise. State and route changes wake it.
     */
    private long checkTimeouts(long now) {
        Generation g;
        IceConnectionState s;
        boolean restarting;
        synchronized (lock) {
            if (closed) {
                return Long.MAX_VALUE;
            }
            restarting = previous != null;
            g = restarting ? previous : current;
            s = state;
        }
        if (s == IceConnectionState.NEW || s == IceConnectionState.CHECKING) {
            checkConnectTimeout(g, restarting);
            return now;
        }
        if (s != IceConnectionState.CONNECTED && s != IceConnectionState.COMPLETED
                && s != IceConnectionState.DISCONNECTED) {
            return now;
        }
        g.routedConsent.tick(now);
        long last = g.lastConsentMillis();
        if (last == 0) {
            return now;
        }
        long age = now - last;
        switch (timeouts.consent(age, s == IceConnectionState.DISCONNECTED)) {
            case FAILED -> {
                LOG.debug("consent expired after {} ms", age);
                transport.refuseSends("RFC 7675 consent expired: no response from the peer for " + age + " ms");
                setState(IceConnectionState.FAILED);
                return now;
            }
            case DISCONNECTED -> {
                setState(IceConnectionState.DISCONNECTED);
                return now;
            }
            case RECOVERED -> setState(g.terminated ? IceConnectionState.COMPLETED : IceConnectionState.CONNECTED);
            case NONE -> {
                if (s == IceConnectionState.DISCONNECTED) {
                    return now;
                }
            }
        }
        return Math.min(g.routedConsent.nextDueMillis(), timeouts.disconnectedDueMillis(last));
    }

    /** NEW or CHECKING: fails the current generation once its checks ran {@code connectTimeout} without a valid pair. */
    private void checkConnectTimeout(Generation g, boolean restarting) {
        if (restarting || g.connected || !g.checksTimed) {
            return;
        }
        long ranMillis = (System.nanoTime() - g.checksStartedNanos) / 1_000_000;
        if (timeouts.connectExpired(ranMillis)) {
            if (g.giveUp()) {
                LOG.debug("no valid candidate pair {} ms after checks started", ranMillis);
                transport.refuseSends("ICE found no working candidate pair within " + options.connectTimeout());
                setState(IceConnectionState.FAILED);
            }
        }
    }

    /** One set of local credentials with its ice4j agent and sockets (a restart makes a new one). */
    private final class Generation {
        final int number;
        final Agent agent;
        final IceMediaStream stream;
        final IceCredentials localCredentials;
        final HostCandidateSockets hostHarvester;
        /** RFC 7675 consent on the routed pair while ice4j's own keep-alive does not cover it. */
        final RoutedPairConsent routedConsent;
        /** TURN over TCP/TLS: the streams to close once ice4j has released the allocations. */
        private final List<TurnStreamCandidateHarvester> turnStreams = new ArrayList<>();
        /** Passive ICE-TCP candidates on the shared listener, or null without {@link IceOptions#iceTcp()}. */
        final IceTcpHarvester tcpHarvester;
        private final List<IceCandidate> buffered = new ArrayList<>();
        /**
         * Guards the feeding state below. ice4j is only called under this lock or no lock, never under
         * the agent's {@code lock}, which ice4j's callbacks take: no lock-order inversion with ice4j.
         */
        private final Object feedLock = new Object();
        private volatile Component component;
        private IceCredentials remoteCredentials;
        private boolean checksStarted;
        private boolean endOfRemote;
        /** Guarded by feedLock: a remote candidate has been handed to ice4j. */
        private boolean remoteCandidateAdded;
        /** Guarded by feedLock: starts the checks without a remote candidate; see {@link #maybeStartChecks}. */
        private ScheduledFuture<?> deferredStart;
        /**
         * iceTransportPolicy relay with TURN servers: checks wait until the TURN allocations are done.
         * ice4j pairs a remote candidate only with the local candidates it has when the remote one is
         * added, so a relayed candidate allocated after the peer's candidates arrived would never be
         * paired, and under relay policy it is the only candidate that can work.
         */
        private final boolean waitForRelayedCandidates;
        /** Guarded by feedLock: local candidates are complete enough for checks to start. */
        private boolean localReady;
        private final AtomicBoolean freedFlag =
                new AtomicBoolean();
        private volatile boolean freed;
        /** The relayed pair's socket a PureRTC reader thread drains, if the selected pair is relayed. */
        private volatile DatagramSocket relayReaderSocket;
        volatile boolean connected;
        volatile boolean terminated;
        private volatile CandidatePair selected;
        /** The pair data goes through: the selected one, or before selection the first valid one. */
        private volatile CandidatePair routed;
        private volatile long routedAtMillis;
        /** System.nanoTime() when the checks started; read only once {@link #checksTimed} is true. */
        volatile long checksStartedNanos;
        /** The checks have started and {@link #checksStartedNanos} holds when (nanoTime may be any value). */
        volatile boolean checksTimed;
        /** The connect timeout failed this generation: a pair validated afterwards is not used. */
        private volatile boolean gaveUp;

        Generation(int number) {
            this.number = number;
            this.agent = Ice4jRuntime.newAgent(options);
            this.routedConsent = new RoutedPairConsent(agent, STREAM_NAME, options.consentInterval());
            try {
                agent.setControlling(IceAgent.this.role == IceRole.CONTROLLING);
                agent.setTrickling(true);
                agent.setUseDynamicPorts(false);
                agent.setTa(options.pacing().toMillis());
                agent.setPerformConsentFreshness(true);
                boolean relayOnly = options.transportPolicy() == IceTransportPolicy.RELAY;
                Set<InetSocketAddress> turnServers = new HashSet<>();
                boolean relayedOverStream = false;
                List<CandidateHarvester> serverHarvesters = new ArrayList<>();
                for (IceServer server : options.iceServers()) {
                    for (IceServerUrl url : server.parsedUrls()) {
                        TransportAddress address = new TransportAddress(url.host(), url.port(), Transport.UDP);
                        if (url.isTurn() && !url.transport().equals("udp")) {
                            relayedOverStream = true;
                            TurnStreamCandidateHarvester overStream = new TurnStreamCandidateHarvester(url, address,
                                    new LongTermCredential(server.username(), server.credential()),
                                    options.turnTlsTrust(), TURN_STREAM_CONNECT_MILLIS);
                            turnStreams.add(overStream);
                            serverHarvesters.add(overStream);
                        } else if (url.isTurn()) {
                            turnServers.add(new InetSocketAddress(address.getAddress(), address.getPort()));
                            serverHarvesters.add(new TurnCandidateHarvester(address,
                                    new LongTermCredential(server.username(), server.credential())));
                        } else if (!relayOnly) {
                            serverHarvesters.add(new StunCandidateHarvester(address));
                        }
                    }
                }
                waitForRelayedCandidates = relayOnly && (!turnServers.isEmpty() || relayedOverStream);
                boolean serverHarvestsOverUdp = serverHarvesters.stream().anyMatch(
                        h -> h instanceof StunCandidateHarvester && !(h instanceof TurnStreamCandidateHarvester));
                if (options.udpMux() != null) {
                    hostHarvester = new UdpMuxHarvester(options.udpMux(), transport);
                } else if (options.sharedUdpReader() != null && !serverHarvestsOverUdp && !relayOnly) {
                    hostHarvester = new SharedReaderHostHarvester(options.sharedUdpReader(), options.hostAddresses(),
                            options.portMin(), options.portMax(), options.socketBufferBytes(), transport);
                } else {
                    hostHarvester = new LoopbackCapableHostHarvester(options.hostAddresses(), options.portMin(),
                            options.portMax(), options.socketBufferBytes(), transport, turnServers, relayOnly,
                            serverHarvestsOverUdp);
                }
                agent.addCandidateHarvester(hostHarvester);
                routedConsent.sendDirectlyThrough(hostHarvester);
                tcpHarvester = options.iceTcp() == null ? null : new IceTcpHarvester(options.iceTcp(), transport);
                if (tcpHarvester != null) {
                    agent.addCandidateHarvester(tcpHarvester);
                }
                serverHarvesters.forEach(agent::addCandidateHarvester);
                localCredentials = new IceCredentials(agent.getLocalUfrag(), agent.getLocalPassword());
                agent.addStateChangeListener(this::onAgentState);
                stream = agent.createMediaStream(STREAM_NAME);
                stream.addPairChangeListener(this::onPairChange);
            } catch (RuntimeException e) {
                agent.free();
                throw e;
            }
        }

        void gather() throws IOException {
            Component c;
            synchronized (feedLock) {
                if (component != null) {
                    throw new IllegalStateException("gathering already started for these credentials");
                }
                try {
                    c = agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, false);
                } catch (IllegalStateException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw e;
                }
                component = c;
                localReady = !waitForRelayedCandidates;
            }
            for (LocalCandidate candidate : c.getLocalCandidates()) {
                emitLocal(candidate);
            }
            flushBufferedAndMaybeStart();
            if (options.iceServers().isEmpty()) {
                agent.startCandidateTrickle(this::onTrickled);
            } else {
                Thread t = new Thread(() -> agent.startCandidateTrickle(this::onTrickled),
                        "purertc-ice-gather-" + number);
                t.setDaemon(true);
                t.start();
            }
        }

        private void onTrickled(Collection<LocalCandidate> candidates) {
            if (freed) {
                return;
            }
            if (candidates == null) {
                if (this == currentGeneration()) {
                    events.submit(listener::onEndOfCandidates);
                }
                boolean wasWaiting;
                synchronized (feedLock) {
                    wasWaiting = !localReady;
                    localReady = true;
                }
                if (wasWaiting) {
                    flushBufferedAndMaybeStart();
                }
                return;
            }
            for (LocalCandidate candidate : candidates) {
                emitLocal(candidate);
                if (candidate instanceof RelayedCandidate relayed) {
                    pairLateCandidate(relayed);
                }
            }
        }

        /**
         * ice4j pairs a remote candidate with the local candidates present when the remote one is added
         * and never pairs a local candidate that comes later. A relayed candidate whose TURN allocation
         * finished after the peer's candidates arrived would so have no pair, and where only the relay
         * can get through ICE would fail. Its pairs are added here the way ice4j adds those of a late
         * remote candidate (Component.updateRemoteCandidates): one per reachable remote candidate,
         * appended to the running check list, where the pacer picks them up.
         */
        private void pairLateCandidate(RelayedCandidate local) {
            Component c = component;
            synchronized (feedLock) {
                if (c == null || freed || !checksStarted) {
                    return; // checks not started: they will start with this candidate in the list
                }
            }
            org.ice4j.ice.CheckList checkList = stream.getCheckList();
            for (RemoteCandidate remote : c.getRemoteCandidates()) {
                if (!local.canReach(remote) || remote.getTransportAddress().getPort() == 0) {
                    continue;
                }
                synchronized (checkList) {
                    if (checkList.findPairMatching(local, remote) == null) {
                        checkList.add(new CandidatePair(local, remote));
                    }
                }
            }
        }

        /** Test hook: check-list pairs whose local candidate is relayed. */
        int relayedPairs() {
            org.ice4j.ice.CheckList checkList = stream.getCheckList();
            synchronized (checkList) {
                return (int) checkList.stream().filter(p -> p.getLocalCandidate() instanceof RelayedCandidate).count();
            }
        }

        private void emitLocal(LocalCandidate candidate) {
            // (see sdpAddress: scoped IPv6 addresses carry a %zone the SDP grammar does not allow)
            if (options.transportPolicy() == IceTransportPolicy.RELAY && !(candidate instanceof RelayedCandidate)) {
                return;   // iceTransportPolicy relay: the peer learns relayed addresses only
            }
            TransportAddress address = candidate.getTransportAddress();
            TransportAddress related = candidate.getRelatedAddress();
            IceCandidate.Builder b = IceCandidate.builder()
                    .foundation(candidate.getFoundation())
                    .component(1)
                    .transport(address.getTransport() == Transport.TCP ? "tcp" : "udp")
                    .priority(candidate.getPriority())
                    .address(sdpAddress(address.getAddress()))
                    .port(address.getPort())
                    .type(dev.purertc.sdp.CandidateType.fromToken(candidate.getType().toString()));
            if (candidate.getTcpType() != null) {
                b.tcpType(candidate.getTcpType().toString());   // RFC 6544 §4.5
            }
            if (related != null) {
                b.related(sdpAddress(related.getAddress()), related.getPort());
            }
            IceCandidate line = b.extension("ufrag", localCredentials.ufrag()).build();
            for (IceCandidate announced : options.announcedAddresses().announce(line)) {
                events.submit(() -> listener.onLocalCandidate(announced));
            }
        }

        void setRole(IceRole newRole) {
            synchronized (feedLock) {
                if (freed) {
                    return;   // replaced by a restart or closed: the caller looks at the current generation
                }
                if (checksStarted || deferredStart != null) { // started, or starting at the first remote candidate
                    if (newRole == role) {
                        return;
                    }
                    throw new IllegalStateException("ICE role cannot change to " + newRole + ": connectivity checks "
                            + "already started as " + role + " (set the role before both startGathering() and "
                            + "setRemoteCredentials() have been called)");
                }
                role = newRole;
                agent.setControlling(newRole == IceRole.CONTROLLING);
            }
        }

        void setRemoteCredentials(IceCredentials remote) {
            synchronized (feedLock) {
                if (remoteCredentials != null && !remoteCredentials.equals(remote)) {
                    throw new IllegalStateException("remote credentials changed without restart()");
                }
                remoteCredentials = remote;
                stream.setRemoteUfrag(remote.ufrag());
                stream.setRemotePassword(remote.password());
            }
            flushBufferedAndMaybeStart();
        }

        RemoteCandidateOutcome addRemote(IceCandidate line) {
            synchronized (feedLock) {
                if (endOfRemote) {
                    return RemoteCandidateOutcome.IGNORED_AFTER_END_OF_CANDIDATES;
                }
                if (!line.isUdp() || line.component() != 1) {
                    return RemoteCandidateOutcome.IGNORED_UNSUPPORTED;
                }
                String ufrag = line.extension("ufrag").orElse(null);
                if (ufrag != null && remoteCredentials != null && !ufrag.equals(remoteCredentials.ufrag())) {
                    return RemoteCandidateOutcome.IGNORED_OTHER_GENERATION;
                }
                if (line.isMdnsAddress()) {
                    return RemoteCandidateOutcome.LEFT_TO_PEER_REFLEXIVE;
                }
                InetAddress address = IpLiteral.parse(line.address());
                if (address == null) {
                    return RemoteCandidateOutcome.IGNORED_UNRESOLVED_NAME;
                }
                if (!reachable(address)) {
                    return RemoteCandidateOutcome.IGNORED_UNREACHABLE;
                }
                if (component == null || remoteCredentials == null || !localReady) {
                    buffered.add(line);
                    return RemoteCandidateOutcome.BUFFERED;
                }
                addToIce4j(line, address);
            }
            maybeStartChecks();
            return RemoteCandidateOutcome.ADDED;
        }

        private boolean reachable(InetAddress address) {
            HostAddressFilter f = options.hostAddresses();
            if (address instanceof Inet4Address ? !f.ipv4() : !f.ipv6()) {
                return false;
            }
            if (f.loopback() == HostAddressFilter.Loopback.ONLY) {
                return address.isLoopbackAddress();
            }
            if (f.loopback() == HostAddressFilter.Loopback.EXCLUDE) {
                return !address.isLoopbackAddress();
            }
            return true;
        }

        /** Caller holds {@link #lock}; component and remote credentials are known. */
        private void addToIce4j(IceCandidate line, InetAddress address) {
            CandidateType type = CandidateType.parse(line.type().token());
            RemoteCandidate candidate = new RemoteCandidate(new TransportAddress(address, line.port(), Transport.UDP),
                    component, type, line.foundation(), line.priority(), null, remoteCredentials.ufrag());
            remoteCandidateAdded = true;
            if (checksStarted) {
                component.addUpdateRemoteCandidates(candidate);
                component.updateRemoteCandidates();
            } else {
                component.addRemoteCandidate(candidate);
            }
        }

        void endOfRemoteCandidates() {
            synchronized (feedLock) {
                endOfRemote = true;
            }
            maybeStartChecks(); // no candidate will come: checks waiting for one start now
        }

        private void flushBufferedAndMaybeStart() {
            synchronized (feedLock) {
                if (component == null || remoteCredentials == null || !localReady) {
                    return;
                }
                for (IceCandidate line : buffered) {
                    String ufrag = line.extension("ufrag").orElse(null);
                    if (ufrag == null || ufrag.equals(remoteCredentials.ufrag())) {
                        addToIce4j(line, IpLiteral.parse(line.address()));
                    }
                }
                buffered.clear();
            }
            maybeStartChecks();
        }

        private void maybeStartChecks() {
            maybeStartChecks(false);
        }

        /**
         * Starts the checks once credentials and local candidates are in and a remote candidate is (or
         * {@code withoutCandidates}). With trickle the peer's candidates usually follow its description
         * (RFC 8838 §4): ice4j's pacer, started on an empty check list, spends its first beat on nothing and
         * checks a candidate that arrives a moment later only one Ta after (5.6 ms instead of 0.4 ms at
         * Ta = 5 ms, in about a quarter of E2eSetupBench's connections). So without a remote candidate the
         * start waits for the first one, for the end of candidates, or for one Ta, whichever comes first;
         * the last keeps a peer known only by its checks (peer-reflexive, e.g. behind an mDNS name) at
         * the same pace as before: ice4j answers its checks meanwhile and checks back once started.
         */
        private void maybeStartChecks(boolean withoutCandidates) {
            synchronized (feedLock) {
                if (checksStarted || freed || component == null || remoteCredentials == null || !localReady) {
                    return;
                }
                if (!remoteCandidateAdded && !endOfRemote && !withoutCandidates && deferredStart == null) {
                    try {
                        deferredStart = SharedConsentTimer.once(options.pacing().toMillis(), () -> maybeStartChecks(true));
                        return;
                    } catch (RejectedExecutionException e) {
                        // the shared timer is gone (the stack is closing): start at once, as before
                    }
                } else if (!remoteCandidateAdded && !endOfRemote && !withoutCandidates) {
                    return; // the deferred start is scheduled
                }
                if (deferredStart != null) {
                    deferredStart.cancel(false);
                }
                checksStarted = true;
                checksStartedNanos = System.nanoTime();
                checksTimed = true;
            }
            agent.startConnectivityEstablishment();
        }

        /**
         * The connect timeout ran out: from now on a pair that validates late is ignored, so the state
         * stays FAILED (a late CONNECTED after FAILED would confuse every user of the state). Returns
         * false if the generation connected just before.
         */
        boolean giveUp() {
            synchronized (lock) {
                if (connected || freed) {
                    return false;
                }
                gaveUp = true;
                return true;
            }
        }

        private void onAgentState(PropertyChangeEvent event) {
            if (freed || !(event.getNewValue() instanceof IceProcessingState s)) {
                return;
            }
            if (gaveUp) {
                return;
            }
            if (s == IceProcessingState.RUNNING) {
                if (this == currentGeneration() && !anotherGenerationConnected()) {
                    setState(IceConnectionState.CHECKING);
                }
            } else if (s == IceProcessingState.COMPLETED) {
                onSelected();
            } else if (s == IceProcessingState.TERMINATED) {
                if (selected == null) {
                    onSelected();
                }
                terminated = true;
                if (connected && this == currentGeneration() && state() == IceConnectionState.CONNECTED) {
                    setState(IceConnectionState.COMPLETED);
                }
            } else if (s == IceProcessingState.FAILED) {
                if (this == currentGeneration()) {
                    setState(IceConnectionState.FAILED);
                }
            }
        }

        private void onSelected() {
            Component c = component;
            CandidatePair pair = c == null ? null : c.getSelectedPair();
            if (pair == null) {
                return;
            }
            LocalCandidate local = pair.getLocalCandidate();
            DatagramSocket socket;
            TransportAddress localAddress;
            if (local instanceof RelayedCandidate) {
                // The relayed socket is ice4j's: TURN Send/Data indications and ChannelData. DTLS from the
                // peer surfaces from its receive(); a reader thread per relayed pair hands it on.
                IceSocketWrapper wrapper = pair.getIceSocketWrapper();
                socket = wrapper == null ? null : wrapper.getUDPSocket();
                localAddress = local.getTransportAddress();
                if (socket != null) {
                    startRelayReader(socket);
                }
            } else {
                LocalCandidate base = local.getBase() != null ? local.getBase() : local;
                localAddress = base.getTransportAddress();
                socket = socketFor(localAddress);
            }
            if (socket == null) {
                LOG.warn("selected pair {} has no PureRTC socket", pair.toRedactedShortString());
                setState(IceConnectionState.FAILED);
                return;
            }
            useRoute(pair, socket, localAddress, true);
        }

        /**
         * RFC 8445 §12.1: an agent may send data on any valid pair before a pair is selected. The first
         * valid pair carries DTLS at once and the state becomes CONNECTED (W3C: a usable pair was found,
         * checks may go on) instead of waiting for nomination, which costs the controlling side one more
         * pacing beat (Ta) and the controlled side the wait for the peer's USE-CANDIDATE. Once ice4j
         * selects a pair, that pair alone is used ({@link #onSelected}). A relayed pair waits for
         * selection, where its reader thread starts.
         */
        private void onPairChange(PropertyChangeEvent event) {
            if (freed || connected || !IceMediaStream.PROPERTY_PAIR_VALIDATED.equals(event.getPropertyName())
                    || !(event.getSource() instanceof CandidatePair pair)) {
                return;
            }
            LocalCandidate local = pair.getLocalCandidate();
            if (local instanceof RelayedCandidate) {
                return;
            }
            LocalCandidate base = local.getBase() != null ? local.getBase() : local;
            DatagramSocket socket = socketFor(base.getTransportAddress());
            if (socket != null) {
                useRoute(pair, socket, base.getTransportAddress(), false);
            }
        }

        /** The socket (or socket view) a host candidate at {@code local} sends through: UDP or ICE-TCP. */
        private DatagramSocket socketFor(TransportAddress local) {
            if (local.getTransport() == Transport.TCP) {
                return tcpHarvester == null ? null : tcpHarvester.socketFor(local);
            }
            return hostHarvester.socketFor(local);
        }

        /** Sends through {@code pair} from now on: the pair ice4j selected, or the first valid one before that. */
        private void useRoute(CandidatePair pair, DatagramSocket socket, TransportAddress localAddress,
                              boolean selectedByIce) {
            Generation old;
            synchronized (lock) {
                if (this != current || freed || gaveUp || (!selectedByIce && (connected || selected != null))) {
                    return;
                }
                if (selectedByIce) {
                    selected = pair;
                }
                if (routed != pair) {
                    routed = pair;
                    routedAtMillis = System.currentTimeMillis();
                    routedConsent.track(pair);
                    wakeTimeouts();
                }
                connected = true;
                transport.select(new SelectedPairTransport.Route(socket,
                        new InetSocketAddress(localAddress.getAddress(), localAddress.getPort()),
                        new InetSocketAddress(pair.getRemoteCandidate().getTransportAddress().getAddress(),
                                pair.getRemoteCandidate().getTransportAddress().getPort()),
                        pair.getLocalCandidate().getType().toString(), pair.getRemoteCandidate().getType().toString(),
                        pair.getLocalCandidate().getTransport().toString()));
                old = previous;
                previous = null;
            }
            if (old != null) {
                old.free();
            }
            setState(IceConnectionState.CONNECTED);
        }

        private void startRelayReader(DatagramSocket relayed) {
            relayReaderSocket = relayed;
            try {
                // ice4j's multiplexing socket does not wake a blocked receive() when the relayed socket under
                // it closes: poll so the reader sees free() within a quarter second.
                relayed.setSoTimeout(250);
            } catch (SocketException e) {
                LOG.debug("cannot set a receive timeout on the relayed socket", e);
            }
            Thread reader = new Thread(() -> {
                byte[] buffer = new byte[65536];
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                while (!freed && !relayed.isClosed()) {
                    packet.setData(buffer, 0, buffer.length);
                    try {
                        relayed.receive(packet);
                    } catch (SocketTimeoutException idle) {
                        continue;
                    } catch (IOException closed) {
                        return;
                    }
                    if (Rfc7983.classify(buffer, 0, packet.getLength()) == Rfc7983.PacketClass.DTLS) {
                        transport.onDtls(null, buffer, 0, packet.getLength(),
                                (InetSocketAddress) packet.getSocketAddress());
                    } else {
                        transport.onDropped(null);
                    }
                }
            }, "purertc-ice-relay-reader-" + number);
            reader.setDaemon(true);
            reader.start();
        }

        /**
         * When the routed pair last proved the peer there: its last consent response (ice4j's on its selected
         * pair, {@link RoutedPairConsent}'s on a pair ice4j does not check), or the moment it started carrying data.
         */
        long lastConsentMillis() {
            CandidatePair pair = routed;
            if (pair == null) {
                return 0;
            }
            return Math.max(Math.max(pair.getConsentFreshness(), routedAtMillis),
                    routedConsent.lastResponseMillis(pair));
        }

        /**
         * Closes the relayed candidates' sockets before {@code Agent.free()}. ice4j's free shuts its STUN
         * stack down holding the connector map and then closes each relayed socket, whose close waits
         * for the socket's send thread; that thread, in the middle of a Send indication, waits for the
         * same connector map: a deadlock that hung close() (seen in CI with checks running through TURN).
         * Closed first, the relayed socket lets its send thread finish while nothing else is held.
         */
        private void closeRelayedSockets() {
            Component c = component;
            if (c == null) {
                return;
            }
            for (LocalCandidate local : c.getLocalCandidates()) {
                if (local instanceof RelayedCandidate relayed) {
                    IceSocketWrapper wrapper = relayed.getCandidateIceSocketWrapper();
                    if (wrapper != null) {
                        try {
                            wrapper.close();
                        } catch (RuntimeException e) {
                            LOG.debug("closing relayed socket {}: {}", relayed.getTransportAddress(), e.toString());
                        }
                    }
                }
            }
        }

        void free() {
            if (!freedFlag.compareAndSet(false, true)) {
                return;
            }
            freed = true;
            synchronized (feedLock) {
                if (deferredStart != null) {
                    deferredStart.cancel(false);
                }
            }
            routedConsent.stop();
            try {
                closeRelayedSockets();
                agent.free();
            } finally {
                DatagramSocket relayed = relayReaderSocket;
                if (relayed != null) {
                    relayed.close();
                }
                hostHarvester.closeSockets();
                if (tcpHarvester != null) {
                    tcpHarvester.closeSockets();
                }
                turnStreams.forEach(TurnStreamCandidateHarvester::closeStreams);
            }
        }
    }

    /** Test hook: wall-clock time of the last consent response on the selected pair, 0 before one. */
    long lastConsentMillis() {
        Generation g;
        synchronized (lock) {
            g = previous != null ? previous : current;
        }
        CandidatePair selected = g.selected;
        return selected == null ? 0
                : Math.max(selected.getConsentFreshness(), g.routedConsent.lastResponseMillis(selected));
    }

    /** Test hook: the current generation's consent checks sent without ice4j, and those answered. */
    long[] directConsentChecks() {
        RoutedPairConsent consent = currentGeneration().routedConsent;
        return new long[] {consent.directChecksSent(), consent.directChecksAnswered()};
    }

    /** Test hook: pairs in the current generation's check list whose local candidate is relayed. */
    int relayedPairs() {
        return currentGeneration().relayedPairs();
    }

    /** Test hook: class names of the non-host harvesters ice4j will run for the current generation. */
    List<String> serverHarvesters() {
        Generation g = currentGeneration();
        List<String> names = new ArrayList<>();
        for (CandidateHarvester h : g.agent.getHarvesters()) {
            names.add(h.getClass().getSimpleName());
        }
        return names;
    }

    /** Test hook: the ice4j agent of the current generation. */
    Agent currentIce4jAgent() {
        return currentGeneration().agent;
    }

    /** Test hook: the host harvester of the current generation. */
    HostCandidateSockets hostSockets() {
        return currentGeneration().hostHarvester;
    }

    /** Test hook: sockets the host harvester of the current generation holds open. */
    int openSocketCount() {
        return currentGeneration().hostHarvester.socketCount();
    }

    private Generation currentGeneration() {
        synchronized (lock) {
            return current;
        }
    }

    private boolean anotherGenerationConnected() {
        synchronized (lock) {
            return previous != null;
        }
    }

    /**
     * The address as an SDP candidate writes it (RFC 8839 §5.1): a scoped IPv6 address such as
     * {@code fe80::1%eth0} loses its zone, which names a local interface and means nothing to the peer.
     */
    static String sdpAddress(java.net.InetAddress address) {
        String text = address.getHostAddress();
        int zone = text.indexOf('%');
        return zone < 0 ? text : text.substring(0, zone);
    }
}
