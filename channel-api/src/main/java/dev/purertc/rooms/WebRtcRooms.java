package dev.purertc.rooms;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RTCDataChannelInit;
import dev.purertc.channel.RTCIceCandidate;
import dev.purertc.channel.RTCPeerConnection;
import dev.purertc.channel.RTCSessionDescription;
import dev.purertc.channel.RtcConfiguration;

/**
 * graphscript's {@code WebRTCfrontend} in Java: rooms by {@code _id}, opened as caller (an offer is
 * created) or callee (the options carry the remote offer, which is answered), incoming calls kept until
 * answered or rejected, and the {@link ServiceRoutes} every room's peer may call.
 *
 * <p>Signaling is the application's: send {@link Room#encodedLocalDescription()} and the candidates
 * from {@code onIceCandidate} to the peer by any means; hand what the peer sends to
 * {@link #openRTC}, {@link #answerPeer}, {@link #addIceCandidate} or {@link #receiveCallInformation}.
 * Descriptions and candidates are accepted as objects or as graphscript's URL-encoded JSON strings.
 *
 * <p>Threading: every method may be called from any thread. The returned futures are complete when
 * the method returns, except where a peer must act.
 */
public final class WebRtcRooms implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final PeerConnectionFactory factory;
    private final RtcConfiguration defaultConfiguration;
    private final ServiceRoutes routes;
    private final TimeoutScheduler scheduler;
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final PendingCalls unanswered;

    /** Rooms on {@code factory} with {@code defaultConfiguration}, serving {@code routes}. */
    public WebRtcRooms(PeerConnectionFactory factory, RtcConfiguration defaultConfiguration, ServiceRoutes routes) {
        this(factory, defaultConfiguration, routes, TimeoutScheduler.shared());
    }

    public WebRtcRooms(PeerConnectionFactory factory, RtcConfiguration defaultConfiguration, ServiceRoutes routes,
                       TimeoutScheduler scheduler) {
        this(factory, defaultConfiguration, routes, scheduler, PendingCallLimits.defaults());
    }

    /**
     * Rooms whose kept call information (for rooms not open yet) is bounded by {@code pendingLimits};
     * {@code scheduler} runs request timeouts and the expiry of that information.
     */
    public WebRtcRooms(PeerConnectionFactory factory, RtcConfiguration defaultConfiguration, ServiceRoutes routes,
                       TimeoutScheduler scheduler, PendingCallLimits pendingLimits) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.defaultConfiguration = Objects.requireNonNull(defaultConfiguration, "defaultConfiguration");
        this.routes = Objects.requireNonNull(routes, "routes");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.unanswered = new PendingCalls(Objects.requireNonNull(pendingLimits, "pendingLimits"), scheduler);
    }

    public ServiceRoutes routes() {
        return routes;
    }

    /** The open rooms by id (a snapshot). */
    public Map<String, Room> rooms() {
        return Map.copyOf(rooms);
    }

    /** The room {@code id}, or null. */
    public Room room(String id) {
        return rooms.get(id);
    }

    /**
     * Incoming calls not yet answered or rejected, and candidates for rooms not open yet, by id (a
     * snapshot). Bounded by the {@link PendingCallLimits}; entries expire after its {@code ttl}.
     */
    public Map<String, RoomOptions> unanswered() {
        return unanswered.snapshot();
    }

    /**
     * The caller ({@code caller} property) whose information is kept for room {@code id}, {@code ""} for
     * information that names none, or null when nothing is kept for it.
     */
    public String pendingCaller(String id) {
        return unanswered.callerFor(id);
    }

    /**
     * graphscript's {@code openRTC}. A new room (id default {@code rtc} + random digits, channels
     * default {@code {data: true}}): without a description it creates and sets the offer (the caller);
     * with the remote offer it answers (the callee). If the room exists, the options are merged into it
     * and a description or candidates in them are applied.
     */
    public CompletableFuture<Room> openRTC(RoomOptions options) {
        RoomOptions o = options == null ? RoomOptions.builder().build() : options;
        String id = o.id != null ? o.id : RoomIds.random();
        Room existing = rooms.get(id);
        if (existing != null) {
            existing.merge(o);
            return applySignals(existing, o);
        }
        RoomOptions.Builder b = o.toBuilder().id(id);
        if (o.channels == null || o.channels.isEmpty()) {
            b.channel(Room.DEFAULT_CHANNEL); // one channel at least, for the service messages
        }
        RoomOptions effective = b.build();
        Room room = new Room(this, id, effective.withoutSignals(), routes, scheduler);
        RTCPeerConnection pc;
        try {
            pc = factory.createPeerConnection(
                    o.configuration != null ? o.configuration : defaultConfiguration, room.connectionListener());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        room.attach(pc);
        RoomOptions kept;
        synchronized (this) {
            if (rooms.putIfAbsent(id, room) != null) {
                pc.close(); // lost a race for the id: merge into the winner
                return openRTC(o.toBuilder().id(id).build());
            }
            // Call information that arrived before the room (candidates trickled early) joins it.
            kept = unanswered.take(id);
        }
        try {
            for (Map.Entry<String, RoomOptions.ChannelSpec> e : effective.channels.entrySet()) {
                room.addChannel(e.getKey(), e.getValue().init());
            }
            if (o.description == null) {
                RTCSessionDescription offer = pc.createOffer().join();
                pc.setLocalDescription(offer).join();
            } else {
                room.setPolite(true);
                applySignals(room, RoomOptions.builder().description(o.description).build()).join();
            }
            if (kept != null && kept.candidates != null) {
                addCandidates(room, kept.candidates);
            }
            if (o.candidates != null) {
                addCandidates(room, o.candidates);
            }
            return CompletableFuture.completedFuture(room);
        } catch (RuntimeException e) {
            room.end();
            return CompletableFuture.failedFuture(e instanceof java.util.concurrent.CompletionException ce
                    && ce.getCause() != null ? ce.getCause() : e);
        }
    }

    /**
     * graphscript's {@code answerPeer}: merges {@code options} (without description and candidates)
     * into the room, applies the remote description and candidates, and answers if it was an offer.
     */
    public CompletableFuture<Room> answerPeer(Object roomOrId, RoomOptions options) {
        Room room = resolve(roomOrId);
        if (room == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no room " + idOf(roomOrId)));
        }
        if (options.description == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("answerPeer needs a description"));
        }
        room.merge(options);
        return applySignals(room, options);
    }

    /**
     * Adds one remote candidate (an {@link RTCIceCandidate}, a {@code RTCIceCandidateInit} JsonNode or
     * Map, JSON text, or URL-encoded JSON text). Before the room's remote description it is kept and
     * applied with it; for a room not open yet it is kept with the incoming call's information
     * (within the {@link PendingCallLimits}: past them the future fails with {@link CallRefusedException}).
     */
    public CompletableFuture<Void> addIceCandidate(Object roomOrId, Object candidate) {
        RTCIceCandidate c;
        try {
            c = GraphscriptJson.toCandidate(candidate);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        Room room = resolve(roomOrId);
        if (room == null) {
            String id = idOf(roomOrId);
            try {
                receiveCallInformation(RoomOptions.builder().id(id).candidate("candidate" + randomDigits(), c).build());
            } catch (CallRefusedException e) {
                return CompletableFuture.failedFuture(e);
            }
            return CompletableFuture.completedFuture(null);
        }
        return room.addRemoteCandidate(c);
    }

    /**
     * graphscript's {@code receiveCallInformation}: for an open room, its candidates are added and the
     * rest merged; otherwise the information is kept (merged with earlier parts) until
     * {@link #answerCall} or {@link #rejectCall}, within the {@link PendingCallLimits} (counted against
     * the {@code caller} property). Returns the id (generated when absent).
     *
     * @throws CallRefusedException when keeping it would pass the limits, or when information for the
     *         room came from another caller
     */
    public String receiveCallInformation(RoomOptions options) {
        String id = options.id != null ? options.id : RoomIds.random();
        RoomOptions o = options.id != null ? options : options.toBuilder().id(id).build();
        Room room;
        synchronized (this) {
            room = rooms.get(id);
            if (room == null) {
                unanswered.keep(o);
                return id;
            }
        }
        if (o.candidates != null) {
            addCandidates(room, o.candidates);
        }
        room.merge(o);
        return id;
    }

    /** graphscript's {@code answerCall}: opens the kept incoming call (answers its offer). */
    public CompletableFuture<Room> answerCall(String id) {
        RoomOptions o = unanswered.take(id);
        if (o == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no incoming call " + id));
        }
        return openRTC(o);
    }

    /** Answers the kept incoming call with {@code extra} options (callbacks, channels) merged on top. */
    public CompletableFuture<Room> answerCall(String id, RoomOptions extra) {
        RoomOptions o = unanswered.take(id);
        if (o == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no incoming call " + id));
        }
        return openRTC(o.mergedWith(extra));
    }

    /** graphscript's {@code rejectCall}: forgets the incoming call. True if there was one. */
    public boolean rejectCall(String id) {
        return unanswered.take(id) != null;
    }

    /** graphscript's {@code terminate}: closes the room's connection; {@code onclose} fires. */
    public boolean terminate(Object roomOrId) {
        Room room = resolve(roomOrId);
        if (room == null) {
            return false;
        }
        return room.terminate();
    }

    /** Terminates every room and forgets the incoming calls; the factory stays open. */
    @Override
    public void close() {
        for (Room r : List.copyOf(rooms.values())) {
            r.terminate();
        }
        unanswered.clear();
    }

    void forget(Room room) {
        rooms.remove(room.id(), room);
    }

    private CompletableFuture<Room> applySignals(Room room, RoomOptions o) {
        try {
            if (o.description != null) {
                RTCSessionDescription d = GraphscriptJson.toDescription(o.description);
                RTCPeerConnection pc = room.connection();
                pc.setRemoteDescription(d).join();
                if (d.type() == RTCSessionDescription.Type.OFFER) {
                    RTCSessionDescription answer = pc.createAnswer().join();
                    pc.setLocalDescription(answer).join();
                }
            }
            if (o.candidates != null) {
                addCandidates(room, o.candidates);
            }
            return CompletableFuture.completedFuture(room);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e instanceof java.util.concurrent.CompletionException ce
                    && ce.getCause() != null ? ce.getCause() : e);
        }
    }

    private static void addCandidates(Room room, Map<String, Object> candidates) {
        for (Object c : candidates.values()) {
            room.addRemoteCandidate(GraphscriptJson.toCandidate(c)).join();
        }
    }

    private Room resolve(Object roomOrId) {
        if (roomOrId instanceof Room r) {
            return rooms.get(r.id()) == r ? r : null;
        }
        if (roomOrId instanceof String id) {
            return rooms.get(id);
        }
        throw new IllegalArgumentException("a Room or a room id, not " + roomOrId);
    }

    private static String idOf(Object roomOrId) {
        return roomOrId instanceof Room r ? r.id() : String.valueOf(roomOrId);
    }

    /** Up to 15 random digits, as graphscript's {@code Math.floor(Math.random()*1e15)}. */
    static String randomDigits() {
        return Long.toString((RANDOM.nextLong() & Long.MAX_VALUE) % 1_000_000_000_000_000L);
    }
}
