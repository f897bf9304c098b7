package dev.purertc.channel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.purertc.dtls.DtlsCertificate;
import dev.purertc.dtls.DtlsConnectionInfo;
import dev.purertc.dtls.DtlsFingerprint;
import dev.purertc.dtls.DtlsListener;
import dev.purertc.dtls.DtlsRole;
import dev.purertc.dtls.DtlsTransport;
import dev.purertc.ice.IceAgent;
import dev.purertc.ice.IceAgentListener;
import dev.purertc.ice.IceConnectionState;
import dev.purertc.ice.IceCredentials;
import dev.purertc.ice.IceRole;
import dev.purertc.sctp.Association;
import dev.purertc.sctp.AssociationEvent;
import dev.purertc.sctp.SctpOptions;
import dev.purertc.sctp.channel.DataChannel;
import dev.purertc.sctp.channel.DataChannels;
import dev.purertc.sctp.channel.SendBufferFullException;
import dev.purertc.sdp.DataChannelDescription;
import dev.purertc.sdp.DataChannelNegotiation;
import dev.purertc.sdp.DataChannelParameters;
import dev.purertc.sdp.Fingerprint;
import dev.purertc.sdp.IceCandidate;
import dev.purertc.sdp.SctpParameters;
import dev.purertc.sdp.SdpParseException;
import dev.purertc.sdp.SdpValidationException;
import dev.purertc.sdp.SessionDescription;
import dev.purertc.sdp.SetupRole;

/**
 * An {@code RTCPeerConnection} for data channels (W3C WebRTC §4, JSEP RFC 8829): ICE (through
 * {@link IceAgent}), DTLS 1.2 ({@link DtlsTransport}) and SCTP with data channels
 * ({@link DataChannels}) glued together. Create it with
 * {@link PeerConnectionFactory#createPeerConnection}.
 *
 * <p>Usage is the browser's: the offerer calls {@link #createDataChannel}, {@link #createOffer},
 * {@link #setLocalDescription}, sends the offer, and applies the answer with
 * {@link #setRemoteDescription}; the answerer applies the offer, calls {@link #createAnswer} and
 * {@link #setLocalDescription}. Candidates trickle both ways through
 * {@link PeerConnectionListener#onIceCandidate} and {@link #addIceCandidate}; candidates that arrive
 * before the remote description are kept until it is set. Without trickle, wait for
 * {@link #iceGatheringState()} {@code COMPLETE} and send {@link #localDescription()}: it then carries every
 * candidate and {@code a=end-of-candidates}, as browsers' do.
 *
 * <p>How the layers meet: the DTLS role comes from the negotiated {@code a=setup} (RFC 8842 §5); the
 * DTLS handshake starts when ICE has a valid pair (before nomination, RFC 8445 §12.1); the SCTP
 * association starts when DTLS is connected, both sides sending INIT as browsers do (the collision is
 * resolved per RFC 9260 §5.2.4); each SCTP packet is one DTLS application record
 * (RFC 8261), the SCTP packet size being the DTLS record budget. The peer's {@code a=sctp-port} and
 * {@code a=max-message-size} are honoured: the send limit is min(local, remote).
 *
 * <p>Threading: the public methods may be called from any thread; the signaling ones are serialized
 * with an internal lock and complete their future before returning. The SCTP association and the
 * data channels live on one event loop of the factory, shared with other connections, so protocol
 * state takes no lock: inbound DTLS records are decrypted on ice4j's socket reader thread and handed
 * to the loop in batches ({@code InboundBatch}, the only thread hop), outbound SCTP packets are
 * encrypted and sent on the loop. Every listener call runs on the loop.
 *
 * <p>{@link #close()} aborts the association, sends DTLS close_notify, closes the ICE agent (its
 * sockets and reader thread) and cancels the connection's timer; it returns when all of that is done.
 * {@link #closeGracefully} first shuts the association down without dropping queued messages.
 *
 * <p>Failure is loud and prompt. When ICE fails (no pair found within
 * {@link RtcConfiguration#iceConnectTimeout()}, or consent expired), DTLS fails or the SCTP association
 * fails, the connection becomes {@link PeerConnectionState#FAILED}: the association ends, every channel
 * fires {@code onError} and then {@code onClose}, {@code send()} throws, and the connection's sockets and
 * threads are released at once (too late for {@link #restartIce()}; {@link #close()} is still to be called).
 * When the peer closes the connection cleanly (SCTP SHUTDOWN, an ABORT with no error cause as its
 * {@code close()} sends, DTLS close_notify), the connection becomes {@link PeerConnectionState#CLOSED}
 * at once, its channels close without an error event, and everything is released as {@link #close()}
 * does. W3C keeps the state {@code connected} then, until consent fails 10 to 30 s later, which leaves
 * an application no signal; PureRTC reports it as libdatachannel does. A peer ABORT that carries an
 * error cause (a protocol violation) is a failure.
 */
public final class RTCPeerConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RTCPeerConnection.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Inbound SCTP packets handled before outgoing packets (SACKs) are flushed. */
    private static final int INPUT_BATCH = 8;
    /** How long close() waits for the loop or a release in progress before giving up (and logging). */
    private static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(10);

    private final PeerConnectionFactory factory;
    private final EventLoop loop;
    private final RtcConfiguration config;
    private final PeerConnectionListener listener;
    private final DtlsCertificate certificate;
    private final long sessionId = RANDOM.nextLong() & Long.MAX_VALUE;
    private final Object lock = new Object();

    // Signaling state, guarded by lock.
    private SignalingState signalingState = SignalingState.STABLE;
    private final IceAgent ice;
    /** The local ufrag gathering was started for (a restart gathers again), or null before any gathering. */
    private String gatheringUfrag;
    private RTCSessionDescription localDescription;
    private RTCSessionDescription remoteDescription;
    /** The ufrag of {@link #localDescription}: local candidates of other credentials wait for theirs. */
    private String describedUfrag;
    /** The remote ICE credentials in force; a later description with others restarts ICE. */
    private IceCredentials remoteCredentials;
    /** What the last return to stable left in force: a rollback goes back to it (RFC 8829 §4.1.10.2). */
    private RTCSessionDescription stableLocalDescription;
    private RTCSessionDescription stableRemoteDescription;
    private DataChannelDescription stableRemote;
    private IceCredentials stableRemoteCredentials;
    private final Renegotiation renegotiation = new Renegotiation();
    private SessionDescription pendingRemoteOffer;
    private DataChannelDescription remote;
    private List<DtlsFingerprint> remoteFingerprints = List.of();
    private String localMid;
    /**
     * Remote candidates kept until the remote description: a browser sends a handful per interface
     * and transport; past this bound addIceCandidate fails, so a peer cannot grow the list without end.
     */
    static final int MAX_CANDIDATES_BEFORE_REMOTE = 256;
    private final List<RTCIceCandidate> candidatesBeforeRemote = new ArrayList<>();
    private final List<RTCIceCandidate> localCandidatesBeforeDescription = new ArrayList<>();
    private boolean localGatheringCompleteBeforeDescription;
    private final IceGathering gathering;
    private long sessionVersion;
    private DtlsRole dtlsRole;
    private volatile DtlsTransport dtls; // written under lock, read on the loop
    private boolean dtlsStarted;
    private boolean closed;
    /** ICE, DTLS or SCTP failed: the association was ended and the transports released (once). */
    private boolean transportFailed;
    /** The SCTP association failed or was aborted by a protocol error: the connection is FAILED. */
    private boolean associationFailed;
    /** Closes DTLS and ICE off-thread once the connection failed or the peer closed it. */
    private final TransportRelease release;

    // Aggregate state (guarded by lock; events are posted to the loop while holding it, keeping order).
    private IceConnectionState iceState = IceConnectionState.NEW;
    private DtlsStage dtlsStage = DtlsStage.NEW;
    private PeerConnectionState connectionState = PeerConnectionState.NEW;

    /** min(local, remote) max-message-size; before the remote description, the local one. */
    private volatile long sendLimit;
    /** The most one channel may have buffered: its bufferedAmount() is the one account send() checks. */
    private final long sendBufferLimit;

    private final PeerConnectionStats stats = new PeerConnectionStats();

    // Inbound records from the DTLS reader thread to the loop.
    private final InboundBatch inbound;

    // Loop-confined.
    private DataChannels channels;
    /** Every outgoing SCTP packet is written here; DtlsTransport.send encrypts it and keeps nothing. */
    private ByteBuffer outgoingPacket;
    private final List<RTCDataChannel> awaitingAssociation = new ArrayList<>();
    private final List<RTCDataChannel> buffering = new ArrayList<>();
    private EventLoop.Timeout timer;
    private long timerDeadline;
    private boolean associationEnded;
    /** Set on the loop by {@link #closeGracefully}: completed once the association has shut down. */
    private CompletableFuture<Void> gracefulClose;

    /**
     * Diagnostics for failure messages: where the connection stands in ICE, DTLS and SCTP. The SCTP
     * state is read off the loop, so it may be a moment old.
     */
    String transportStates() {
        synchronized (lock) {
            DataChannels c = channels;
            return "ice=" + iceState + " dtls=" + dtlsStage + " sctp=" + (c == null ? "none" : c.association().state())
                    + " queuedRecords=" + inbound.pendingCount();
        }
    }

    private enum DtlsStage { NEW, CONNECTING, CONNECTED, FAILED, CLOSED }

    RTCPeerConnection(PeerConnectionFactory factory, EventLoop loop, RtcConfiguration config,
                      PeerConnectionListener listener) {
        this.factory = factory;
        this.loop = loop;
        this.inbound = new InboundBatch(factory.recordPool());
        this.config = config;
        this.listener = listener;
        this.gathering = new IceGathering(s -> loop.execute(() -> listener.onIceGatheringStateChange(s)));
        this.certificate = config.certificates().isEmpty() ? DtlsCertificate.generate() : config.certificates().get(0);
        long local = config.maxMessageSize();
        this.sendLimit = local == 0 ? Long.MAX_VALUE : local;
        this.sendBufferLimit = config.sctpOptions().sendBufferSize();
        this.release = new TransportRelease(factory);
        // The agent is built now, off the offer/answer path (ice4j's agent takes milliseconds to build);
        // its role is settled by createOffer or setRemoteDescription(offer), before any check runs.
        this.ice = IceAgent.create(config.iceOptions(factory.udpMuxFor(config), factory.iceTcpListenerFor(config),
                factory.sharedUdpReaderFor(config)),
                IceRole.CONTROLLING, new IceEvents());
        if (config.iceCandidatePoolSize() > 0) {
            gatheringUfrag = ice.localCredentials().ufrag();
            try {
                ice.startGathering();
            } catch (IOException | RuntimeException e) {
                ice.close();
                throw new IllegalStateException("ICE gathering failed: " + e.getMessage(), e);
            }
        }
    }

    // ---- signaling --------------------------------------------------------------------------------

    /** Creates an offer with one data-channel section (W3C WebRTC §4.4.1.5; JSEP §5.2). */
    public CompletableFuture<RTCSessionDescription> createOffer() {
        return createOffer(false);
    }

    /**
     * Creates an offer; with {@code iceRestart} (the browser's {@code {iceRestart: true}}) it carries new
     * ICE credentials (RFC 8445 §9), as it does after {@link #restartIce()}. A later offer keeps the
     * negotiated data section, its mid and the DTLS certificate (JSEP §5.2.2); applied and answered, a
     * restart moves the data path to the new pair while DTLS and SCTP go on.
     */
    public CompletableFuture<RTCSessionDescription> createOffer(boolean iceRestart) {
        try {
            synchronized (lock) {
                ensureOpen();
                JsepTransitions.checkCreateOffer(signalingState);
                if (stableRemoteDescription == null) {
                    ensureAgent(IceRole.CONTROLLING); // JSEP §3.5.1: the first offerer controls, for good
                }
                if (renegotiation.offerRestartsAgent(iceRestart, ice.localCredentials().ufrag(), describedUfrag)) {
                    ice.restart(); // new credentials now; the new generation gathers once the offer is applied
                }
                String mid = localMid == null ? DataChannelNegotiation.OFFER_MID : localMid;
                SessionDescription offer = DataChannelNegotiation.createOffer(localParameters(), mid);
                return CompletableFuture.completedFuture(new RTCSessionDescription(RTCSessionDescription.Type.OFFER,
                        offer.toSdp()));
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Creates the answer to the remote offer (JSEP §5.3); {@code actpass} is answered {@code active}. */
    public CompletableFuture<RTCSessionDescription> createAnswer() {
        try {
            synchronized (lock) {
                ensureOpen();
                JsepTransitions.checkCreateAnswer(signalingState);
                // A later answer keeps the DTLS role in use (RFC 8842 §5.5); the first answers actpass active.
                SetupRole actpass = dtlsRole == null ? SetupRole.ACTIVE : Renegotiation.answerSetupKeeping(dtlsRole);
                SessionDescription answer = DataChannelNegotiation.createAnswer(pendingRemoteOffer,
                        localParameters(actpass));
                return CompletableFuture.completedFuture(new RTCSessionDescription(RTCSessionDescription.Type.ANSWER,
                        answer.toSdp()));
            }
        } catch (RuntimeException | SdpParseException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private DataChannelParameters localParameters() {
        return localParameters(SetupRole.ACTIVE);
    }

    private DataChannelParameters localParameters(SetupRole actpassAnswer) {
        IceCredentials credentials = ice.localCredentials();
        DtlsFingerprint fp = certificate.fingerprint();
        return DataChannelParameters.builder(credentials.ufrag(), credentials.password(),
                        new Fingerprint(fp.algorithm(), fp.hexValue()))
                .maxMessageSize(config.maxMessageSize())
                .sctpPort(config.sctpPort())
                .sessionId(sessionId)
                .sessionVersion(sessionVersion++)
                .trickle(true)
                .actpassAnswer(actpassAnswer)
                .build();
    }

    /**
     * Applies a local offer or answer (from {@link #createOffer}/{@link #createAnswer}) and starts
     * gathering: candidates follow through {@link PeerConnectionListener#onIceCandidate}. A
     * {@link RTCSessionDescription#rollback()} discards an unanswered offer, local or remote, and returns
     * to {@code stable} with the descriptions in force before it (RFC 8829 §4.1.10.2).
     */
    public CompletableFuture<Void> setLocalDescription(RTCSessionDescription description) {
        Objects.requireNonNull(description, "description");
        try {
            synchronized (lock) {
                ensureOpen();
                if (description.type() == RTCSessionDescription.Type.ROLLBACK) {
                    rollback();
                    return CompletableFuture.completedFuture(null);
                }
                SessionDescription sd = SessionDescription.parse(description.sdp());
                DataChannelDescription local = DataChannelDescription.of(sd);
                if (!local.ice().ufrag().equals(ice.localCredentials().ufrag())) {
                    throw new IllegalArgumentException("the description was not created by this connection "
                            + "(its ice-ufrag is not the local one)");
                }
                SignalingState next = JsepTransitions.afterSetLocal(signalingState, description.type());
                DtlsRole answerRole = null;
                if (description.type() == RTCSessionDescription.Type.ANSWER) {
                    SetupRole setup = local.dtls().setup().orElseThrow(
                            () -> new IllegalArgumentException("the answer has no a=setup"));
                    answerRole = setup.isDtlsClient() ? DtlsRole.CLIENT : DtlsRole.SERVER;
                    if (dtlsRole != null && answerRole != dtlsRole) {
                        throw new IllegalArgumentException("the answer changes the DTLS role in use (" + dtlsRole
                                + "); PureRTC keeps one DTLS association per connection");
                    }
                }
                // Gathering is the last step that can fail: start it before any state changes, so a
                // failure (no port to bind) leaves the connection as it was. After an ICE restart the new
                // credentials gather afresh (RFC 8445 §9).
                String ufrag = ice.localCredentials().ufrag();
                if (!ufrag.equals(gatheringUfrag)) {
                    if (gatheringUfrag != null) {
                        gathering.restart();
                        localGatheringCompleteBeforeDescription = false;
                    }
                    ice.startGathering();
                    gatheringUfrag = ufrag;
                }
                if (answerRole != null) {
                    dtlsRole = answerRole;
                    pendingRemoteOffer = null;
                }
                localDescription = description;
                describedUfrag = ufrag;
                renegotiation.localDescriptionApplied(ufrag);
                localMid = local.mid().orElse(null);
                setSignalingState(next);
                gathering.begin();
                flushLocalCandidates();
                maybeStartTransports();
            }
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException | SdpParseException | IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Applies the peer's offer or answer: ICE credentials and candidates, DTLS fingerprints and setup
     * role, SCTP port and max-message-size. Candidates given to {@link #addIceCandidate} before it are
     * applied now.
     *
     * <p>Everything is checked before anything changes: a description that fails (a typed
     * {@link SdpParseException} or {@link SdpValidationException} naming what was wrong, or an
     * {@link IllegalStateException} for the wrong signaling state) leaves the connection exactly as it
     * was, so a corrected description can be applied next. Buffered trickle candidates for another
     * {@code mid} than the data section's are dropped, not held against the description.
     */
    public CompletableFuture<Void> setRemoteDescription(RTCSessionDescription description) {
        Objects.requireNonNull(description, "description");
        try {
            synchronized (lock) {
                ensureOpen();
                if (description.type() == RTCSessionDescription.Type.ROLLBACK) {
                    rollback();
                    return CompletableFuture.completedFuture(null);
                }
                boolean implicitRollback = JsepTransitions.rollsBackImplicitly(signalingState, description.type());
                SignalingState from = implicitRollback ? SignalingState.STABLE : signalingState;
                SignalingState next = JsepTransitions.afterSetRemote(from, description.type());
                RemoteDescriptionValidator.Validated checked =
                        RemoteDescriptionValidator.validate(description, localDescription);
                boolean isAnswer = description.type() == RTCSessionDescription.Type.ANSWER;
                String mid = checked.dataChannel().mid().orElse(null);
                Renegotiation.checkKeepsDtls(dtlsRole, remoteFingerprints, checked.fingerprints(),
                        checked.dtlsRole(), isAnswer ? null
                                : checked.dataChannel().dtls().setup().orElse(SetupRole.DEFAULT_IN_OFFER), mid);
                boolean offerRestarted = isAnswer && stableLocalDescription != null
                        && !describedUfrag.equals(ufragOf(stableLocalDescription));
                boolean restart = Renegotiation.remoteRestarts(remoteCredentials, checked.credentials(), isAnswer,
                        offerRestarted, mid);
                if (implicitRollback) {
                    rollback();
                }
                if (restart && !isAnswer && ice.localCredentials().ufrag().equals(describedUfrag)) {
                    // The peer restarted ICE: so does this side (RFC 8445 §9); the answer carries the new
                    // credentials, and gathering for them starts when it is applied.
                    ice.restart();
                }
                apply(description, checked, next);
            }
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException | SdpParseException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Asks for an ICE restart (W3C WebRTC §4.4.1.5 {@code restartIce()}): {@link
     * PeerConnectionListener#onNegotiationNeeded()} fires (at once in {@code stable}, else once signaling
     * returns to it), and the next {@link #createOffer()} carries new ICE credentials. Once that offer is
     * answered, new checks run, the data path moves to the new pair, and DTLS and SCTP go on over it:
     * no message is lost or sent twice. Nothing happens before the application renegotiates.
     */
    public void restartIce() {
        synchronized (lock) {
            ensureOpen();
            if (renegotiation.requestIceRestart(describedUfrag, signalingState)) {
                fireNegotiationNeeded();
            }
        }
    }

    /**
     * Caller holds lock. As W3C's queued task does, the event checks again when it runs: a connection
     * that has left {@code stable} meanwhile, or whose need was met (a channel created before the remote
     * offer, then negotiated by the answer), gets no event; a later return to stable checks again.
     */
    private void fireNegotiationNeeded() {
        loop.execute(() -> {
            synchronized (lock) {
                if (closed || signalingState != SignalingState.STABLE || !renegotiation.stillNeeded()) {
                    return;
                }
            }
            listener.onNegotiationNeeded();
        });
    }

    /**
     * Caller holds lock. Rollback (RFC 8829 §4.1.10.2): the unanswered offer is discarded and the
     * descriptions of the last stable state are in force again. What an applied offer already started
     * in ICE (candidates, a restart's new credentials) is not undone: a rolled-back restart is offered
     * again by the next offer, and {@code negotiationneeded} fires for it.
     */
    private void rollback() {
        SignalingState next = JsepTransitions.afterRollback(signalingState);
        if (signalingState == SignalingState.HAVE_REMOTE_OFFER) {
            remoteDescription = stableRemoteDescription;
            remote = stableRemote;
            remoteCredentials = stableRemoteCredentials;
            pendingRemoteOffer = null;
        } else {
            localDescription = stableLocalDescription;
            describedUfrag = stableLocalDescription == null ? null : ufragOf(stableLocalDescription);
            if (!ice.localCredentials().ufrag().equals(describedUfrag) && describedUfrag != null) {
                renegotiation.requestIceRestart(describedUfrag, SignalingState.HAVE_LOCAL_OFFER);
            }
        }
        setSignalingState(next);
    }

    private static String ufragOf(RTCSessionDescription description) {
        try {
            return DataChannelDescription.of(SessionDescription.parse(description.sdp())).ice().ufrag();
        } catch (SdpParseException e) { // applied before, so it parsed then
            throw new IllegalStateException("an applied description no longer parses: " + e.getMessage(), e);
        }
    }

    /** Caller holds lock. {@code checked} passed {@link RemoteDescriptionValidator}: nothing here fails on the input. */
    private void apply(RTCSessionDescription description, RemoteDescriptionValidator.Validated checked,
                       SignalingState next) {
        DataChannelDescription dc = checked.dataChannel();
        if (description.type() == RTCSessionDescription.Type.OFFER) {
            if (stableRemoteDescription == null) {
                ensureAgent(IceRole.CONTROLLED); // JSEP §3.5.1: the roles of the first exchange stay
            }
            pendingRemoteOffer = checked.sdp();
        } else {
            dtlsRole = checked.dtlsRole();
        }
        remote = dc;
        remoteDescription = description;
        remoteCredentials = checked.credentials();
        setSignalingState(next);
        sendLimit = SctpParameters.sendLimit(config.maxMessageSize(), dc.sctp().maxMessageSize());
        remoteFingerprints = checked.fingerprints();
        // Candidates first, credentials last: the agent holds candidates until it has the
        // credentials, then starts checks with the whole list. The other order starts an empty
        // check list, and its first pacing beat (Ta) passes with nothing to check.
        for (IceCandidate c : dc.candidates()) {
            try {
                ice.addRemoteCandidate(c);
            } catch (RuntimeException e) { // parsed by the sdp module already; one the agent refuses is skipped
                LOG.debug("remote candidate {} skipped: {}", c.toCandidateString(), e.getMessage());
            }
        }
        List<RTCIceCandidate> early = List.copyOf(candidatesBeforeRemote);
        candidatesBeforeRemote.clear();
        for (RTCIceCandidate c : early) {
            try {
                applyRemoteCandidate(c);
            } catch (RuntimeException | SdpParseException e) {
                LOG.debug("early remote candidate {} dropped: {}", c.candidate(), e.getMessage());
            }
        }
        if (dc.endOfCandidates()) {
            ice.endOfRemoteCandidates();
        }
        ice.setRemoteCredentials(checked.credentials());
        maybeStartTransports();
    }

    /**
     * Adds a remote candidate received by trickle; {@code null} or an empty candidate ends the remote
     * list. Before the remote description it is kept (after a syntax check: a malformed line fails with
     * {@link SdpParseException}) and applied when that arrives; at most 256 are kept, past that the
     * future fails with {@link IllegalStateException}.
     */
    public CompletableFuture<Void> addIceCandidate(RTCIceCandidate candidate) {
        RTCIceCandidate c = candidate == null ? new RTCIceCandidate("", null, null) : candidate;
        try {
            synchronized (lock) {
                ensureOpen();
                if (remoteDescription == null || forNextRemoteGeneration(c)) {
                    if (!c.isEndOfCandidates() && !IceCandidate.isEndOfCandidates(c.candidate().strip())) {
                        IceCandidate.parse(c.candidate()); // a malformed line fails now, not the description later
                    }
                    if (candidatesBeforeRemote.size() >= MAX_CANDIDATES_BEFORE_REMOTE) {
                        throw new IllegalStateException(MAX_CANDIDATES_BEFORE_REMOTE
                                + " candidates already wait for the remote description");
                    }
                    candidatesBeforeRemote.add(c);
                } else {
                    applyRemoteCandidate(c);
                }
            }
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException | SdpParseException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Caller holds lock. A trickled candidate naming other remote credentials than those in force comes
     * from the peer's ICE restart whose offer has not arrived yet (trickle may overtake it): it is kept
     * and applied with that description, like candidates before the first one.
     */
    private boolean forNextRemoteGeneration(RTCIceCandidate c) throws SdpParseException {
        if (remoteCredentials == null || c.isEndOfCandidates() || IceCandidate.isEndOfCandidates(c.candidate().strip())) {
            return false;
        }
        return IceCandidate.parse(c.candidate()).extension("ufrag")
                .map(u -> !u.equals(remoteCredentials.ufrag())).orElse(false);
    }

    private void applyRemoteCandidate(RTCIceCandidate c) throws SdpParseException {
        if (c.sdpMid() != null && remote.mid().isPresent() && !c.sdpMid().equals(remote.mid().get())) {
            throw new IllegalArgumentException("candidate for mid " + c.sdpMid() + ", the data section is mid "
                    + remote.mid().get());
        }
        if (c.isEndOfCandidates()) {
            ice.endOfRemoteCandidates();
        } else {
            IceAgent.RemoteCandidateOutcome outcome = ice.addRemoteCandidate(c.candidate());
            LOG.debug("remote candidate {}: {}", c.candidate(), outcome);
        }
    }

    private static String candidateUfrag(RTCIceCandidate c) {
        try {
            return IceCandidate.parse(c.candidate()).extension("ufrag").orElse(null);
        } catch (SdpParseException e) { // the agent's own candidates always parse
            return null;
        }
    }

    /** RFC 8839 §4.3 / JSEP §3.5.1: the offerer controls, the answerer is controlled. */
    private void ensureAgent(IceRole role) {
        if (ice.role() != role) {
            ice.setRole(role);
        }
    }

    /** Caller holds lock. Candidates of the described credentials go out; those of a restart not yet described wait. */
    private void flushLocalCandidates() {
        String agentUfrag = ice.localCredentials().ufrag();
        List<RTCIceCandidate> waiting = new ArrayList<>();
        for (RTCIceCandidate c : localCandidatesBeforeDescription) {
            String ufrag = candidateUfrag(c);
            if (ufrag == null || ufrag.equals(describedUfrag)) {
                RTCIceCandidate withMid = new RTCIceCandidate(c.candidate(), localMid, 0);
                loop.execute(() -> listener.onIceCandidate(withMid));
            } else if (ufrag.equals(agentUfrag)) {
                waiting.add(c);
            } // else: an earlier generation's, no longer useful
        }
        localCandidatesBeforeDescription.clear();
        localCandidatesBeforeDescription.addAll(waiting);
        if (localGatheringCompleteBeforeDescription && agentUfrag.equals(describedUfrag)) {
            localGatheringCompleteBeforeDescription = false;
            gathering.finish();
            loop.execute(listener::onIceGatheringComplete);
        }
    }

    /** Caller holds lock. Creates DTLS once both descriptions are in, starts it once ICE is connected. */
    private void maybeStartTransports() {
        if (closed || dtlsRole == null || remote == null || localDescription == null) {
            return;
        }
        if (dtls == null) {
            IceAgent agent = ice;
            dtls = new DtlsTransport(dtlsRole, certificate, (buf, off, len) -> agent.transport().send(buf, off, len),
                    new DtlsEvents(), config.dtlsOptions(factory.handshakePool()));
            dtls.setRemoteFingerprints(remoteFingerprints);
            DtlsTransport d = dtls;
            agent.transport().setReceiver((data, offset, length, source) -> d.feed(data, offset, length));
        }
        if (!dtlsStarted && (iceState == IceConnectionState.CONNECTED || iceState == IceConnectionState.COMPLETED)) {
            dtlsStarted = true;
            dtlsStage = DtlsStage.CONNECTING;
            updateConnectionState();
            dtls.start().whenComplete((info, failure) -> loop.execute(() -> onDtlsDone(info, failure)));
        }
    }

    // ---- data channels ----------------------------------------------------------------------------

    /** Creates a data channel with the browser's defaults (reliable, ordered). */
    public RTCDataChannel createDataChannel(String label) {
        return createDataChannel(label, RTCDataChannelInit.defaults());
    }

    /**
     * Creates a data channel (W3C WebRTC §6.1 createDataChannel). It opens once the association is up
     * and, unless negotiated, the peer has acknowledged it (DCEP, RFC 8832).
     *
     * @throws IllegalArgumentException if the label is longer than 65535 bytes
     */
    public RTCDataChannel createDataChannel(String label, RTCDataChannelInit init) {
        return createDataChannel(label, init, null);
    }

    /**
     * Creates a data channel whose events go to {@code channelListener} from the start. Prefer this form
     * when the connection may already be up and the caller is not on the loop: a listener set after
     * {@link #createDataChannel(String, RTCDataChannelInit)} returns can miss an {@code onOpen} that
     * happened in between (JavaScript's single thread hides this race; Java's threads do not).
     */
    public RTCDataChannel createDataChannel(String label, RTCDataChannelInit init,
                                            RTCDataChannelListener channelListener) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(init, "init");
        if (label.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 65535) {
            throw new IllegalArgumentException("label longer than 65535 bytes");
        }
        synchronized (lock) {
            ensureOpen();
            if (renegotiation.dataChannelCreated(signalingState)) {
                fireNegotiationNeeded();
            }
        }
        RTCDataChannel channel = new RTCDataChannel(this, label, init);
        if (channelListener != null) {
            channel.setListener(channelListener);
        }
        onLoop(() -> {
            if (associationEnded) {
                channel.markClosed("the connection can no longer carry data channels: its association has ended");
            } else if (channels != null) {
                attachNew(channel);
            } else {
                awaitingAssociation.add(channel);
            }
        });
        return channel;
    }

    private void attachNew(RTCDataChannel channel) {
        try {
            refreshSctpClock();
            DataChannel c = channels.createDataChannel(channel.label(), channelInit(channel));
            channel.attach(c);
        } catch (RuntimeException e) {
            channel.markClosed("data channel not created: " + e.getMessage());
            LOG.debug("data channel '{}' not created: {}", channel.label(), e.getMessage());
        }
        afterWork();
    }

    private static dev.purertc.sctp.channel.DataChannelInit channelInit(RTCDataChannel channel) {
        RTCDataChannelInit i = new RTCDataChannelInit(channel.ordered(), channel.maxPacketLifeTime(),
                channel.maxRetransmits(), channel.protocol(), channel.negotiated(), channel.id());
        return i.toSctp();
    }

    // ---- state ------------------------------------------------------------------------------------

    public SignalingState signalingState() {
        synchronized (lock) {
            return signalingState;
        }
    }

    public IceConnectionState iceConnectionState() {
        synchronized (lock) {
            return iceState;
        }
    }

    public PeerConnectionState connectionState() {
        synchronized (lock) {
            return connectionState;
        }
    }

    /**
     * The local description with the candidates gathered so far, and {@code a=end-of-candidates} once
     * {@link #iceGatheringState()} is complete: sent then, it needs no trickle (see {@link IceGathering}).
     */
    public RTCSessionDescription localDescription() {
        synchronized (lock) {
            return gathering.describe(localDescription);
        }
    }

    /**
     * W3C §4.4.1.6: the local description of the last negotiation that completed (the last return to
     * {@code stable}), with the candidates gathered so far while stable; null before the first one
     * completes. During a renegotiation it stays the one in force; after {@link #close()} it is kept.
     */
    public RTCSessionDescription currentLocalDescription() {
        synchronized (lock) {
            if (stableLocalDescription == null) {
                return null;
            }
            return signalingState == SignalingState.STABLE ? gathering.describe(stableLocalDescription)
                    : stableLocalDescription;
        }
    }

    /**
     * W3C §4.4.1.6: the local description of a negotiation under way (a local offer not yet answered),
     * with the candidates gathered so far; null in {@code stable} and when the offer under way is the
     * peer's.
     */
    public RTCSessionDescription pendingLocalDescription() {
        synchronized (lock) {
            return signalingState != SignalingState.STABLE && signalingState != SignalingState.CLOSED
                    && localDescription != null && localDescription != stableLocalDescription
                    ? gathering.describe(localDescription) : null;
        }
    }

    /** W3C §4.4.1.6: the remote description of the last negotiation that completed; null before one has. */
    public RTCSessionDescription currentRemoteDescription() {
        synchronized (lock) {
            return stableRemoteDescription;
        }
    }

    /** W3C §4.4.1.6: the peer's offer of a negotiation under way; null in {@code stable} or for a local offer. */
    public RTCSessionDescription pendingRemoteDescription() {
        synchronized (lock) {
            return signalingState != SignalingState.STABLE && signalingState != SignalingState.CLOSED
                    && remoteDescription != null && remoteDescription != stableRemoteDescription
                    ? remoteDescription : null;
        }
    }

    public IceGatheringState iceGatheringState() {
        return gathering.state();
    }

    /** Whether the remote description offers trickle ({@code a=ice-options:trickle}); null before it is set. */
    public Boolean canTrickleIceCandidates() {
        synchronized (lock) {
            return remote == null ? null : remote.ice().trickle();
        }
    }

    public RTCSessionDescription remoteDescription() {
        synchronized (lock) {
            return remoteDescription;
        }
    }

    /** The DTLS role negotiated by {@code a=setup}, or null before both descriptions are set. */
    public DtlsRole dtlsRole() {
        synchronized (lock) {
            return dtlsRole;
        }
    }

    /** Version, cipher suite, back end and verified peer fingerprint once DTLS is connected. */
    public java.util.Optional<DtlsConnectionInfo> dtlsConnectionInfo() {
        DtlsTransport d;
        synchronized (lock) {
            d = dtls;
        }
        return d == null ? java.util.Optional.empty() : d.connectionInfo();
    }

    /**
     * The connection's statistics now, with the W3C names: the connection, each channel not yet closed
     * (messages and bytes sent and received), the transport (DTLS bytes, packets, state, version,
     * cipher, role), the selected candidate pair and its candidates, and SCTP (smoothed round trip,
     * congestion and receiver window, retransmissions). Completes on the connection's event loop.
     * Fails with IllegalStateException once the factory is closed.
     */
    public CompletableFuture<RTCStatsReport> getStats() {
        CompletableFuture<RTCStatsReport> report = new CompletableFuture<>();
        try {
            onLoop(() -> report.complete(stats.report(statsTransports())));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            report.completeExceptionally(new IllegalStateException("the factory is closed", e));
        }
        return report;
    }

    /** On the loop. */
    private PeerConnectionStats.Transports statsTransports() {
        DtlsTransport d = dtls;
        IceConnectionState iceNow;
        synchronized (lock) {
            iceNow = iceState;
        }
        DataChannels c = channels;
        return new PeerConnectionStats.Transports(iceNow, d == null ? null : d.state(),
                d == null ? java.util.Optional.empty() : d.connectionInfo(), d == null ? null : d.stats(),
                ice.selectedPair(), c == null ? null : c.association().stats());
    }

    /** The candidate pair carrying data now, or null before one (tests see an ICE restart move the path). */
    IceAgent.SelectedPair selectedPair() {
        return ice.selectedPair();
    }

        PeerConnectionStats stats() {
        return stats;
    }

    /** The certificate whose fingerprint this connection announces. */
    public DtlsCertificate certificate() {
        return certificate;
    }

    /** Caller holds lock. Back in stable, what is in force is kept for a later rollback, and negotiation-needed is checked. */
    private void setSignalingState(SignalingState next) {
        if (signalingState == next) {
            return;
        }
        signalingState = next;
        loop.execute(() -> listener.onSignalingStateChange(next));
        if (next == SignalingState.STABLE) {
            stableLocalDescription = localDescription;
            stableRemoteDescription = remoteDescription;
            stableRemote = remote;
            stableRemoteCredentials = remoteCredentials;
            if (renegotiation.stable(localDescription != null && remoteDescription != null)) {
                fireNegotiationNeeded();
            }
        }
    }

    /** Caller holds lock (W3C WebRTC §4.3.3, with one ICE and one DTLS transport). */
    private void updateConnectionState() {
        PeerConnectionState next;
        if (closed) {
            next = PeerConnectionState.CLOSED;
        } else if (iceState == IceConnectionState.FAILED || dtlsStage == DtlsStage.FAILED || associationFailed) {
            next = PeerConnectionState.FAILED;
        } else if (iceState == IceConnectionState.DISCONNECTED) {
            next = PeerConnectionState.DISCONNECTED;
        } else if (iceState == IceConnectionState.NEW && dtlsStage == DtlsStage.NEW) {
            next = PeerConnectionState.NEW;
        } else if ((iceState == IceConnectionState.CONNECTED || iceState == IceConnectionState.COMPLETED)
                && dtlsStage == DtlsStage.CONNECTED) {
            next = PeerConnectionState.CONNECTED;
        } else {
            next = PeerConnectionState.CONNECTING;
        }
        if (next != connectionState) {
            connectionState = next;
            loop.execute(() -> listener.onConnectionStateChange(next));
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the peer connection is closed");
        }
    }

    // ---- ICE and DTLS events ------------------------------------------------------------------------

    private final class IceEvents implements IceAgentListener {
        @Override
        public void onLocalCandidate(IceCandidate candidate) {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                gathering.add(candidate);
                RTCIceCandidate c = new RTCIceCandidate(candidate.toCandidateString(), localMid, 0);
                if (localDescription == null || !candidate.extension("ufrag").map(describedUfrag::equals).orElse(true)) {
                    // before the description, or gathered for restarted credentials not yet described
                    localCandidatesBeforeDescription.add(c);
                } else {
                    loop.execute(() -> listener.onIceCandidate(c));
                }
            }
        }

        @Override
        public void onEndOfCandidates() {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                if (localDescription == null || !ice.localCredentials().ufrag().equals(describedUfrag)) {
                    localGatheringCompleteBeforeDescription = true;
                } else {
                    gathering.finish();
                    loop.execute(listener::onIceGatheringComplete);
                }
            }
        }

        @Override
        public void onStateChange(IceConnectionState state) {
            synchronized (lock) {
                if (closed || state == IceConnectionState.CLOSED) {
                    return;
                }
                if (iceState == state) {
                    return;
                }
                iceState = state;
                loop.execute(() -> listener.onIceConnectionStateChange(state));
                maybeStartTransports();
                updateConnectionState();
                if (state == IceConnectionState.FAILED) {
                    transportFailed("ICE failed: no working candidate pair, or the peer stopped answering "
                            + "consent checks (RFC 7675)");
                }
            }
        }
    }

    private final class DtlsEvents implements DtlsListener {
        @Override
        public void onApplicationData(byte[] data) {
            onApplicationData(data, 0, data.length);
        }

        @Override
        public void onApplicationData(byte[] buffer, int offset, int length) {
            if (inbound.add(buffer, offset, length)) {
                loop.execute(RTCPeerConnection.this::drainInbound);
            }
        }

        @Override
        public void onPeerClosed() {
            synchronized (lock) {
                dtlsStage = DtlsStage.CLOSED;
            }
            loop.execute(() -> closedByPeer("the peer closed DTLS (close_notify)"));
        }

        @Override
        public void onFailed(Throwable cause) {
            LOG.debug("DTLS failed: {}", cause.toString());
            synchronized (lock) {
                if (closed) {
                    return;
                }
                dtlsStage = DtlsStage.FAILED;
                updateConnectionState();
                transportFailed("DTLS failed: " + cause.getMessage());
            }
        }
    }

    // ---- the loop side ------------------------------------------------------------------------------

    /** Runs {@code task} on the loop: inline when already on it, queued otherwise. */
    void onLoop(Runnable task) {
        if (loop.inLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    private void onDtlsDone(DtlsConnectionInfo info, Throwable failure) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            dtlsStage = failure == null ? DtlsStage.CONNECTED : DtlsStage.FAILED;
            updateConnectionState();
            if (failure != null) {
                LOG.debug("DTLS handshake failed: {}", failure.toString());
                transportFailed("DTLS handshake failed: " + failure.getMessage());
                return;
            }
        }
        DataChannelDescription r;
        DtlsTransport d;
        synchronized (lock) {
            r = remote;
            d = dtls;
        }
        long localMax = config.maxMessageSize();
        SctpOptions sctp = config.sctpOptions().toBuilder()
                .localPort(config.sctpPort())
                .remotePort(r.sctp().port())
                .mtu(sctpMtu(d.maxApplicationPayload()))
                .maxMessageSize(localMax == 0 ? Integer.MAX_VALUE : (int) localMax)
                // Each channel bounds its own bufferedAmount (sendBufferLimit): SCTP must not refuse,
                // after the fact, a message the channel accepted.
                .sendBufferSize(Long.MAX_VALUE)
                .build();
        Association association = new Association(sctp);
        outgoingPacket = ByteBuffer.allocate(sctp.mtu());
        channels = new DataChannels(association, info.role() == DtlsRole.CLIENT);
        channels.setRemoteMaxMessageSize(r.sctp().maxMessageSize());
        channels.setListener(new ChannelEvents());
        // Both DTLS roles send INIT, as Chromium and Firefox do: werift's answering side only waits for
        // one. The INIT collision that follows is resolved per RFC 9260 §5.2.4 (sctp's
        // InitCollisionStressTest runs it over every start offset, loss and reordering).
        channels.connect(System.nanoTime());
        for (RTCDataChannel c : awaitingAssociation) {
            attachNew(c);
        }
        awaitingAssociation.clear();
        drainInbound();
    }

    /**
     * One SCTP packet per DTLS record (RFC 8261 §5): the packet budget is the record budget, rounded down
     * to a multiple of 4 (RFC 9260 §3.2 chunk padding). Associations before sctp commit 1b39c60 overshot an
     * unaligned mtu by the padding; the rounding costs at most 3 bytes a packet and keeps any version safe.
     */
    static int sctpMtu(int maxRecordPayload) {
        return maxRecordPayload & ~3;
    }

    private final class ChannelEvents implements DataChannels.Listener {
        @Override
        public void onDataChannel(DataChannel channel) {
            RTCDataChannel wrapper = new RTCDataChannel(RTCPeerConnection.this, channel.label(),
                    new RTCDataChannelInit(channel.ordered(),
                            channel.maxPacketLifeTimeMillis() < 0 ? null : (int) channel.maxPacketLifeTimeMillis(),
                            channel.maxRetransmits() < 0 ? null : channel.maxRetransmits(),
                            channel.protocol(), false, channel.id()));
            wrapper.attach(channel);
            listener.onDataChannel(wrapper);
        }

        @Override
        public void onAssociationEnded(AssociationEvent reason) {
            LOG.debug("association ended: {}", reason);
            associationEnded = true;
            CompletableFuture<Void> graceful = gracefulClose;
            if (graceful != null) {
                gracefulClose = null;
                close();
                graceful.complete(null);
                return;
            }
            synchronized (lock) {
                if (closed || transportFailed) {
                    return; // our own close(), or the end of a failure already reported
                }
            }
            if (reason instanceof AssociationEvent.Closed
                    || reason instanceof AssociationEvent.Aborted a && a.byPeer() && a.userInitiated()) {
                closedByPeer(DataChannels.describeEnd(reason));
            } else {
                // SCTP gave up on the peer (RFC 9260 §8.1), or one side broke the protocol.
                synchronized (lock) {
                    associationFailed = true;
                    updateConnectionState();
                    transportFailed(DataChannels.describeEnd(reason));
                }
            }
        }
    }

    /** On the loop: feeds queued inbound SCTP packets to the association. */
    private void drainInbound() {
        DataChannels c = channels;
        if (c == null) {
            inbound.unschedule(); // onDtlsDone drains once the association exists
            return;
        }
        InboundBatch.Records batch = inbound.take();
        long now = System.nanoTime();
        for (int i = 0; i < batch.size(); i++) {
            // The arrays go back to the pool after this batch: SCTP copies what it keeps.
            c.handleInput(ByteBuffer.wrap(batch.array(i), 0, batch.length(i)), now);
            if ((i + 1) % INPUT_BATCH == 0) {
                flushOutgoing();
                now = System.nanoTime();
            }
        }
        inbound.recycle(batch);
        afterWork();
    }

    /**
     * On the loop, before a user call into SCTP (open, send, close): SCTP stamps what it sends with the
     * latest time it was given, and an association that was idle was last given one long ago. A stale
     * stamp makes T3-rtx fire at once (cwnd falls to one MTU and the window is sent again) and feeds a
     * round trip of the whole idle time into the RTO.
     */
    void refreshSctpClock() {
        DataChannels c = channels;
        if (c != null) {
            c.advanceTime(System.nanoTime());
        }
    }

    /** On the loop, after anything touched the association: send, refresh bufferedAmount, re-arm the timer. */
    void afterWork() {
        flushOutgoing();
        refreshBuffered();
        armTimer();
    }

    private void flushOutgoing() {
        DataChannels c = channels;
        if (c == null) {
            return;
        }
        DtlsTransport d = dtls;
        ByteBuffer out = outgoingPacket;
        int length;
        while ((length = c.pollOutgoingPacket(out.clear())) > 0) {
            try {
                d.send(out.array(), 0, length);
            } catch (IOException | IllegalStateException | IllegalArgumentException e) {
                LOG.debug("SCTP packet not sent: {}", e.toString());
                return;
            }
        }
    }

    private void refreshBuffered() {
        if (!buffering.isEmpty()) {
            for (int i = buffering.size() - 1; i >= 0; i--) {
                if (!buffering.get(i).refreshBuffered()) {
                    buffering.remove(i);
                }
            }
        }
    }

    /** On the loop: a channel just queued data; watch its bufferedAmount until it drains. */
    void trackBuffered(RTCDataChannel channel) {
        if (!buffering.contains(channel)) {
            buffering.add(channel);
        }
        afterWork();
    }

    /** On the loop: the channel is closed; stop tracking it. */
    void forget(RTCDataChannel channel) {
        buffering.remove(channel);
    }

    private void armTimer() {
        DataChannels c = channels;
        if (c == null) {
            return;
        }
        long next = c.nextTimeoutNanos();
        if (next == Long.MAX_VALUE) {
            return;
        }
        if (timer != null) {
            if (timerDeadline <= next) {
                return; // fires early at worst; onTimer re-arms
            }
            timer.cancel();
        }
        timerDeadline = next;
        timer = loop.schedule(this::onTimer, next);
    }

    private void onTimer() {
        timer = null;
        DataChannels c = channels;
        if (c == null) {
            return;
        }
        c.advanceTime(System.nanoTime());
        afterWork();
    }

    /**
     * On the loop: a transport failed and the association can no longer carry data. Every channel fires
     * {@code onError} with {@code reason}, then {@code onClose}.
     */
    private void endAssociation(String reason) {
        associationEnded = true;
        DataChannels c = channels;
        if (c != null && !c.association().state().equals(dev.purertc.sctp.AssociationState.CLOSED)) {
            c.association().abort(reason, System.nanoTime());
            c.advanceTime(System.nanoTime()); // dispatches the Aborted event: every channel errors and closes
        }
        closeAwaitingChannels(reason);
    }

    /** On the loop: channels created before the association existed close; with an error event unless null. */
    private void closeAwaitingChannels(String error) {
        for (RTCDataChannel ch : awaitingAssociation) {
            ch.markClosed(error);
        }
        awaitingAssociation.clear();
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /**
     * Caller holds lock. ICE, DTLS or SCTP failed (the state is already FAILED): the association ends on
     * the loop with error events, and the sockets and threads are released at once, off the loop. The
     * connection stays FAILED until {@link #close()}.
     */
    private void transportFailed(String reason) {
        if (closed || transportFailed) {
            return;
        }
        transportFailed = true;
        LOG.debug("connection failed: {}", reason);
        loop.execute(() -> endAssociation(reason));
        release.start(dtls, ice);
    }

    /**
     * On the loop: the peer closed the connection cleanly (SCTP SHUTDOWN, an ABORT without an error
     * cause, DTLS close_notify). The connection becomes CLOSED now, not when consent runs out; the
     * channels close as after a close by this side, without an error event.
     */
    private void closedByPeer(String reason) {
        DtlsTransport d;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            release.expect(); // a close() from now on waits for the release started below
            LOG.debug("closed by the peer: {}", reason);
            signalingState = SignalingState.CLOSED;
            if (iceState != IceConnectionState.CLOSED) {
                iceState = IceConnectionState.CLOSED;
                loop.execute(() -> listener.onIceConnectionStateChange(IceConnectionState.CLOSED));
            }
            connectionState = PeerConnectionState.CLOSED;
            loop.execute(() -> listener.onConnectionStateChange(PeerConnectionState.CLOSED));
            d = dtls;
        }
        try {
            closeAssociation(reason);
        } finally {
            factory.forget(this);
            release.start(d, ice);
        }
    }

    /** On the loop: the association and every channel close without error events (a close, not a failure). */
    private void closeAssociation(String reason) {
        DataChannels c = channels;
        associationEnded = true;
        if (c != null) {
            if (c.association().state() != dev.purertc.sctp.AssociationState.CLOSED) {
                c.close(reason, System.nanoTime()); // channels close without error events
            }
            // The ABORT, or the SHUTDOWN COMPLETE of a graceful close that just finished: it must leave
            // before close_notify, or the peer learns of the end only from DTLS.
            flushOutgoing();
        }
        closeAwaitingChannels(null);
        for (RTCDataChannel ch : List.copyOf(buffering)) {
            ch.markClosed(null);
        }
        buffering.clear();
        inbound.clear();
    }

    // ---- send-buffer accounting (any thread) -----------------------------------------------------

    long sendLimit() {
        return sendLimit;
    }

    long sendBufferLimit() {
        return sendBufferLimit;
    }

    /**
     * Test hook: the network under this connection disappears (its ICE sockets close) without any
     * goodbye: no SCTP ABORT, no DTLS close_notify. The peer can only notice through consent freshness.
     */
    void dropNetworkSilently() {
        ice.close();
    }

    /** Test hook: DTLS close_notify alone, with no SCTP ABORT before it (a peer that closes only DTLS). */
    void closeDtlsOnly() {
        DtlsTransport d;
        synchronized (lock) {
            d = dtls;
        }
        d.close();
    }

    // ---- close --------------------------------------------------------------------------------------

    /**
     * Closes the connection without losing what was sent: the SCTP association shuts down gracefully
     * (RFC 9260 §9.2: every message already passed to {@code send} is delivered and acknowledged, then
     * SHUTDOWN, SHUTDOWN ACK and SHUTDOWN COMPLETE), and then {@link #close()} runs. Browsers' close()
     * sends ABORT instead and drops what is queued; this is for a server that must not. If the shutdown
     * has not completed within {@code timeout}, or the association is not up, it closes at once.
     *
     * @return completes once the connection is closed
     */
    public CompletableFuture<Void> closeGracefully(java.time.Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable start = () -> {
            DataChannels c = channels;
            boolean isClosed;
            synchronized (lock) {
                isClosed = closed;
            }
            if (isClosed || c == null || c.association().state() != dev.purertc.sctp.AssociationState.ESTABLISHED) {
                close();
                done.complete(null);
                return;
            }
            gracefulClose = done;
            c.shutdown(System.nanoTime());
            afterWork();
            loop.schedule(() -> {
                if (gracefulClose == done) {
                    gracefulClose = null;
                    LOG.debug("graceful shutdown did not complete within {}; closing", timeout);
                    close();
                    done.complete(null);
                }
            }, System.nanoTime() + timeout.toNanos());
        };
        try {
            onLoop(start);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            close();
            done.complete(null);
        }
        return done;
    }

    /**
     * Closes the connection (W3C WebRTC §4.4.1.4): aborts the association (every channel becomes
     * CLOSED), sends DTLS close_notify and closes the ICE agent's sockets. Returns when done; idempotent.
     * Called from a listener of a connection on another event loop, it does not wait for this
     * connection's loop (two loops waiting for each other would deadlock): the channels then close
     * on their loop just after the call returns.
     */
    @Override
    public void close() {
        DtlsTransport d;
        IceAgent agent;
        synchronized (lock) {
            if (closed) {
                d = null;
                agent = null;
            } else {
                closed = true;
                release.expect();
                signalingState = SignalingState.CLOSED;
                connectionState = PeerConnectionState.CLOSED;
                iceState = IceConnectionState.CLOSED;
                d = dtls;
                agent = ice;
            }
        }
        if (agent == null) {
            // Closed by the peer or by another thread's close(): return once released, as promised. On an
            // event loop (a listener called while the peer's close runs) the release may start only after
            // this very turn: wait only for one that has started.
            if (release.started() || !EventLoop.onAnyLoop()) {
                release.await(CLOSE_WAIT);
            }
            return;
        }
        Runnable closeChannels = () -> closeAssociation("peer connection closed");
        if (loop.inLoop()) {
            closeChannels.run();
        } else if (EventLoop.onAnyLoop()) {
            // Called from a listener of a connection on another loop: waiting could deadlock two loops.
            try {
                loop.execute(closeChannels);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.debug("loop already stopped: {}", e.toString());
            }
        } else {
            try {
                loop.submit(closeChannels).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
                LOG.warn("closing the data channels failed: {}", e.toString());
            }
        }
        factory.forget(this);
        release.start(d, agent); // does nothing if a failure's release already started: then wait for it
        release.await(CLOSE_WAIT);
    }
}
