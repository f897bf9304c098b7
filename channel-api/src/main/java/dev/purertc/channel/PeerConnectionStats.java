package dev.purertc.channel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import dev.purertc.dtls.DtlsConnectionInfo;
import dev.purertc.dtls.DtlsState;
import dev.purertc.dtls.DtlsTransportStats;
import dev.purertc.ice.IceAgent;
import dev.purertc.ice.IceConnectionState;
import dev.purertc.sctp.AssociationStats;
import dev.purertc.sctp.channel.DataChannel;

/**
 * Builds one connection's {@link RTCStatsReport} and keeps what the report needs between calls: the
 * channels not yet closed (a closed channel leaves the list, so a long connection that opens and closes
 * channels does not grow it) and how many channels opened and closed.
 *
 * <p>Ids are fixed: {@code P} the connection, {@code T} the transport, {@code CP} the selected pair,
 * {@code CL}/{@code CR} its candidates, {@code S} the SCTP transport, {@code D<n>} the n-th channel
 * created. {@code currentRoundTripTime} is not reported: ice4j does not time its consent checks; the
 * SCTP transport's {@code smoothedRoundTripTime} is the path's round trip as SCTP measures it.
 */
final class PeerConnectionStats {

    private final Map<RTCDataChannel, String> live = new LinkedHashMap<>();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong closed = new AtomicLong();

    /** Any thread. */
    void channelCreated(RTCDataChannel channel) {
        synchronized (live) {
            live.put(channel, "D" + created.incrementAndGet());
        }
    }

    /** On the loop: the channel reached OPEN. */
    void channelOpened(RTCDataChannel channel) {
        opened.incrementAndGet();
    }

    /** On the loop: the channel reached CLOSED; counted once, and only if it had opened. */
    void channelClosed(RTCDataChannel channel, boolean hadOpened) {
        String id;
        synchronized (live) {
            id = live.remove(channel);
        }
        if (id != null && hadOpened) {
            closed.incrementAndGet();
        }
    }

    /** What the transports are at the moment of the report. */
    record Transports(IceConnectionState iceState, DtlsState dtlsState, Optional<DtlsConnectionInfo> dtls,
                      DtlsTransportStats dtlsCounters, IceAgent.SelectedPair pair, AssociationStats sctp) {
    }

    /** On the loop (the channels' SCTP counters are loop-confined). */
    RTCStatsReport report(Transports t) {
        double now = System.currentTimeMillis();
        List<RTCStats> stats = new ArrayList<>();
        Map<String, Object> pc = new LinkedHashMap<>();
        pc.put("dataChannelsOpened", opened.get());
        pc.put("dataChannelsClosed", closed.get());
        stats.add(new RTCStats("P", "peer-connection", now, pc));

        List<Map.Entry<RTCDataChannel, String>> channels;
        synchronized (live) {
            channels = new ArrayList<>(live.entrySet());
        }
        for (Map.Entry<RTCDataChannel, String> e : channels) {
            stats.add(new RTCStats(e.getValue(), "data-channel", now, channel(e.getKey())));
        }

        Map<String, Object> transport = new LinkedHashMap<>();
        DtlsTransportStats c = t.dtlsCounters();
        transport.put("bytesSent", c == null ? 0L : c.bytesSent());
        transport.put("bytesReceived", c == null ? 0L : c.bytesReceived());
        transport.put("packetsSent", c == null ? 0L : c.datagramsSent());
        transport.put("packetsReceived", c == null ? 0L : c.datagramsReceived());
        transport.put("iceState", lower(t.iceState()));
        transport.put("dtlsState", t.dtlsState() == null ? "new" : lower(t.dtlsState()));
        t.dtls().ifPresent(info -> {
            transport.put("tlsVersion", info.tlsVersionHex());
            transport.put("dtlsCipher", info.cipherSuiteName());
            transport.put("dtlsRole", lower(info.role()));
        });
        if (t.pair() != null) {
            transport.put("selectedCandidatePairId", "CP");
        }
        stats.add(new RTCStats("T", "transport", now, transport));

        if (t.pair() != null) {
            IceAgent.SelectedPair p = t.pair();
            Map<String, Object> pair = new LinkedHashMap<>();
            pair.put("transportId", "T");
            pair.put("localCandidateId", "CL");
            pair.put("remoteCandidateId", "CR");
            pair.put("state", "succeeded");
            pair.put("bytesSent", transport.get("bytesSent"));
            pair.put("bytesReceived", transport.get("bytesReceived"));
            stats.add(new RTCStats("CP", "candidate-pair", now, pair));
            stats.add(new RTCStats("CL", "local-candidate", now, candidate(p.local().getAddress().getHostAddress(),
                    p.local().getPort(), p.protocol(), p.localType())));
            stats.add(new RTCStats("CR", "remote-candidate", now, candidate(p.remote().getAddress().getHostAddress(),
                    p.remote().getPort(), p.protocol(), p.remoteType())));
        }

        if (t.sctp() != null) {
            AssociationStats s = t.sctp();
            Map<String, Object> sctp = new LinkedHashMap<>();
            sctp.put("transportId", "T");
            if (s.smoothedRttNanos() >= 0) {
                sctp.put("smoothedRoundTripTime", s.smoothedRttNanos() / 1e9);
            }
            sctp.put("congestionWindow", s.congestionWindow());
            sctp.put("receiverWindow", s.receiverWindow());
            sctp.put("mtu", (long) s.mtu());
            // Not W3C names: the sender's state behind the figures above.
            sctp.put("bytesInFlight", s.bytesInFlight());
            sctp.put("retransmittedChunks", s.retransmittedChunks());
            sctp.put("t3Expiries", s.t3Expiries());
            sctp.put("fastRecoveries", s.fastRecoveries());
            sctp.put("lostRetransmissions", s.lostRetransmissions());
            stats.add(new RTCStats("S", "sctp-transport", now, sctp));
        }
        return new RTCStatsReport(stats);
    }

    private static Map<String, Object> channel(RTCDataChannel channel) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", channel.label());
        m.put("protocol", channel.protocol());
        if (channel.id() != null) {
            m.put("dataChannelIdentifier", (long) channel.id());
        }
        m.put("state", lower(channel.readyState()));
        DataChannel sctp = channel.sctpChannel();
        m.put("messagesSent", sctp == null ? 0L : sctp.messagesSent());
        m.put("bytesSent", sctp == null ? 0L : sctp.bytesSent());
        m.put("messagesReceived", sctp == null ? 0L : sctp.messagesReceived());
        m.put("bytesReceived", sctp == null ? 0L : sctp.bytesReceived());
        return m;
    }

    private static Map<String, Object> candidate(String address, int port, String protocol, String type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("transportId", "T");
        m.put("address", address);
        m.put("port", (long) port);
        m.put("protocol", protocol);
        m.put("candidateType", type);
        return m;
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
