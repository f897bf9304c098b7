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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.purertc.channel.RTCIceCandidate;
import dev.purertc.rooms.GraphscriptJson;
import dev.purertc.rooms.Room;
import dev.purertc.rooms.RoomOptions;
import dev.purertc.rooms.WebRtcRooms;

/**
 * Connects {@link WebRtcRooms} to other users through a {@link SignalingClient}, with the PureRTC
 * messages the browser module's {@code callUser}/{@code answerCalls} also use:
 * <pre>
 * caller → {"type":"call","to":B,"room":ID,"description":{"type":"offer","sdp":...}}
 * both   → {"type":"candidate","to":X,"room":ID,"candidate":{"candidate","sdpMid","sdpMLineIndex"}}
 * callee → {"type":"answer","to":A,"room":ID,"description":{"type":"answer","sdp":...}}
 *          or {"type":"reject","to":A,"room":ID}
 * either → {"type":"hangup","to":X,"room":ID}
 * </pre>
 * Candidates that arrive before their call or answer are kept by {@link WebRtcRooms}.
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

    private final WebRtcRooms rooms;
    private final Function<SignalingMessage, RoomOptions> onCall;
    private final SignalingListener others;
    private final ExecutorService serial = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "purertc-room-signaling");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, CompletableFuture<Room>> outgoing = new ConcurrentHashMap<>();
    private final Map<String, String> peers = new ConcurrentHashMap<>();
    private volatile SignalingClient client;

    /**
     * @param rooms the rooms calls open
     * @param onCall decides an incoming call: the options to answer with (channels, callbacks), or null
     *        to reject it
     * @param others receives every message this bridge does not handle (may be null)
     */
    public RoomSignaling(WebRtcRooms rooms, Function<SignalingMessage, RoomOptions> onCall, SignalingListener others) {
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.onCall = Objects.requireNonNull(onCall, "onCall");
        this.others = others;
    }

    public RoomSignaling(WebRtcRooms rooms, Function<SignalingMessage, RoomOptions> onCall) {
        this(rooms, onCall, null);
    }

    /** The client this bridge sends through; call once, before registering. */
    public void bind(SignalingClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * Calls {@code user}: opens a room as caller, sends the offer, and completes once the answer has
     * been applied (the room then connects; wait on {@link Room#opened()}). Fails with
     * {@link SignalingException} if the user is unknown or rejects the call.
     */
    public CompletableFuture<Room> call(String user, RoomOptions options) {
        SignalingClient c = requireClient();
        CompletableFuture<Room> answered = new CompletableFuture<>();
        serial.execute(() -> {
            try {
                RoomOptions.Builder b = (options == null ? RoomOptions.builder() : options.toBuilder());
                String id = options != null && options.id() != null ? options.id() : "rtc" + Math.abs(System.nanoTime());
                // Candidates gathered before the call has gone out would reach a callee that has no such room
                // yet and be dropped (the browser module ignores them): they wait for the call.
                List<RTCIceCandidate> early = new ArrayList<>();
                boolean[] called = {false};
                Room room = rooms.openRTC(b.id(id).onIceCandidate((r, cand) -> {
                    synchronized (early) {
                        if (!called[0]) {
                            early.add(cand);
                            return;
                        }
                    }
                    sendCandidate(user, id, cand);
                }).build()).join();
                peers.put(id, user);
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
                answered.completeExceptionally(e);
            }
        });
        return answered;
    }

    /** Ends a room: tells the peer ({@code hangup}) and terminates it locally. */
    public void hangup(String roomId) {
        String peer = peers.remove(roomId);
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
        try {
            switch (type) {
                case "call" -> answer(id, m);
                case "answer" -> {
                    CompletableFuture<Room> f = outgoing.remove(id);
                    Room room = rooms.answerPeer(id, RoomOptions.builder().description(m.get("description")).build()).join();
                    if (f != null) {
                        f.complete(room);
                    }
                }
                case "candidate" -> rooms.addIceCandidate(id, m.get("candidate"));
                case "reject" -> {
                    CompletableFuture<Room> f = outgoing.remove(id);
                    rooms.terminate(id);
                    peers.remove(id);
                    if (f != null) {
                        f.completeExceptionally(new IllegalStateException("user " + m.from() + " rejected call " + id));
                    }
                }
                case "hangup" -> {
                    peers.remove(id);
                    rooms.terminate(id);
                }
                default -> throw new IllegalStateException(type);
            }
        } catch (RuntimeException e) {
            CompletableFuture<Room> f = outgoing.remove(id);
            if (f != null) {
                f.completeExceptionally(e);
            }
        }
    }

    private void answer(String id, SignalingMessage m) {
        String caller = m.from();
        RoomOptions chosen = onCall.apply(m);
        if (chosen == null) {
            ObjectNode reject = SignalingJson.object();
            reject.put("room", id);
            requireClient().send(caller, "reject", reject);
            rooms.rejectCall(id); // forget candidates that came early
            return;
        }
        peers.put(id, caller);
        Room room = rooms.openRTC(chosen.toBuilder().id(id).description(m.get("description"))
                .onIceCandidate((r, cand) -> sendCandidate(caller, id, cand)).build()).join();
        ObjectNode answer = SignalingJson.object();
        answer.put("room", id);
        answer.set("description", GraphscriptJson.descriptionJson(room.localDescription()));
        requireClient().send(caller, "answer", answer);
    }

    private void sendCandidate(String user, String id, dev.purertc.channel.RTCIceCandidate candidate) {
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
