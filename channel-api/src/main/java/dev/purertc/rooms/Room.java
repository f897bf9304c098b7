package dev.purertc.rooms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.purertc.channel.PeerConnectionListener;
import dev.purertc.channel.PeerConnectionState;
import dev.purertc.channel.RTCDataChannel;
import dev.purertc.channel.RTCDataChannelInit;
import dev.purertc.channel.RTCDataChannelListener;
import dev.purertc.channel.RTCIceCandidate;
import dev.purertc.channel.RTCPeerConnection;
import dev.purertc.channel.RTCSessionDescription;
import dev.purertc.ice.IceConnectionState;
import dev.purertc.sdp.DataChannelDescription;
import dev.purertc.sdp.SdpParseException;
import dev.purertc.sdp.SessionDescription;
import dev.purertc.sctp.channel.ReadyState;

/**
 * One room: a peer connection, its data channels by label, and the service messages of graphscript's
 * {@code WebRTCInfo} ({@link #send}, {@link #post}, {@link #run}, {@link #request}, {@link #subscribe},
 * {@link #unsubscribe}, {@link #terminate}) carried on the service channel: the default channel
 * ({@code data} unless configured) when open, else the first open channel.
 *
 * <p>Incoming messages: a channel with an {@code ondata} of its own gets all of its messages; on the
 * other channels, service messages are handled by the room's {@link ServiceEngine} and every other
 * message goes to the room's {@code ondata} (with {@link RoomOptions.Builder#onDataTakesServiceMessages},
 * service messages too, as graphscript does when a room has an {@code ondata}).
 *
 * <p>Threading: every method may be called from any thread. Callbacks and route handlers run on the
 * connection's event loop; futures returned here complete there too, so do not block in their
 * continuations.
 */
public final class Room {

    private static final Logger LOG = LoggerFactory.getLogger(Room.class);
    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final String DEFAULT_CHANNEL = "data";

    private final WebRtcRooms owner;
    private final String id;
    private volatile RoomOptions options;
    private RTCPeerConnection connection;
    private final ServiceEngine engine;
    /** Channels by label in creation/arrival order; a remote channel replaces a local one of the same label. */
    private final Map<String, RTCDataChannel> channels = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<RTCDataChannel> everyChannel = new CopyOnWriteArrayList<>();
    private final List<RTCIceCandidate> localCandidates = new CopyOnWriteArrayList<>();
    private final List<RTCIceCandidate> remoteCandidates = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Room> opened = new CompletableFuture<>();
    private final Map<String, CompletableFuture<RTCDataChannel>> channelOpen = new java.util.concurrent.ConcurrentHashMap<>();
    private final CompletableFuture<Room> closed = new CompletableFuture<>();
    private final AtomicBoolean ending = new AtomicBoolean();
    private volatile boolean polite;

    Room(WebRtcRooms owner, String id, RoomOptions options, ServiceRoutes routes, TimeoutScheduler scheduler) {
        this.owner = owner;
        this.id = id;
        this.options = options;
        Duration timeout = options.requestTimeout != null ? options.requestTimeout : DEFAULT_REQUEST_TIMEOUT;
        this.engine = new ServiceEngine(id, routes, this::sendOnServiceChannel, scheduler, timeout,
                this::serviceChannelLabel, this);
    }

    /** The peer-connection events of this room. */
    PeerConnectionListener connectionListener() {
        return new PeerConnectionListener() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {
                localCandidates.add(candidate);
                var cb = options.onIceCandidate;
                if (cb != null) {
                    cb.accept(Room.this, candidate);
                }
            }

            @Override
            public void onIceGatheringComplete() {
                var cb = options.onIceCandidate;
                if (cb != null) {
                    cb.accept(Room.this, endOfCandidates());
                }
            }

            @Override
            public void onDataChannel(RTCDataChannel channel) {
                adopt(channel, options.channels == null ? null : options.channels.get(channel.label()));
                var cb = options.onDataChannel;
                if (cb != null) {
                    cb.accept(Room.this, channel);
                }
            }

            @Override
            public void onConnectionStateChange(PeerConnectionState state) {
                var cb = options.onConnectionStateChange;
                if (cb != null) {
                    cb.accept(Room.this, state);
                }
                if (state == PeerConnectionState.CLOSED || state == PeerConnectionState.FAILED) {
                    end();
                }
            }

            @Override
            public void onNegotiationNeeded() {
                var cb = options.onNegotiationNeeded;
                if (cb != null) {
                    cb.accept(Room.this);
                }
            }

            @Override
            public void onIceConnectionStateChange(IceConnectionState state) {
                var cb = options.onIceConnectionStateChange;
                if (cb != null) {
                    cb.accept(Room.this, state);
                }
            }
        };
    }

    void attach(RTCPeerConnection pc) {
        this.connection = pc;
    }

    /** Creates the data channel {@code label} on this side and wires it into the room. */
    public RTCDataChannel addChannel(String label, RTCDataChannelInit init) {
        RoomOptions.ChannelSpec spec = new RoomOptions.ChannelSpec(init, null);
        RoomOptions o = options;
        if (o.channels != null && o.channels.containsKey(label)) {
            spec = o.channels.get(label);
        }
        ChannelEvents events = new ChannelEvents(spec);
        RTCDataChannel channel = connection.createDataChannel(label,
                init != null ? init : RTCDataChannelInit.defaults(), events);
        register(channel);
        return channel;
    }

    private void adopt(RTCDataChannel channel, RoomOptions.ChannelSpec spec) {
        // Called on the loop before the channel's onOpen: the listener sees every event.
        channel.setListener(new ChannelEvents(spec));
        register(channel);
    }

    private void register(RTCDataChannel channel) {
        everyChannel.add(channel);
        channels.put(channel.label(), channel);
        if (channel.readyState() == ReadyState.OPEN) {
            markOpen(channel);
        }
    }

    private void markOpen(RTCDataChannel channel) {
        opened.complete(this);
        channelOpen.computeIfAbsent(channel.label(), k -> new CompletableFuture<>()).complete(channel);
    }

    private final class ChannelEvents implements RTCDataChannelListener {
        private final RoomOptions.DataHandler own;

        ChannelEvents(RoomOptions.ChannelSpec spec) {
            this.own = spec == null ? null : spec.ondata();
        }

        @Override
        public void onOpen(RTCDataChannel channel) {
            markOpen(channel);
        }

        @Override
        public void onMessage(RTCDataChannel channel, String text) {
            if (own != null) {
                own.onData(text, channel, Room.this);
            } else if (onDataTakesServiceMessages() || !engine.receive(text)) {
                deliver(text, channel);
            }
        }

        @Override
        public void onMessage(RTCDataChannel channel, byte[] data) {
            if (own != null) {
                own.onData(data, channel, Room.this);
            } else {
                deliver(data, channel);
            }
        }

        @Override
        public void onClose(RTCDataChannel channel) {
            boolean anyLeft = false;
            for (RTCDataChannel c : everyChannel) {
                if (c.readyState() != ReadyState.CLOSED) {
                    anyLeft = true;
                    break;
                }
            }
            if (!anyLeft && opened.isDone()) {
                end(); // the peer went away: a room without channels carries nothing more
            }
        }
    }

    private boolean onDataTakesServiceMessages() {
        RoomOptions o = options;
        return o.onData != null && Boolean.TRUE.equals(o.onDataTakesServiceMessages);
    }

    private void deliver(Object message, RTCDataChannel channel) {
        RoomOptions.DataHandler cb = options.onData;
        if (cb != null) {
            cb.onData(message, channel, this);
        } else {
            LOG.debug("room {}: message on {} with no ondata dropped", id, channel.label());
        }
    }

    private String serviceChannelLabel() {
        String d = options.defaultChannel;
        if (d != null) {
            return d;
        }
        if (options.channels == null || options.channels.containsKey(DEFAULT_CHANNEL)) {
            return DEFAULT_CHANNEL;
        }
        return options.channels.keySet().iterator().next();
    }

    /** The channel service messages use now: the default one when open, else the first open one. */
    public RTCDataChannel serviceChannel() {
        RTCDataChannel preferred = channels.get(serviceChannelLabel());
        if (preferred != null && preferred.readyState() == ReadyState.OPEN) {
            return preferred;
        }
        synchronized (channels) {
            for (RTCDataChannel c : channels.values()) {
                if (c.readyState() == ReadyState.OPEN) {
                    return c;
                }
            }
        }
        for (RTCDataChannel c : everyChannel) {
            if (c.readyState() == ReadyState.OPEN) {
                return c;
            }
        }
        return null;
    }

    private void sendOnServiceChannel(String message) {
        RTCDataChannel c = serviceChannel();
        if (c == null) {
            throw new IllegalStateException("room " + id + " has no open data channel");
        }
        c.send(message);
    }

    // ---- graphscript's WebRTCInfo -------------------------------------------------------------------

    public String id() {
        return id;
    }

    public RTCPeerConnection connection() {
        return connection;
    }

    /** The room's current options (merged over its life). */
    public RoomOptions options() {
        return options;
    }

    /** A property set through {@link RoomOptions.Builder#property}, or null. */
    public Object property(String key) {
        return options.properties.get(key);
    }

    /** The channels by label (a remote channel replaces a local one with the same label, as in graphscript). */
    public Map<String, RTCDataChannel> channels() {
        synchronized (channels) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(channels));
        }
    }

    /** Local candidates gathered so far (graphscript's {@code candidates} when no onicecandidate is set). */
    public List<RTCIceCandidate> localCandidates() {
        return new ArrayList<>(localCandidates);
    }

    /**
     * The end-of-candidates marker as browsers send it: an empty candidate for the data section's mid,
     * index 0 (Chromium's addIceCandidate rejects one that carries neither mid nor index).
     */
    private RTCIceCandidate endOfCandidates() {
        String mid = null;
        RTCSessionDescription local = connection.localDescription();
        if (local != null) {
            try {
                mid = DataChannelDescription.of(SessionDescription.parse(local.sdp())).mid().orElse(null);
            } catch (SdpParseException e) {
                // Our own description always parses; without a mid the index alone still identifies it.
            }
        }
        return new RTCIceCandidate("", mid, 0);
    }

    /** Adds a remote candidate to the connection and keeps it for {@link #hostCandidates()}/{@link #peerCandidates()}. */
    CompletableFuture<Void> addRemoteCandidate(RTCIceCandidate candidate) {
        if (!candidate.isEndOfCandidates()) {
            remoteCandidates.add(candidate);
        }
        return connection.addIceCandidate(candidate);
    }

    // ---- the seed document's names: the caller is the host, the callee the peer ---------------------

    /** The host's offer: the local description of a caller, the remote one of a callee; null before. */
    public RTCSessionDescription hostDescription() {
        return polite ? connection.remoteDescription() : connection.localDescription();
    }

    /** The peer's answer: the local description of a callee, the remote one of a caller; null before. */
    public RTCSessionDescription peerDescription() {
        return polite ? connection.localDescription() : connection.remoteDescription();
    }

    /** The host's candidates: gathered here on a caller, received (trickled through the rooms) on a callee. */
    public List<RTCIceCandidate> hostCandidates() {
        return new ArrayList<>(polite ? remoteCandidates : localCandidates);
    }

    /** The peer's candidates: gathered here on a callee, received (trickled through the rooms) on a caller. */
    public List<RTCIceCandidate> peerCandidates() {
        return new ArrayList<>(polite ? localCandidates : remoteCandidates);
    }

    /** The seed's {@code rtcTransmit}: the room's one connection, which both sends and receives. */
    public RTCPeerConnection rtcTransmit() {
        return connection;
    }

    /** The seed's {@code rtcReceive}: the same connection as {@link #rtcTransmit()}. */
    public RTCPeerConnection rtcReceive() {
        return connection;
    }

    /** The local description, or null. */
    public RTCSessionDescription localDescription() {
        return connection.localDescription();
    }

    /** The local description as graphscript signals it: {@code encodeURIComponent(JSON.stringify(d))}. */
    public String encodedLocalDescription() {
        RTCSessionDescription d = connection.localDescription();
        return d == null ? null : GraphscriptJson.encodeDescription(d);
    }

    /** True for the callee (the room was opened with the remote offer), as graphscript's {@code polite}. */
    public boolean polite() {
        return polite;
    }

    void setPolite(boolean value) {
        polite = value;
    }

    /** Completes when a channel of the room opens (service messages can flow). */
    public CompletableFuture<Room> opened() {
        return opened;
    }

    /** Completes with the first channel labelled {@code label} that is open in this room. */
    public CompletableFuture<RTCDataChannel> channelOpen(String label) {
        return channelOpen.computeIfAbsent(label, k -> new CompletableFuture<>());
    }

    /** Completes when the room ends (after {@code onclose}). */
    public CompletableFuture<Room> closed() {
        return closed;
    }

    /** The service-message engine (pending and subscription counts, for leak checks). */
    public ServiceEngine service() {
        return engine;
    }

    /**
     * graphscript's {@code send}: a String as is, a byte[] as a binary message, anything else as JSON
     * text, on the service channel.
     *
     * @throws IllegalStateException when no channel is open or the room is closed
     */
    public void send(Object message) {
        if (message instanceof byte[] bytes) {
            if (ending.get()) {
                throw new IllegalStateException("room " + id + " is closed");
            }
            RTCDataChannel c = serviceChannel();
            if (c == null) {
                throw new IllegalStateException("room " + id + " has no open data channel");
            }
            c.send(bytes);
            return;
        }
        engine.send(message);
    }

    public void post(String route, Object args) {
        engine.post(route, args, null);
    }

    public void post(String route, Object args, String method) {
        engine.post(route, args, method);
    }

    public CompletableFuture<JsonNode> run(String route, Object args) {
        return engine.run(route, args, null);
    }

    public CompletableFuture<JsonNode> run(String route, Object args, String method) {
        return engine.run(route, args, method);
    }

    public CompletableFuture<JsonNode> run(String route, Object args, String method, Duration timeout) {
        return engine.run(route, args, method, timeout);
    }

    public CompletableFuture<JsonNode> request(Object message) {
        return engine.request(message, null);
    }

    public CompletableFuture<JsonNode> request(Object message, String method) {
        return engine.request(message, method);
    }

    public CompletableFuture<JsonNode> request(Object message, String method, Duration timeout) {
        return engine.request(message, method, timeout);
    }

    public CompletableFuture<Integer> subscribe(String route, Consumer<JsonNode> callback) {
        return engine.subscribe(route, callback, null, null, null, null);
    }

    public CompletableFuture<Integer> subscribe(String route, Consumer<JsonNode> callback, Object args, String key,
                                                Boolean subInput, String channelId) {
        return engine.subscribe(route, callback, args, key, subInput, channelId);
    }

    public CompletableFuture<Boolean> unsubscribe(String route, int sub) {
        return engine.unsubscribe(route, sub);
    }

    /** Closes the connection and ends the room ({@code onclose} fires once). Returns true. */
    public boolean terminate() {
        end();
        return true;
    }

    /**
     * Merges {@code later} into the room's options; channels it names that the room has none of (by
     * label, local or remote) are created.
     */
    synchronized void merge(RoomOptions later) {
        options = options.mergedWith(later).withoutSignals();
        if (later.channels != null) {
            for (Map.Entry<String, RoomOptions.ChannelSpec> e : later.channels.entrySet()) {
                boolean present = false;
                for (RTCDataChannel c : everyChannel) {
                    present |= c.label().equals(e.getKey());
                }
                if (!present) {
                    addChannel(e.getKey(), e.getValue().init());
                }
            }
        }
    }

    /** Ends the room once: engine closed, removed from its rooms object, connection closed, onclose. */
    void end() {
        if (!ending.compareAndSet(false, true)) {
            return;
        }
        engine.close();
        owner.forget(this);
        opened.completeExceptionally(new IllegalStateException("room " + id + " closed before a channel opened"));
        RTCPeerConnection pc = connection;
        if (pc != null) {
            // close() waits for the loop; from a loop callback it runs inline.
            pc.close();
        }
        var cb = options.onClose;
        if (cb != null) {
            try {
                cb.accept(this);
            } catch (RuntimeException e) {
                LOG.warn("onclose of room {} failed: {}", id, e.toString());
            }
        }
        closed.complete(this);
    }

    @Override
    public String toString() {
        return "Room[" + id + "]";
    }
}
