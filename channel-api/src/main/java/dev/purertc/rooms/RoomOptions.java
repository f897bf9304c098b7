package dev.purertc.rooms;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.purertc.channel.PeerConnectionState;
import dev.purertc.channel.RTCDataChannel;
import dev.purertc.channel.RTCDataChannelInit;
import dev.purertc.channel.RTCIceCandidate;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.ice.IceConnectionState;

/**
 * What {@link WebRtcRooms#openRTC} and friends take: graphscript's {@code WebRTCProps} as a Java
 * builder. Every field is optional; a field left unset keeps the room's current value when options are
 * merged into an existing room. Immutable once built.
 *
 * <p>Callbacks run on the connection's event loop and must not block (see {@link Room}).
 */
public final class RoomOptions {

    /** {@code ondata(message, channel, room)}: {@code message} is a String or a byte[]. */
    @FunctionalInterface
    public interface DataHandler {
        void onData(Object message, RTCDataChannel channel, Room room);
    }

    /**
     * One entry of {@code channels}: its init ({@code null} is graphscript's {@code true}: the
     * browser defaults), and an optional {@code ondata} of its own; a channel without one carries
     * service messages (and its other messages go to the room's ondata).
     */
    public record ChannelSpec(RTCDataChannelInit init, DataHandler ondata) {
    }

    final String id;
    final Map<String, ChannelSpec> channels;
    final String defaultChannel;
    final RtcConfiguration configuration;
    final Object description;
    final Map<String, Object> candidates;
    final Duration requestTimeout;
    final BiConsumer<Room, RTCIceCandidate> onIceCandidate;
    final BiConsumer<Room, RTCDataChannel> onDataChannel;
    final DataHandler onData;
    final Boolean onDataTakesServiceMessages;
    final BiConsumer<Room, PeerConnectionState> onConnectionStateChange;
    final BiConsumer<Room, IceConnectionState> onIceConnectionStateChange;
    final Consumer<Room> onNegotiationNeeded;
    final Consumer<Room> onClose;
    final Map<String, Object> properties;

    private RoomOptions(Builder b) {
        id = b.id;
        channels = b.channels == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.channels));
        defaultChannel = b.defaultChannel;
        configuration = b.configuration;
        description = b.description;
        candidates = b.candidates == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.candidates));
        requestTimeout = b.requestTimeout;
        onIceCandidate = b.onIceCandidate;
        onDataChannel = b.onDataChannel;
        onData = b.onData;
        onDataTakesServiceMessages = b.onDataTakesServiceMessages;
        onConnectionStateChange = b.onConnectionStateChange;
        onIceConnectionStateChange = b.onIceConnectionStateChange;
        onNegotiationNeeded = b.onNegotiationNeeded;
        onClose = b.onClose;
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding what a signaling message carries, in graphscript's names ({@code _id},
     * {@code description}, {@code candidates}) or the seed document's ({@code hostdescription},
     * {@code peerdescription}, {@code hostcandidates}, {@code peercandidates}; see {@link SeedNames}).
     */
    public static Builder fromJson(JsonNode info) {
        return SeedNames.options(info);
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.channels = channels == null ? null : new LinkedHashMap<>(channels);
        b.defaultChannel = defaultChannel;
        b.configuration = configuration;
        b.description = description;
        b.candidates = candidates == null ? null : new LinkedHashMap<>(candidates);
        b.requestTimeout = requestTimeout;
        b.onIceCandidate = onIceCandidate;
        b.onDataChannel = onDataChannel;
        b.onData = onData;
        b.onDataTakesServiceMessages = onDataTakesServiceMessages;
        b.onConnectionStateChange = onConnectionStateChange;
        b.onIceConnectionStateChange = onIceConnectionStateChange;
        b.onNegotiationNeeded = onNegotiationNeeded;
        b.onClose = onClose;
        b.properties.putAll(properties);
        return b;
    }

    /**
     * These options with {@code later}'s set fields on top (graphscript's {@code Object.assign}); the
     * candidate maps and properties are merged key by key ({@code recursivelyAssign}).
     */
    public RoomOptions mergedWith(RoomOptions later) {
        Builder b = toBuilder();
        if (later.id != null) {
            b.id = later.id;
        }
        if (later.channels != null) {
            b.channels = b.channels == null ? new LinkedHashMap<>() : b.channels;
            b.channels.putAll(later.channels);
        }
        if (later.defaultChannel != null) {
            b.defaultChannel = later.defaultChannel;
        }
        if (later.configuration != null) {
            b.configuration = later.configuration;
        }
        if (later.description != null) {
            b.description = later.description;
        }
        if (later.candidates != null) {
            b.candidates = b.candidates == null ? new LinkedHashMap<>() : b.candidates;
            b.candidates.putAll(later.candidates);
        }
        if (later.requestTimeout != null) {
            b.requestTimeout = later.requestTimeout;
        }
        b.onIceCandidate = later.onIceCandidate != null ? later.onIceCandidate : b.onIceCandidate;
        b.onDataChannel = later.onDataChannel != null ? later.onDataChannel : b.onDataChannel;
        b.onData = later.onData != null ? later.onData : b.onData;
        b.onDataTakesServiceMessages = later.onDataTakesServiceMessages != null
                ? later.onDataTakesServiceMessages : b.onDataTakesServiceMessages;
        b.onConnectionStateChange = later.onConnectionStateChange != null
                ? later.onConnectionStateChange : b.onConnectionStateChange;
        b.onIceConnectionStateChange = later.onIceConnectionStateChange != null
                ? later.onIceConnectionStateChange : b.onIceConnectionStateChange;
        b.onNegotiationNeeded = later.onNegotiationNeeded != null ? later.onNegotiationNeeded : b.onNegotiationNeeded;
        b.onClose = later.onClose != null ? later.onClose : b.onClose;
        b.properties.putAll(later.properties);
        return b.build();
    }

    /** These options with {@code kept} as their candidates. */
    RoomOptions withCandidates(Map<String, Object> kept) {
        Builder b = toBuilder();
        b.candidates = new LinkedHashMap<>(kept);
        return b.build();
    }

    /** These options without the description and candidates (what stays on a room after answering). */
    RoomOptions withoutSignals() {
        Builder b = toBuilder();
        b.description = null;
        b.candidates = null;
        return b.build();
    }

    public String id() {
        return id;
    }

    /** The {@code onConnectionStateChange} callback given to the builder, or null. */
    public BiConsumer<Room, PeerConnectionState> connectionStateCallback() {
        return onConnectionStateChange;
    }

    /** The {@code onNegotiationNeeded} callback given to the builder, or null. */
    public Consumer<Room> negotiationNeededCallback() {
        return onNegotiationNeeded;
    }

    /** The channels by label, in order; null when not set. */
    public Map<String, ChannelSpec> channels() {
        return channels;
    }

    /** The remote description (any accepted form), or null. */
    public Object description() {
        return description;
    }

    /** The remote candidates by key (any accepted form), or null. */
    public Map<String, Object> candidates() {
        return candidates;
    }

    /** Extra values kept on the room ({@code caller}, {@code remoteId}, anything). */
    public Map<String, Object> properties() {
        return properties;
    }

    /** Builder; not thread-safe. */
    public static final class Builder {
        private String id;
        private Map<String, ChannelSpec> channels;
        private String defaultChannel;
        private RtcConfiguration configuration;
        private Object description;
        private Map<String, Object> candidates;
        private Duration requestTimeout;
        private BiConsumer<Room, RTCIceCandidate> onIceCandidate;
        private BiConsumer<Room, RTCDataChannel> onDataChannel;
        private DataHandler onData;
        private Boolean onDataTakesServiceMessages;
        private BiConsumer<Room, PeerConnectionState> onConnectionStateChange;
        private BiConsumer<Room, IceConnectionState> onIceConnectionStateChange;
        private Consumer<Room> onNegotiationNeeded;
        private Consumer<Room> onClose;
        private final Map<String, Object> properties = new LinkedHashMap<>();

        private Builder() {
        }

        /** {@code _id}; default {@code rtc} followed by random digits. */
        public Builder id(String value) {
            id = value;
            return this;
        }

        /** {@code channels: {label: true}}: a channel with the browser defaults. */
        public Builder channel(String label) {
            return channel(label, null, null);
        }

        /** {@code channels: {label: init}}. */
        public Builder channel(String label, RTCDataChannelInit init) {
            return channel(label, init, null);
        }

        /** A channel whose messages go to its own {@code ondata} (never treated as service messages). */
        public Builder channel(String label, RTCDataChannelInit init, DataHandler ondata) {
            Objects.requireNonNull(label, "label");
            if (channels == null) {
                channels = new LinkedHashMap<>();
            }
            channels.put(label, new ChannelSpec(init, ondata));
            return this;
        }

        /** The channel that carries service messages when open; default {@code data}. */
        public Builder defaultChannel(String label) {
            defaultChannel = label;
            return this;
        }

        /** {@code config}; default: the rooms object's configuration. */
        public Builder configuration(RtcConfiguration value) {
            configuration = value;
            return this;
        }

        /**
         * The remote description: an {@code RTCSessionDescription}, a {@code {"type","sdp"}} JsonNode
         * or Map, its JSON text, or graphscript's URL-encoded JSON text. With it, openRTC answers.
         */
        public Builder description(Object value) {
            description = value;
            return this;
        }

        /** The seed's name for the host's offer: the remote description of a room opened as the peer. */
        public Builder hostDescription(Object value) {
            return description(value);
        }

        /** The seed's name for the peer's answer: the remote description the host gives {@code answerPeer}. */
        public Builder peerDescription(Object value) {
            return description(value);
        }

        /** The seed's {@code hostcandidates}: one of the host's candidates, remote to the peer. */
        public Builder hostCandidate(String key, Object candidate) {
            return candidate(key, candidate);
        }

        /** The seed's {@code peercandidates}: one of the peer's candidates, remote to the host. */
        public Builder peerCandidate(String key, Object candidate) {
            return candidate(key, candidate);
        }

        /** One remote candidate (any accepted form) under {@code key}. */
        public Builder candidate(String key, Object candidate) {
            if (candidates == null) {
                candidates = new LinkedHashMap<>();
            }
            candidates.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(candidate, "candidate"));
            return this;
        }

        /** Timeout of run/request/subscribe/unsubscribe in the room; default 30 s, zero for none. */
        public Builder requestTimeout(Duration value) {
            requestTimeout = value;
            return this;
        }

        public Builder onIceCandidate(BiConsumer<Room, RTCIceCandidate> callback) {
            onIceCandidate = callback;
            return this;
        }

        public Builder onDataChannel(BiConsumer<Room, RTCDataChannel> callback) {
            onDataChannel = callback;
            return this;
        }

        /** Messages on channels without their own ondata that are not service messages. */
        public Builder onData(DataHandler callback) {
            onData = callback;
            return this;
        }

        /**
         * graphscript's behaviour when a room has an {@code ondata}: every message of the channels without
         * their own ondata goes to it, service messages ({@code route}/{@code callbackId} JSON) included,
         * and the room's {@link ServiceEngine} sees none, so this side answers no run/request/subscribe
         * and its own calls get no reply (the application handles both). Off by default: the engine takes
         * service messages and {@code ondata} gets the rest. Applies only while an {@code ondata} is set.
         */
        public Builder onDataTakesServiceMessages(boolean value) {
            onDataTakesServiceMessages = value;
            return this;
        }

        public Builder onConnectionStateChange(BiConsumer<Room, PeerConnectionState> callback) {
            onConnectionStateChange = callback;
            return this;
        }

        public Builder onIceConnectionStateChange(BiConsumer<Room, IceConnectionState> callback) {
            onIceConnectionStateChange = callback;
            return this;
        }

        /**
         * graphscript's {@code onnegotiationneeded}: the room's connection needs an offer/answer
         * ({@link dev.purertc.channel.PeerConnectionListener#onNegotiationNeeded()}), after
         * {@code room.connection().restartIce()}, or for the first channel before the first offer. Runs
         * on the connection's event loop. {@link dev.purertc.signaling.GraphscriptCalls} renegotiates
         * its rooms by itself as well.
         */
        public Builder onNegotiationNeeded(Consumer<Room> callback) {
            onNegotiationNeeded = callback;
            return this;
        }

        /** Called once when the room ends: terminate, connection closed or failed, every channel closed. */
        public Builder onClose(Consumer<Room> callback) {
            onClose = callback;
            return this;
        }

        /** An extra value kept on the room ({@code caller}, {@code remoteId}, ...). */
        public Builder property(String key, Object value) {
            properties.put(Objects.requireNonNull(key, "key"), value);
            return this;
        }

        public RoomOptions build() {
            return new RoomOptions(this);
        }
    }
}
