package dev.purertc.interop;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.PeerConnectionListener;
import dev.purertc.channel.PeerConnectionState;
import dev.purertc.channel.RTCDataChannel;
import dev.purertc.channel.RTCDataChannelListener;
import dev.purertc.channel.RTCIceCandidate;
import dev.purertc.channel.RTCPeerConnection;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.ice.HostAddressFilter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The PureRTC side of an interop test: one {@link RTCPeerConnection} (loopback candidates only) and
 * everything its listeners reported, as {@link Event}s in arrival order, with bounded waits like
 * {@link BrowserPeer#awaitEvent}. Every channel of the connection (local or remote) gets this
 * object's channel listener, so its open/message/close events are recorded here.
 */
final class PureRtcPeer implements PeerConnectionListener, RTCDataChannelListener, AutoCloseable {

    /**
     * One recorded event.
     *
     * @param type      candidate, gatheringcomplete, datachannel, state, open, message, bufferedamountlow, closing, close, error
     * @param channel   the channel, or null
     * @param text      a text message, a state name, an error text, or null
     * @param data      a binary message, or null
     * @param candidate a local candidate, or null
     * @param nanos     {@link System#nanoTime()} when it was recorded
     */
    record Event(long seq, long nanos, String type, RTCDataChannel channel, String text, byte[] data, RTCIceCandidate candidate) {
        boolean is(String type, RTCDataChannel channel) {
            return this.type.equals(type) && this.channel == channel;
        }
    }

    private final Object lock = new Object();
    private final List<Event> events = new ArrayList<>();
    /** getStats figures kept by {@link #snapshotStats}, the last few. */
    private final List<String> snapshots = new ArrayList<>();
    private static final int MAX_SNAPSHOTS = 4;
    private final List<Boolean> taken = new ArrayList<>();
    private long nextSeq;
    /** Counts every event and {@link #wake()}: a waiter that saw count n sleeps only while it is still n. */
    private long wakeups;
    final RTCPeerConnection pc;

    PureRtcPeer(PeerConnectionFactory factory, RtcConfiguration.Builder config) {
        this(factory, config, HostAddressFilter.ipv4LoopbackOnly());
    }

    /** With candidates from {@code hosts} instead of loopback (addresses inside namespaces the test made). */
    PureRtcPeer(PeerConnectionFactory factory, RtcConfiguration.Builder config, HostAddressFilter hosts) {
        this.pc = factory.createPeerConnection(config.hostAddresses(hosts).build(), this);
    }

    /** The configuration the tests start from: loopback only, everything else PureRTC's defaults. */
    static RtcConfiguration.Builder loopback() {
        return RtcConfiguration.builder();
    }

    private void add(String type, RTCDataChannel channel, String text, byte[] data, RTCIceCandidate candidate) {
        synchronized (lock) {
            events.add(new Event(++nextSeq, System.nanoTime(), type, channel, text, data, candidate));
            taken.add(false);
            wakeups++;
            lock.notifyAll();
        }
    }

    /** The first not yet taken event matching {@code filter}, waiting up to {@code timeout}; marks it taken. */
    Event await(Predicate<Event> filter, Duration timeout) {
        Event e = awaitOrNull(filter, timeout);
        if (e != null) {
            return e;
        }
        String recent;
        synchronized (lock) {
            recent = recent();
        }
        throw new AssertionError("PureRTC: no matching event within " + timeout + "; " + layers() + "; recent: " + recent
                + sctpFigures());
    }

    /**
     * What PureRTC's side says when a wait on the peer fails: the layers, the SCTP and channel figures
     * from getStats, every error event in full (a message {@code send} accepted and the loop then
     * dropped says so there) and the recent events. Lets a timeout tell a message PureRTC never sent
     * from one the peer lost.
     */
    String diagnostics() {
        StringBuilder sb = new StringBuilder("\n--- PureRTC ").append(layers());
        synchronized (lock) {
            snapshots.forEach(sn -> sb.append("\n--- PureRTC stats ").append(sn));
        }
        synchronized (lock) {
            sb.append("\n--- PureRTC errors:");
            events.stream().filter(e -> e.type.equals("error")).forEach(e -> sb.append("\n  ").append(e.seq)
                    .append(' ').append(e.channel == null ? "" : e.channel.label()).append(": ").append(e.text));
            sb.append("\n--- PureRTC recent events:").append(recent());
        }
        return sb.append(sctpFigures()).toString();
    }

    /**
     * Keeps getStats' figures now, labelled {@code when}, for {@link #diagnostics()}: a channel leaves
     * getStats once closed, so its messagesSent must be read while it closes. getStats runs on the
     * connection's loop after every task queued before it (the sends and close() of the caller).
     */
    void snapshotStats(String when) {
        String figures = sctpFigures();
        synchronized (lock) {
            if (snapshots.size() == MAX_SNAPSHOTS) {
                snapshots.remove(0);
            }
            snapshots.add(when + ":" + figures.substring(figures.indexOf(':') + 1));
        }
    }

    /** getStats' transport, SCTP and data-channel entries, every member (bytes in flight, retransmissions...). */
    private String sctpFigures() {
        StringBuilder sb = new StringBuilder("\n--- PureRTC stats:");
        try {
            dev.purertc.channel.RTCStatsReport report = pc.getStats().get(5, TimeUnit.SECONDS);
            for (String type : List.of("transport", "sctp-transport", "data-channel")) {
                for (dev.purertc.channel.RTCStats s : report.ofType(type)) {
                    sb.append("\n  ").append(type).append(' ').append(s.members());
                }
            }
        } catch (Exception ex) {
            sb.append(" getStats failed: ").append(ex);
        }
        return sb.toString();
    }

    /**
     * Where the connection stands, layer by layer, from its getStats: ICE and DTLS states, whether an
     * SCTP association exists, and each channel's state. Said by every timeout, so that a stalled
     * connection names the layer that stalled.
     */
    String layers() {
        try {
            dev.purertc.channel.RTCStatsReport report = pc.getStats().get(5, TimeUnit.SECONDS);
            StringBuilder sb = new StringBuilder("layers: connection=").append(pc.connectionState());
            for (dev.purertc.channel.RTCStats t : report.ofType("transport")) {
                sb.append(" ice=").append(t.get("iceState")).append(" dtls=").append(t.get("dtlsState"));
            }
            sb.append(" sctp=").append(report.ofType("sctp-transport").isEmpty() ? "none" : "association");
            for (dev.purertc.channel.RTCStats c : report.ofType("data-channel")) {
                sb.append(" channel[").append(c.get("label")).append("]=").append(c.get("state"));
            }
            return sb.toString();
        } catch (Exception ex) {
            return "layers: getStats failed: " + ex;
        }
    }

    /** Waits up to {@code timeout} for a matching event; null if none came. */
    Event awaitOrNull(Predicate<Event> filter, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                Event e = poll(filter);
                if (e != null) {
                    return e;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    /** Waits at most {@code bound} for any new event (taking none); a short step of a polling loop. */
    /** The wake-up count to hand to {@link #waitForWakeUp}, read before looking at the events. */
    long wakeUps() {
        synchronized (lock) {
            return wakeups;
        }
    }

    /** Wakes {@link #waitForWakeUp} as an event of this peer does (the page's events call it). */
    void wake() {
        synchronized (lock) {
            wakeups++;
            lock.notifyAll();
        }
    }

    /** Waits up to {@code bound} unless an event or {@link #wake()} came after {@code seen} was read. */
    void waitForWakeUp(long seen, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        synchronized (lock) {
            long left;
            while (wakeups == seen && (left = deadline - System.nanoTime()) > 0) {
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The first not yet taken event matching {@code filter}, or null; marks it taken. */
    Event poll(Predicate<Event> filter) {
        synchronized (lock) {
            for (int i = 0; i < events.size(); i++) {
                if (!taken.get(i) && filter.test(events.get(i))) {
                    taken.set(i, true);
                    return events.get(i);
                }
            }
            return null;
        }
    }

    /** True once the connection state {@code state} was reported (taken or not). */
    boolean sawState(PeerConnectionState state) {
        synchronized (lock) {
            return events.stream().anyMatch(e -> e.type.equals("state") && e.text.equals(state.name()));
        }
    }

    Event awaitState(PeerConnectionState state, Duration timeout) {
        return await(e -> e.type.equals("state") && e.text.equals(state.name()), timeout);
    }

    /** Every event so far (taken or not), in order. */
    List<Event> all() {
        synchronized (lock) {
            return List.copyOf(events);
        }
    }

    private String recent() {
        int from = Math.max(0, events.size() - 30);
        StringBuilder sb = new StringBuilder();
        for (Event e : events.subList(from, events.size())) {
            sb.append("\n  ").append(e.seq).append(' ').append(e.type).append(' ')
                    .append(e.channel == null ? "" : e.channel.label()).append(' ')
                    .append(e.text == null ? "" : e.text.length() > 80 ? e.text.substring(0, 80) + "..." : e.text)
                    .append(e.data == null ? "" : " [" + e.data.length + " bytes]");
        }
        return sb.toString();
    }

    // ---- PeerConnectionListener -------------------------------------------------------------------

    @Override
    public void onIceCandidate(RTCIceCandidate candidate) {
        add("candidate", null, null, null, candidate);
    }

    @Override
    public void onIceGatheringComplete() {
        add("gatheringcomplete", null, null, null, null);
    }

    @Override
    public void onIceGatheringStateChange(dev.purertc.channel.IceGatheringState state) {
        add("gatheringstate", null, state.name(), null, null);
    }

    @Override
    public void onDataChannel(RTCDataChannel channel) {
        channel.setListener(this);
        add("datachannel", channel, channel.label(), null, null);
    }

    @Override
    public void onIceConnectionStateChange(dev.purertc.ice.IceConnectionState state) {
        add("ice", null, state.name(), null, null);
    }

    @Override
    public void onConnectionStateChange(PeerConnectionState state) {
        add("state", null, state.name(), null, null);
    }

    // ---- RTCDataChannelListener -------------------------------------------------------------------

    @Override
    public void onOpen(RTCDataChannel channel) {
        add("open", channel, null, null, null);
    }

    @Override
    public void onMessage(RTCDataChannel channel, String text) {
        add("message", channel, text, null, null);
    }

    @Override
    public void onMessage(RTCDataChannel channel, byte[] data) {
        BulkSink sink = bulkSinks.get(channel);
        if (sink != null) {
            sink.digest.update(data);
            sink.bytes += data.length;
            sink.messages++;
            if (sink.bytes >= sink.expected) {
                bulkSinks.remove(channel);
                add("bulkreceived", channel, sink.bytes + " " + sink.messages + " "
                        + java.util.HexFormat.of().formatHex(sink.digest.digest()), null, null);
            }
            return;
        }
        add("message", channel, null, data, null);
    }

    /** Counting and hashing sink for bulk binary data on one channel (loop thread only after arming). */
    private static final class BulkSink {
        final long expected;
        final java.security.MessageDigest digest;
        long bytes;
        long messages;

        BulkSink(long expected) {
            this.expected = expected;
            try {
                this.digest = java.security.MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final java.util.Map<RTCDataChannel, BulkSink> bulkSinks = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The next {@code totalBytes} of binary messages on {@code channel} are counted and hashed instead
     * of recorded; then a {@code bulkreceived} event carries "bytes messages sha256hex" as its text.
     */
    void armBulkSink(RTCDataChannel channel, long totalBytes) {
        bulkSinks.put(channel, new BulkSink(totalBytes));
    }

    @Override
    public void onBufferedAmountLow(RTCDataChannel channel) {
        add("bufferedamountlow", channel, null, null, null);
    }

    @Override
    public void onClosing(RTCDataChannel channel) {
        add("closing", channel, null, null, null);
    }

    @Override
    public void onClose(RTCDataChannel channel) {
        add("close", channel, null, null, null);
    }

    @Override
    public void onError(RTCDataChannel channel, String error) {
        add("error", channel, error, null, null);
    }

    @Override
    public void close() {
        pc.close();
    }
}
