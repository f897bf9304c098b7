package dev.purertc.signaling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.purertc.channel.RTCIceCandidate;
import dev.purertc.channel.RTCPeerConnection;
import dev.purertc.channel.RTCSessionDescription;
import dev.purertc.channel.SignalingState;
import dev.purertc.rooms.CallRefusal;
import dev.purertc.rooms.CallRefusedException;
import dev.purertc.rooms.GraphscriptJson;
import dev.purertc.rooms.Room;
import dev.purertc.rooms.RoomIds;
import dev.purertc.rooms.RoomOptions;
import dev.purertc.rooms.TimeoutScheduler;
import dev.purertc.rooms.WebRtcRooms;

/**
 * Connects {@link WebRtcRooms} to other users through a {@link SignalingClient}, with the PureRTC
 * messages the browser module's {@code callUser}/{@code answerCalls} also use:
 * <pre>
 * caller → {"type":"call","to":B,"room":ID,"description":{"type":"offer","sdp":...}}
 * both   → {"type":"candidate","to":X,"room":ID,"candidate":{"candidate","sdpMid","sdpMLineIndex"}}
 * callee → {"type":"answer","to":A,"room":ID,"description":{"type":"answer","sdp":...}}
 *          or {"type":"reject","to":A,"room":ID,"reason":R,"message":TEXT}
 * either → {"type":"hangup","to":X,"room":ID}
 * either → {"type":"description","to":X,"room":ID,"description":{"type":"offer"|"answer","sdp":...}}
 * </pre>
 * {@code description} renegotiates an open room (JSEP RFC 8829 §5.2.2): an offer is answered with a
 * {@code description} carrying the answer. A room's negotiation-needed event (a channel added later,
 * {@code room.connection().restartIce()}) sends the offer by itself, as does {@link #renegotiate}. Glare
 * follows perfect negotiation with {@link Room#polite()}: the polite callee rolls its own offer back and
 * answers, the impolite caller ignores the colliding offer and keeps its own; an offer not answered within
 * 10 s is rolled back (so a peer that never answers cannot hold the room in {@code have-local-offer}). A room whose connection
 * becomes {@code disconnected} while this side's signaling is up restarts ICE by itself, the caller
 * starting ({@link AutoIceRestart}).
 * A room is bound to one peer: the callee for a call this side made, the caller for a call it
 * accepted. An {@code answer}, {@code candidate}, {@code hangup} or {@code reject} acts only when its
 * server-stamped {@code from} is that peer; anything else is ignored (logged at DEBUG). A {@code call}
 * that reuses a bound room id is refused with reason {@code room-in-use}. Generated room ids carry 128
 * random bits ({@link RoomIds}). Calls are answered within {@link CallLimits}: past them the caller
 * gets a {@code reject} with reason {@code too-many-calls} or {@code too-many-calls-from-user}, and an
 * answered call that has not connected by {@link CallLimits#connectTimeout()} is hung up. The reasons
 * are the wire names of {@link CallRefusal}; a call this side made that is refused fails with
 * {@link CallRefusedException}.
 *
 * <p>Use it as the client's listener, then {@link #bind} the connected client before registering:
 * <pre>{@code
 * RoomSignaling signaling = new RoomSignaling(rooms, call -> RoomOptions.builder().build());
 * SignalingClient client = SignalingClient.connect(uri, SignalingClientOptions.builder(signaling).build()).get();
 * signaling.bind(client);
 * client.register("javapeer").get();
 * }</pre>
 * The bridge sets each room's {@code onIceCandidate} (to trickle candidates to the peer). Threading:
 * incoming signaling is handled in arrival order on one daemon thread of this bridge (room setup
 * blocks briefly, which must not happen on the client's event loop); {@link #close()} stops it.
 */
public final class RoomSignaling implements SignalingListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RoomSignaling.class);
    /** How long a renegotiation offer waits for the peer's answer before it is rolled back. */
    static final java.time.Duration RENEGOTIATION_ANSWER_BOUND = java.time.Duration.ofSeconds(10);

    private final WebRtcRooms rooms;
    private final Function<SignalingMessage, RoomOptions> onCall;
    private final SignalingListener others;
    private final ExecutorService serial = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "purertc-room-signaling");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, CompletableFuture<Room>> outgoing = new ConcurrentHashMap<>();
    private final RoomBindings bindings = new RoomBindings();
    private final CallAdmission admission;
    private final TimeoutScheduler scheduler;
    /** Renegotiations this side started, by room id, completed when the peer's answer is applied. */
    private final Map<String, CompletableFuture<Void>> renegotiating = new ConcurrentHashMap<>();
    private final AutoIceRestart autoRestart = new AutoIceRestart(() -> {
        SignalingClient c = this.client;
        return c != null && !c.closeFuture().isDone() && !this.serial.isShutdown();
    });
    private volatile SignalingClient client;

    /**
     * @param rooms the rooms calls open
     * @param onCall decides an incoming call: the options to answer with (channels, callbacks), or null
     *        to reject it
     * @param others receives every message this bridge does not handle (may be null)
     * @param limits bounds on the calls this bridge answers
     * @param scheduler runs the connect deadlines of answered calls
     */
    public RoomSignaling(WebRtcRooms rooms, Function<SignalingMessage, RoomOptions> onCall, SignalingListener others,
                         CallLimits limits, TimeoutScheduler scheduler) {
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.onCall = Objects.requireNonNull(onCall, "onCall");
        this.others = others;
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.admission = new CallAdmission(Objects.requireNonNull(limits, "limits"),
                Objects.requireNonNull(scheduler, "scheduler"), this::connectTimedOut);
    }

    /** A bridge with {@link CallLimits#defaults()}. */
    public RoomSignaling(WebRtcRooms rooms, Function<SignalingMessage, RoomOptions> onCall, SignalingListener others) {
        this(rooms, onCall, others, CallLimits.defaults(), TimeoutScheduler.shared());
    }

    public RoomSignaling(WebRtcRooms rooms, Function<SignalingMessage, RoomOptions> onCall) {
        this(rooms, onCall, null);
    }

    /** The client this bridge sends through; call once, before registering. */
    public void bind(SignalingClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** Answered calls open now (counted against {@link CallLimits}). */
    public int answeredCalls() {
        return admission.open();
    }

    /**
     * Calls {@code user}: opens a room as caller, sends the offer, and completes once the answer has
     * been applied (the room then connects; wait on {@link Room#opened()}). Fails with
     * {@link SignalingException} if the user is unknown, and with {@link CallRefusedException} if the
     * user rejects the call or the given room id is in use.
     */
    public CompletableFuture<Room> call(String user, RoomOptions options) {
        SignalingClient c = requireClient();
        CompletableFuture<Room> answered = new CompletableFuture<>();
        serial.execute(() -> {
            try {
                RoomOptions.Builder b = (options == null ? RoomOptions.builder() : options.toBuilder());
                String id = options != null && options.id() != null ? options.id() : RoomIds.random();
                if (rooms.room(id) != null || !bindings.bind(id, user)) {
                    answered.completeExceptionally(new CallRefusedException(CallRefusal.ROOM_IN_USE, id,
                            "room " + id + " is in use"));
                    return;
                }
                // Candidates gathered before the call has gone out would reach a callee that has no such room
                // yet and be dropped (the browser module ignores them): they wait for the call.
                List<RTCIceCandidate> early = new ArrayList<>();
                boolean[] called = {false};
                Room room;
                try {
                    room = rooms.openRTC(b.id(id).onIceCandidate((r, cand) -> {
                        synchronized (early) {
                            if (!called[0]) {
                                early.add(cand);
                                return;
                            }
                        }
                        sendCandidate(user, id, cand);
                    }).onNegotiationNeeded(renegotiateWhenNeeded(id, b.build().negotiationNeededCallback()))
                            .onConnectionStateChange(autoRestart.after(b.build().connectionStateCallback()))
                            .build()).join();
                } catch (RuntimeException e) {
                    bindings.release(id, user);
                    throw e;
                }
                room.closed().thenRun(() -> forget(id, user));
                outgoing.put(id, answered);
                ObjectNode call = SignalingJson.object();
                call.put("room", id);
                call.set("description", GraphscriptJson.descriptionJson(room.localDescription()));
                c.send(user, "call", call).whenComplete((ok, failure) -> {
                    if (failure != null && outgoing.remove(id, answered)) {
                        rooms.terminate(id);
                        answered.completeExceptionally(failure);
                    }
                });
                List<RTCIceCandidate> held;
                synchronized (early) {
                    called[0] = true;
                    held = List.copyOf(early);
                }
                for (RTCIceCandidate cand : held) {
                    sendCandidate(user, id, cand);
                }
            } catch (RuntimeException e) {
                answered.completeExceptionally(e instanceof java.util.concurrent.CompletionException ce
                        && ce.getCause() != null ? ce.getCause() : e);
            }
        });
        return answered;
    }

    /** Ends a room: tells the peer ({@code hangup}) and terminates it locally. */
    public void hangup(String roomId) {
        String peer = bindings.release(roomId);
        if (peer != null) {
            ObjectNode m = SignalingJson.object();
            m.put("room", roomId);
            requireClient().send(peer, "hangup", m);
        }
        rooms.terminate(roomId);
    }

    @Override
    public void onMessage(SignalingMessage message) {
        String type = message.type();
        JsonNode roomNode = message.get("room");
        if (type == null || roomNode == null || !roomNode.isTextual()
                || !(type.equals("call") || type.equals("answer") || type.equals("candidate")
                        || type.equals("hangup") || type.equals("reject") || type.equals("description"))) {
            if (others != null) {
                others.onMessage(message);
            }
            return;
        }
        String id = roomNode.asText();
        serial.execute(() -> handle(type, id, message));
    }

    @Override
    public void onClose(int statusCode, String reason) {
        IllegalStateException gone = new IllegalStateException("signaling closed (" + statusCode + ")");
        outgoing.values().forEach(f -> f.completeExceptionally(gone));
        outgoing.clear();
        renegotiating.values().forEach(f -> f.completeExceptionally(gone));
        renegotiating.clear();
        if (others != null) {
            others.onClose(statusCode, reason);
        }
    }

    private void handle(String type, String id, SignalingMessage m) {
        String from = m.from();
        if (type.equals("call")) {
            answer(id, m);
            return;
        }
        if (!bindings.isPeer(id, from)) {
            // Only the peer bound to the room may act on it: a third user's hangup, answer, reject or
            // candidate (a UDP target of their choosing) is dropped.
            LOG.debug("ignored {} for room {} from {}, who is not its peer", type, id, from);
            return;
        }
        try {
            switch (type) {
                case "answer" -> {
                    CompletableFuture<Room> f = outgoing.remove(id);
                    if (f == null) {
                        LOG.debug("ignored answer for room {}: no call of ours waits for one", id);
                        return;
                    }
                    Room room = rooms.answerPeer(id, RoomOptions.builder().description(m.get("description")).build()).join();
                    f.complete(room);
                }
                case "candidate" -> {
                    if (rooms.room(id) != null) {
                        rooms.addIceCandidate(id, m.get("candidate"));
                    }
                }
                case "reject" -> {
                    CompletableFuture<Room> f = outgoing.remove(id);
                    if (f == null) {
                        return;
                    }
                    bindings.release(id, from);
                    rooms.terminate(id);
                    JsonNode reasonNode = m.get("reason");
                    CallRefusal reason = reasonNode == null ? CallRefusal.DECLINED
                            : CallRefusal.fromWireName(reasonNode.asText());
                    f.completeExceptionally(new CallRefusedException(reason, id,
                            "user " + from + " rejected call " + id + " (" + reason.wireName() + ")"));
                }
                case "hangup" -> {
                    bindings.release(id, from);
                    rooms.terminate(id);
                }
                case "description" -> renegotiated(id, from, m.get("description"));
                default -> throw new IllegalStateException(type);
            }
        } catch (RuntimeException e) {
            LOG.debug("{} for room {} from {} failed: {}", type, id, from, e.toString());
            CompletableFuture<Room> f = outgoing.remove(id);
            if (f != null) {
                f.completeExceptionally(e instanceof java.util.concurrent.CompletionException ce
                        && ce.getCause() != null ? ce.getCause() : e);
            }
        }
    }

    private void answer(String id, SignalingMessage m) {
        String caller = m.from();
        if (caller == null) {
            return;
        }
        if (bindings.peer(id) != null || rooms.room(id) != null) {
            refuse(caller, id, CallRefusal.ROOM_IN_USE, "room " + id + " is in use");
            return;
        }
        CallRefusal over = admission.tryAdmit(caller);
        if (over != null) {
            refuse(caller, id, over, over == CallRefusal.TOO_MANY_CALLS
                    ? "this peer holds as many calls as it accepts"
                    : "this peer holds as many calls from " + caller + " as it accepts from one user");
            return;
        }
        boolean tracked = false;
        try {
            RoomOptions chosen = onCall.apply(m);
            if (chosen == null) {
                refuse(caller, id, CallRefusal.DECLINED, "call declined");
                return;
            }
            bindings.bind(id, caller);
            Room room;
            try {
                room = rooms.openRTC(chosen.toBuilder().id(id).description(m.get("description"))
                        .onIceCandidate((r, cand) -> sendCandidate(caller, id, cand))
                        .onNegotiationNeeded(renegotiateWhenNeeded(id, chosen.negotiationNeededCallback()))
                        .onConnectionStateChange(autoRestart.after(chosen.connectionStateCallback()))
                        .build()).join();
            } catch (RuntimeException e) {
                bindings.release(id, caller);
                Throwable cause = e instanceof java.util.concurrent.CompletionException ce && ce.getCause() != null
                        ? ce.getCause() : e;
                refuse(caller, id, CallRefusal.INVALID_OFFER, "the offer could not be answered: " + cause.getMessage());
                return;
            }
            room.closed().thenRun(() -> forget(id, caller));
            admission.track(room, caller);
            tracked = true;
            ObjectNode answer = SignalingJson.object();
            answer.put("room", id);
            answer.set("description", GraphscriptJson.descriptionJson(room.localDescription()));
            requireClient().send(caller, "answer", answer);
        } finally {
            if (!tracked) {
                admission.release(caller);
            }
        }
    }

    /**
     * Renegotiates an open room with its peer: a new offer (with new ICE credentials when {@code iceRestart},
     * RFC 8445 §9) goes out as {@code description}, and the peer's {@code description} answer is applied.
     * DTLS and SCTP, and so the room's channels, go on throughout.
     *
     * @return completes once the answer is applied; fails if the room is unknown, if it is not stable, or
     *         if this polite side meets the peer's own offer (glare) and answers that one instead
     */
    public CompletableFuture<Void> renegotiate(String id, boolean iceRestart) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        serial.execute(() -> {
            try {
                Room room = rooms.room(id);
                String peer = bindings.peer(id);
                if (room == null || peer == null) {
                    throw new IllegalArgumentException("no open room " + id + " with a peer");
                }
                RTCPeerConnection pc = room.connection();
                if (pc.signalingState() != SignalingState.STABLE || renegotiating.containsKey(id)) {
                    throw new IllegalStateException("room " + id + " is negotiating already ("
                            + pc.signalingState() + ")");
                }
                pc.setLocalDescription(pc.createOffer(iceRestart).join()).join();
                renegotiating.put(id, done);
                TimeoutScheduler.Cancellable bound = scheduler.schedule(RENEGOTIATION_ANSWER_BOUND, () ->
                        serial.execute(() -> {
                            if (renegotiating.remove(id, done)) {
                                rollBackOwnOffer(pc);
                                done.completeExceptionally(new IllegalStateException("room " + id + ": " + peer
                                        + " did not answer the offer within " + RENEGOTIATION_ANSWER_BOUND
                                        + "; it was rolled back"));
                            }
                        }));
                done.whenComplete((ok, failure) -> bound.cancel());
                ObjectNode offer = SignalingJson.object();
                offer.put("room", id);
                offer.set("description", GraphscriptJson.descriptionJson(pc.localDescription()));
                requireClient().send(peer, "description", offer).whenComplete((ok, failure) -> {
                    if (failure != null && renegotiating.remove(id, done)) {
                        serial.execute(() -> rollBackOwnOffer(pc));
                        done.completeExceptionally(failure);
                    }
                });
            } catch (RuntimeException e) {
                done.completeExceptionally(e instanceof java.util.concurrent.CompletionException ce
                        && ce.getCause() != null ? ce.getCause() : e);
            }
        });
        return done;
    }

    /**
     * A room's negotiation-needed callback: the application's first, then, once the room has opened and is
     * stable, {@link #renegotiate} (so a restart asked for with {@code restartIce()}, by the application or
     * by {@link AutoIceRestart}, reaches the peer by itself). The first offer/answer is the call's own.
     */
    private java.util.function.Consumer<Room> renegotiateWhenNeeded(String id, java.util.function.Consumer<Room> user) {
        return room -> {
            if (user != null) {
                user.accept(room);
            }
            RTCPeerConnection pc = room.connection();
            // Only once the room has opened: the event a callee's channels queued before the call's offer was
            // answered comes after that answer, which already carried them.
            if (pc != null && room.opened().isDone() && pc.remoteDescription() != null
                    && pc.signalingState() == SignalingState.STABLE) {
                renegotiate(id, false).exceptionally(e -> {
                    LOG.debug("renegotiation of room {} did not complete: {}", id, e.toString());
                    return null;
                });
            }
        };
    }

    /** A {@code description} from the room's peer: an offer is answered (perfect negotiation), an answer applied. */
    private void renegotiated(String id, String from, JsonNode descriptionJson) {
        Room room = rooms.room(id);
        if (room == null || descriptionJson == null) {
            return;
        }
        RTCPeerConnection pc = room.connection();
        RTCSessionDescription description = GraphscriptJson.toDescription(descriptionJson);
        if (description.type() == RTCSessionDescription.Type.OFFER) {
            if (pc.signalingState() == SignalingState.HAVE_LOCAL_OFFER && !room.polite()) {
                // Perfect negotiation (W3C WebRTC §10.7): the impolite caller keeps its own offer; the
                // polite peer rolls back and answers it.
                LOG.debug("room {}: ignored the peer's colliding offer (glare), ours stands", id);
                return;
            }
            CompletableFuture<Void> ours = renegotiating.remove(id);
            pc.setRemoteDescription(description).join(); // a polite side's own offer is rolled back implicitly
            if (ours != null) {
                ours.completeExceptionally(new IllegalStateException("offer collision (glare) on room " + id
                        + ": this polite side rolled its offer back and answered the peer's"));
            }
            pc.setLocalDescription(pc.createAnswer().join()).join();
            ObjectNode answer = SignalingJson.object();
            answer.put("room", id);
            answer.set("description", GraphscriptJson.descriptionJson(pc.localDescription()));
            requireClient().send(from, "description", answer);
        } else if (description.type() == RTCSessionDescription.Type.ANSWER) {
            CompletableFuture<Void> ours = renegotiating.remove(id);
            if (pc.signalingState() != SignalingState.HAVE_LOCAL_OFFER) {
                LOG.debug("room {}: ignored an answer while {}", id, pc.signalingState());
                return;
            }
            try {
                pc.setRemoteDescription(description).join();
            } catch (RuntimeException e) {
                rollBackOwnOffer(pc);
                if (ours != null) {
                    ours.completeExceptionally(e);
                }
                return;
            }
            if (ours != null) {
                ours.complete(null);
            }
        } else {
            LOG.debug("room {}: ignored a {} description", id, description.type());
        }
    }

    /**
     * The {@link AutoIceRestart} rule for this bridge's rooms (a {@code disconnected} caller restarts ICE
     * through {@code description} messages while signaling is up). Runs on the connection's event loop.
     *
     * @return whether a restart was asked for
     */
    boolean restartIceIfDisconnected(Room room, dev.purertc.channel.PeerConnectionState state) {
        return autoRestart.restartIfDisconnected(room, state);
    }

    /** A room that ended: its binding goes, a renegotiation it had under way fails. */
    private void forget(String id, String peer) {
        bindings.release(id, peer);
        CompletableFuture<Void> pending = renegotiating.remove(id);
        if (pending != null) {
            pending.completeExceptionally(new IllegalStateException("room " + id + " closed"));
        }
    }

    private static void rollBackOwnOffer(RTCPeerConnection pc) {
        if (pc.signalingState() == SignalingState.HAVE_LOCAL_OFFER) {
            pc.setLocalDescription(RTCSessionDescription.rollback()).join();
        }
    }

    private void refuse(String caller, String id, CallRefusal reason, String message) {
        ObjectNode reject = SignalingJson.object();
        reject.put("room", id);
        reject.put("reason", reason.wireName());
        reject.put("message", message);
        requireClient().send(caller, "reject", reject);
    }

    /** An answered call that has not connected in time: the caller is told and the room closed. */
    private void connectTimedOut(Room room) {
        serial.execute(() -> {
            LOG.debug("room {} did not connect within the connect timeout; hanging up", room.id());
            hangup(room.id());
        });
    }

    private void sendCandidate(String user, String id, RTCIceCandidate candidate) {
        ObjectNode m = SignalingJson.object();
        m.put("room", id);
        m.set("candidate", GraphscriptJson.candidateJson(candidate));
        requireClient().send(user, "candidate", m);
    }

    private SignalingClient requireClient() {
        SignalingClient c = client;
        if (c == null) {
            throw new IllegalStateException("bind(client) first");
        }
        return c;
    }

    /** Stops the bridge's thread; rooms and client stay open (they belong to the caller). */
    @Override
    public void close() {
        serial.shutdownNow();
    }
}
