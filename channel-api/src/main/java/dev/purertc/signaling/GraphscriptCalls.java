package dev.purertc.signaling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.purertc.channel.RTCIceCandidate;
import dev.purertc.rooms.CallRefusal;
import dev.purertc.rooms.CallRefusedException;
import dev.purertc.rooms.GraphscriptJson;
import dev.purertc.rooms.Room;
import dev.purertc.rooms.RoomIds;
import dev.purertc.rooms.RoomOptions;
import dev.purertc.rooms.SeedNames;
import dev.purertc.rooms.TimeoutScheduler;
import dev.purertc.rooms.WebRtcRooms;

/**
 * Java rooms that graphscript 0.3.12 pages can call (and call) through the server, with the calls
 * graphscript's webrtc examples make over its user router (see the package documentation):
 * <ul>
 *   <li>incoming {@code receiveCallInformation({_id, description, caller, remoteId})} (run or post)
 *       keeps the call; with {@code onCall} set it is answered at once and the answer goes back as
 *       {@code run answerPeer [_id, {description, caller, remoteId}]} on the caller;</li>
 *   <li>incoming {@code receiveCallInformation({_id, candidates:{key: candidate}})} adds (or keeps)
 *       candidates; local candidates go to the peer the same way (posted);</li>
 *   <li>incoming {@code answerPeer [_id, {description, ...}]} applies the answer to a call this side
 *       made with {@link #call}; {@code cleanupCallInfo} is accepted and ignored;</li>
 *   <li>incoming {@code negotiateCall [_id, description]} (graphscript's renegotiation, run from its
 *       {@code onnegotiationneeded}) applies a later offer to the open room and returns the encoded
 *       answer; {@link #renegotiate} sends one the other way, with an ICE restart if asked.</li>
 * </ul>
 * The seed document's names ({@code hostdescription}, {@code peerdescription}, {@code hostcandidates},
 * {@code peercandidates}) are accepted wherever {@code description} and {@code candidates} are
 * ({@link SeedNames}). A room is bound to one peer: the user a call was made to, or the user whose call information
 * (offer or early candidates) came first. Call information, {@code answerPeer} and candidates from
 * anyone else are refused with a {@link CallRefusedException} ({@code room-in-use}), which reaches a
 * {@code run} caller as the route's error. Calls are answered within {@link CallLimits}; an answered
 * call that has not connected by its connect timeout is closed. Information kept for rooms not open
 * yet is bounded by the rooms' {@link dev.purertc.rooms.PendingCallLimits}. Generated room ids carry
 * 128 random bits ({@link RoomIds}).
 * Descriptions travel URL-encoded as graphscript writes them. The routes are registered on the
 * client by the constructor. Threading: room work runs in arrival order on one daemon thread of this
 * object, never on the client's event loop; {@link #close()} stops it.
 */
public final class GraphscriptCalls implements AutoCloseable {

    /** How long an answered call's candidates wait for the caller to confirm answerPeer before they go anyway. */
    private static final Duration ANSWER_APPLIED_BOUND = Duration.ofSeconds(5);

    private final SignalingClient client;
    private final WebRtcRooms rooms;
    private final Function<RoomOptions, RoomOptions> onCall;
    private final ExecutorService serial = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "purertc-graphscript-calls");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, CompletableFuture<Room>> outgoing = new ConcurrentHashMap<>();
    private final RoomBindings bindings = new RoomBindings();
    private final CallAdmission admission;
    private final AutoIceRestart autoRestart;

    /**
     * @param onCall for an incoming call (its kept options: id, description, candidates, properties
     *        {@code caller} and {@code remoteId}), the options to answer with; null to keep calls
     *        unanswered until {@link #answer}. A function returning null rejects (forgets) the call.
     * @param limits bounds on the calls this object answers
     * @param scheduler runs the connect deadlines of answered calls
     */
    public GraphscriptCalls(SignalingClient client, WebRtcRooms rooms, Function<RoomOptions, RoomOptions> onCall,
                            CallLimits limits, TimeoutScheduler scheduler) {
        this.client = Objects.requireNonNull(client, "client");
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.onCall = onCall;
        this.autoRestart = new AutoIceRestart(() -> !client.closeFuture().isDone() && !serial.isShutdown());
        this.admission = new CallAdmission(Objects.requireNonNull(limits, "limits"),
                Objects.requireNonNull(scheduler, "scheduler"),
                room -> serial.execute(room::terminate));
        client.handle("receiveCallInformation", (args, from) ->
                CompletableFuture.supplyAsync(() -> refusalAsResult(() -> receiveCallInformation(args, from)), serial));
        client.handle("answerPeer", (args, from) ->
                CompletableFuture.supplyAsync(() -> refusalAsResult(() -> answerPeer(args, from)), serial));
        client.handle("negotiateCall", (args, from) ->
                CompletableFuture.supplyAsync(() -> refusalAsResult(() -> negotiateCall(args, from)), serial));
        client.handle("cleanupCallInfo", (args, from) -> CompletableFuture.completedFuture(null));
    }

    /**
     * A refused call answers its route with {@code {"error": reason, "message": text}} (as a graphscript
     * route's result), so a {@code run} caller learns why; other failures stay failures.
     */
    private static JsonNode refusalAsResult(java.util.function.Supplier<JsonNode> route) {
        try {
            return route.get();
        } catch (CallRefusedException e) {
            ObjectNode error = SignalingJson.object();
            error.put("error", e.reason().wireName());
            error.put("message", e.getMessage());
            return error;
        }
    }

    /** Calls answered within {@link CallLimits#defaults()}. */
    public GraphscriptCalls(SignalingClient client, WebRtcRooms rooms, Function<RoomOptions, RoomOptions> onCall) {
        this(client, rooms, onCall, CallLimits.defaults(), TimeoutScheduler.shared());
    }

    /** Answered calls open now (counted against {@link CallLimits}). */
    public int answeredCalls() {
        return admission.open();
    }

    /**
     * Calls a graphscript user: opens a room as caller and posts {@code receiveCallInformation} with
     * the encoded offer; completes when the callee's {@code answerPeer} has been applied.
     */
    public CompletableFuture<Room> call(String user, RoomOptions options) {
        CompletableFuture<Room> answered = new CompletableFuture<>();
        serial.execute(() -> {
            try {
                String id = options != null && options.id() != null ? options.id() : RoomIds.random();
                RoomOptions.Builder b = options == null ? RoomOptions.builder() : options.toBuilder();
                if (rooms.room(id) != null || !bindings.bind(id, user)) {
                    answered.completeExceptionally(new CallRefusedException(CallRefusal.ROOM_IN_USE, id,
                            "room " + id + " is in use"));
                    return;
                }
                outgoing.put(id, answered);
                Room room;
                try {
                    room = rooms.openRTC(b.id(id).onIceCandidate((r, c) -> postCandidate(user, id, c))
                            .onNegotiationNeeded(renegotiateWhenNeeded(id, b.build().negotiationNeededCallback()))
                            .onConnectionStateChange(autoRestart.after(b.build().connectionStateCallback()))
                            .build()).join();
                } catch (RuntimeException e) {
                    bindings.release(id, user);
                    outgoing.remove(id, answered);
                    throw e;
                }
                room.closed().thenRun(() -> bindings.release(id, user));
                ObjectNode info = SignalingJson.object();
                info.put("_id", id);
                info.put("description", room.encodedLocalDescription());
                info.put("caller", client.user());
                info.put("remoteId", client.connectionId());
                client.post(user, "receiveCallInformation", info).whenComplete((ok, failure) -> {
                    if (failure != null && outgoing.remove(id, answered)) {
                        rooms.terminate(id);
                        answered.completeExceptionally(failure);
                    }
                });
            } catch (RuntimeException e) {
                answered.completeExceptionally(e instanceof CompletionException ce && ce.getCause() != null
                        ? ce.getCause() : e);
            }
        });
        return answered;
    }

    /** Answers a kept incoming call with {@code extra} options (may be null). */
    public CompletableFuture<Room> answer(String id, RoomOptions extra) {
        return CompletableFuture.supplyAsync(() -> answerKept(id, extra), serial);
    }

    private JsonNode receiveCallInformation(JsonNode args, String from) {
        if (!(args instanceof ObjectNode info) || !info.path("_id").isTextual()) {
            throw new IllegalArgumentException("receiveCallInformation needs {_id, ...}");
        }
        String id = info.get("_id").asText();
        String peer = bindings.peer(id);
        if (peer != null && !peer.equals(from)) {
            throw new CallRefusedException(CallRefusal.ROOM_IN_USE, id, "room " + id + " is in use");
        }
        JsonNode description = SeedNames.description(info); // graphscript's name or the seed's
        boolean isCall = description != null && peer == null && rooms.room(id) == null;
        if (isCall && onCall != null) {
            CallRefusal over = admission.tryAdmit(from);
            if (over != null) {
                throw new CallRefusedException(over, id, "call " + id + " refused: " + over.wireName());
            }
            admission.release(from); // a place is taken for real when the call is answered
        }
        RoomOptions.Builder b = RoomOptions.fromJson(info);
        b.property("caller", from);
        if (info.path("remoteId").isTextual()) {
            b.property("remoteId", info.get("remoteId").asText());
        }
        rooms.receiveCallInformation(b.build()); // throws when another caller's information is kept for id
        if (isCall) {
            bindings.bind(id, from);
            if (onCall != null) {
                answerKept(id, null);
            }
        }
        return info.get("_id");
    }

    private Room answerKept(String id, RoomOptions extra) {
        RoomOptions kept = rooms.unanswered().get(id);
        if (kept == null) {
            throw new IllegalArgumentException("no incoming call " + id);
        }
        String caller = bindings.peer(id);
        if (caller == null) {
            throw new IllegalArgumentException("no incoming call " + id);
        }
        CallRefusal over = admission.tryAdmit(caller);
        if (over != null) {
            rooms.rejectCall(id);
            bindings.release(id, caller);
            throw new CallRefusedException(over, id, "call " + id + " refused: " + over.wireName());
        }
        RoomOptions chosen;
        Room room;
        try {
            chosen = extra != null ? extra : onCall != null ? onCall.apply(kept) : RoomOptions.builder().build();
            if (chosen == null) {
                rooms.rejectCall(id);
                bindings.release(id, caller);
                admission.release(caller);
                return null;
            }
            room = openAnswered(id, caller, chosen);
        } catch (RuntimeException e) {
            bindings.release(id, caller);
            admission.release(caller);
            throw e;
        }
        room.closed().thenRun(() -> bindings.release(id, caller));
        admission.track(room, caller);
        return room;
    }

    private Room openAnswered(String id, String caller, RoomOptions chosen) {
        // graphscript's addIceCandidate silently drops a candidate while the connection has no remote
        // description, so local candidates wait until the caller's answerPeer (setRemoteDescription) is done.
        CandidateGate gate = new CandidateGate();
        Room room = rooms.answerCall(id, chosen.toBuilder()
                .onIceCandidate((r, c) -> {
                    if (!gate.holdIfClosed(c)) {
                        postCandidate(caller, id, c);
                    }
                })
                .onNegotiationNeeded(renegotiateWhenNeeded(id, chosen.negotiationNeededCallback()))
                .onConnectionStateChange(autoRestart.after(chosen.connectionStateCallback()))
                .build()).join();
        ArrayNode answerArgs = SignalingJson.MAPPER.createArrayNode();
        answerArgs.add(id);
        ObjectNode answer = answerArgs.addObject();
        answer.put("description", room.encodedLocalDescription());
        answer.put("caller", client.user());
        answer.put("remoteId", client.connectionId());
        client.run(caller, "answerPeer", answerArgs)
                .orTimeout(ANSWER_APPLIED_BOUND.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((applied, failure) -> {
                    for (RTCIceCandidate c : gate.open()) {
                        postCandidate(caller, id, c);
                    }
                });
        return room;
    }

    /** Candidates held until {@link #open()}; thread-safe (candidates arrive on the connection's loop). */
    private static final class CandidateGate {
        private final List<RTCIceCandidate> held = new ArrayList<>();
        private boolean open;

        synchronized boolean holdIfClosed(RTCIceCandidate c) {
            if (open) {
                return false;
            }
            held.add(c);
            return true;
        }

        synchronized List<RTCIceCandidate> open() {
            open = true;
            List<RTCIceCandidate> out = List.copyOf(held);
            held.clear();
            return out;
        }
    }

    private JsonNode answerPeer(JsonNode args, String from) {
        if (!(args instanceof ArrayNode a) || a.size() < 2 || !a.get(0).isTextual()) {
            throw new IllegalArgumentException("answerPeer needs [rtcId, {description}]");
        }
        String id = a.get(0).asText();
        if (!bindings.isPeer(id, from) || !outgoing.containsKey(id)) {
            throw new CallRefusedException(CallRefusal.ROOM_IN_USE, id, "no call " + id + " to " + from + " waits for an answer");
        }
        CompletableFuture<Room> f = outgoing.remove(id);
        try {
            Room room = rooms.answerPeer(id, RoomOptions.builder().description(signal(SeedNames.description(a.get(1)))).build()).join();
            if (f != null) {
                f.complete(room);
            }
        } catch (RuntimeException e) {
            if (f != null) {
                f.completeExceptionally(e);
            }
            throw e;
        }
        return null;
    }

    /**
     * graphscript's {@code negotiateCall(rtcId, description)}: a later offer (JSEP RFC 8829 §5.2.2) for a
     * room bound to the sender; the result is the encoded answer. Glare follows perfect negotiation with
     * {@link Room#polite()}: the polite side (the callee) rolls its own unanswered offer back and answers,
     * the impolite one refuses the colliding offer and keeps its own.
     */
    private JsonNode negotiateCall(JsonNode args, String from) {
        if (!(args instanceof ArrayNode a) || a.size() < 2 || !a.get(0).isTextual()) {
            throw new IllegalArgumentException("negotiateCall needs [rtcId, description]");
        }
        String id = a.get(0).asText();
        Room room = rooms.room(id);
        if (room == null || !bindings.isPeer(id, from)) {
            throw new CallRefusedException(CallRefusal.ROOM_IN_USE, id, "no room " + id + " with " + from);
        }
        dev.purertc.channel.RTCSessionDescription offer = GraphscriptJson.toDescription(signal(a.get(1)));
        if (offer.type() != dev.purertc.channel.RTCSessionDescription.Type.OFFER) {
            throw new IllegalArgumentException("negotiateCall needs an offer, got " + offer.type());
        }
        dev.purertc.channel.RTCPeerConnection pc = room.connection();
        if (pc.signalingState() == dev.purertc.channel.SignalingState.HAVE_LOCAL_OFFER && !room.polite()) {
            // Perfect negotiation (W3C WebRTC §10.7): the impolite side (the caller) keeps its own offer.
            throw new IllegalStateException("offer collision (glare) on room " + id
                    + ": the impolite side keeps its own offer");
        }
        pc.setRemoteDescription(offer).join(); // the polite side rolls its own offer back implicitly
        pc.setLocalDescription(pc.createAnswer().join()).join();
        return SignalingJson.MAPPER.getNodeFactory().textNode(GraphscriptJson.encodeDescription(pc.localDescription()));
    }

    /**
     * Renegotiates an open room with its peer as graphscript does: a new offer (with new ICE credentials
     * when {@code iceRestart}, RFC 8445 §9) goes to the peer as {@code run negotiateCall [_id, description]},
     * and the answer it returns is applied. DTLS and SCTP, and so the room's channel, go on throughout.
     *
     * @return completes once the answer is applied; fails if the room is unknown or the peer refuses
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
                dev.purertc.channel.RTCPeerConnection pc = room.connection();
                pc.setLocalDescription(pc.createOffer(iceRestart).join()).join();
                ArrayNode callArgs = SignalingJson.MAPPER.createArrayNode();
                callArgs.add(id);
                callArgs.add(GraphscriptJson.encodeDescription(pc.localDescription()));
                client.run(peer, "negotiateCall", callArgs).whenCompleteAsync((answer, failure) -> {
                    try {
                        boolean ours = pc.signalingState() == dev.purertc.channel.SignalingState.HAVE_LOCAL_OFFER;
                        if (failure != null || answer == null || answer.hasNonNull("error") || !answer.isTextual()) {
                            if (ours) {
                                pc.setLocalDescription(dev.purertc.channel.RTCSessionDescription.rollback()).join();
                            } // else: glare, and this polite side already rolled back to answer the peer's offer
                            done.completeExceptionally(failure != null ? failure
                                    : new IllegalStateException("negotiateCall refused by " + peer + ": " + answer));
                        } else if (!ours) {
                            done.completeExceptionally(new IllegalStateException("offer collision (glare) on room " + id
                                    + ": this polite side rolled its offer back and answered the peer's"));
                        } else {
                            pc.setRemoteDescription(GraphscriptJson.toDescription(answer.asText())).join();
                            done.complete(null);
                        }
                    } catch (RuntimeException e) {
                        done.completeExceptionally(e);
                    }
                }, serial);
            } catch (RuntimeException e) {
                done.completeExceptionally(e instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : e);
            }
        });
        return done;
    }

    /**
     * A room's negotiation-needed callback: the application's first, then, once the room has opened,
     * {@link #renegotiate} (as graphscript's examples run {@code negotiateCall} from
     * {@code onnegotiationneeded}); a restart asked for with {@code room.connection().restartIce()} thus
     * reaches the peer by itself. The first offer/answer is the call's own.
     */
    private java.util.function.Consumer<Room> renegotiateWhenNeeded(String id, java.util.function.Consumer<Room> user) {
        return room -> {
            if (user != null) {
                user.accept(room);
            }
            dev.purertc.channel.RTCPeerConnection pc = room.connection();
            // Only once the room has opened: the event a callee's channels queued before the call's offer was
            // answered comes after that answer, which already carried them.
            if (pc != null && room.opened().isDone() && pc.remoteDescription() != null
                    && pc.signalingState() == dev.purertc.channel.SignalingState.STABLE) {
                renegotiate(id, false).exceptionally(e -> {
                    // glare resolved by the peer's offer, or the room ended: nothing is left to do here
                    return null;
                });
            }
        };
    }

    /**
     * The {@link AutoIceRestart} rule for this object's rooms (a {@code disconnected} caller restarts ICE
     * through {@code negotiateCall} while signaling is up). Runs on the connection's event loop.
     *
     * @return whether a restart was asked for
     */
    boolean restartIceIfDisconnected(Room room, dev.purertc.channel.PeerConnectionState state) {
        return autoRestart.restartIfDisconnected(room, state);
    }

    /** graphscript sends descriptions and candidates as objects or URL-encoded JSON strings. */
    private static Object signal(JsonNode value) {
        return value != null && value.isTextual() ? value.asText() : value;
    }

    private void postCandidate(String user, String id, RTCIceCandidate candidate) {
        if (candidate.candidate() == null || candidate.candidate().isEmpty()) {
            // End of candidates: graphscript's pages send none (their onicecandidate skips a null candidate), and
            // graphscript's answerCall/openRTC builds `new RTCIceCandidate(c)` for every kept candidate, which
            // throws for {"candidate":"","sdpMid":null,"sdpMLineIndex":null} and aborts the answer.
            return;
        }
        ObjectNode info = SignalingJson.object();
        info.put("_id", id);
        info.putObject("candidates").set("candidate" + Math.abs(System.nanoTime()), GraphscriptJson.candidateJson(candidate));
        client.post(user, "receiveCallInformation", info);
    }

    /** Stops this object's thread; rooms and client stay open. */
    @Override
    public void close() {
        serial.shutdownNow();
    }
}
