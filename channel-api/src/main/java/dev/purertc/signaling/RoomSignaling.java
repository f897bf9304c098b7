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
 * </pre>
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
                    }).build()).join();
                } catch (RuntimeException e) {
                    bindings.release(id, user);
                    throw e;
                }
                room.closed().thenRun(() -> bindings.release(id, user));
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
                        || type.equals("hangup") || type.equals("reject"))) {
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
                default -> throw new IllegalStateException(type);
            }
        } catch (RuntimeException e) {
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
                        .onIceCandidate((r, cand) -> sendCandidate(caller, id, cand)).build()).join();
            } catch (RuntimeException e) {
                bindings.release(id, caller);
                Throwable cause = e instanceof java.util.concurrent.CompletionException ce && ce.getCause() != null
                        ? ce.getCause() : e;
                refuse(caller, id, CallRefusal.INVALID_OFFER, "the offer could not be answered: " + cause.getMessage());
                return;
            }
            room.closed().thenRun(() -> bindings.release(id, caller));
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
