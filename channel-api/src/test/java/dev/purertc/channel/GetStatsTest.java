package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * getStats() after a known transfer: exact message and byte counts per channel, the selected pair
 * with its candidates, DTLS and SCTP. Descriptions are exchanged complete (no trickle), so both sides
 * know every candidate before the first check and the pair is host to host.
 */
class GetStatsTest {

    private static final long WAIT_SECONDS = 10;

    @Test
    void countsAfterAKnownTransferAndThePairDtlsAndSctp() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            Recorder atA = new Recorder();
            Recorder atB = new Recorder();
            b.remoteChannelListener = atB;
            RTCDataChannel chat = a.pc.createDataChannel("chat", RTCDataChannelInit.defaults(), atA);

            RTCStats before = a.pc.getStats().get(WAIT_SECONDS, TimeUnit.SECONDS).get("D1").orElseThrow();
            assertEquals("connecting", before.getString("state"));
            assertEquals(0, before.getLong("messagesSent"));

            a.pc.setLocalDescription(a.pc.createOffer().get(WAIT_SECONDS, TimeUnit.SECONDS)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            Recorder.await(a.gatheringComplete, "offerer's gathering complete");
            b.pc.setRemoteDescription(a.pc.localDescription()).get(WAIT_SECONDS, TimeUnit.SECONDS);
            b.pc.setLocalDescription(b.pc.createAnswer().get(WAIT_SECONDS, TimeUnit.SECONDS)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            Recorder.await(b.gatheringComplete, "answerer's gathering complete");
            a.pc.setRemoteDescription(b.pc.localDescription()).get(WAIT_SECONDS, TimeUnit.SECONDS);
            Recorder.await(atA.opened, "channel open at the offerer");
            RTCDataChannel atBChannel = b.awaitRemoteChannel();
            Recorder.await(atB.opened, "channel open at the answerer");

            // 5 messages A -> B: "", "é" (2 bytes), "abc", an empty binary, 1000 bytes; 1 back.
            chat.send("");
            chat.send("\u00e9");
            chat.send("abc");
            chat.send(new byte[0]);
            chat.send(new byte[1000]);
            assertEquals(List.of("", "\u00e9", "abc"), List.of(atB.next(), atB.next(), atB.next()));
            assertArrayEquals(new byte[0], (byte[]) atB.next());
            assertArrayEquals(new byte[1000], (byte[]) atB.next());
            atBChannel.send("ok");
            assertEquals("ok", atA.next());

            RTCStatsReport ra = a.pc.getStats().get(WAIT_SECONDS, TimeUnit.SECONDS);
            RTCStatsReport rb = b.pc.getStats().get(WAIT_SECONDS, TimeUnit.SECONDS);

            RTCStats channelA = ra.ofType("data-channel").get(0);
            assertEquals("chat", channelA.getString("label"));
            assertEquals("open", channelA.getString("state"));
            assertEquals((long) chat.id(), channelA.getLong("dataChannelIdentifier"));
            assertEquals(5, channelA.getLong("messagesSent"));
            assertEquals(1005, channelA.getLong("bytesSent"));
            assertEquals(1, channelA.getLong("messagesReceived"));
            assertEquals(2, channelA.getLong("bytesReceived"));
            RTCStats channelB = rb.ofType("data-channel").get(0);
            assertEquals(1, channelB.getLong("messagesSent"));
            assertEquals(2, channelB.getLong("bytesSent"));
            assertEquals(5, channelB.getLong("messagesReceived"));
            assertEquals(1005, channelB.getLong("bytesReceived"));
            assertEquals(1, ra.first("peer-connection").orElseThrow().getLong("dataChannelsOpened"));
            assertEquals(0, ra.first("peer-connection").orElseThrow().getLong("dataChannelsClosed"));

            RTCStats transportA = ra.get("T").orElseThrow();
            assertEquals("connected", transportA.getString("dtlsState"));
            assertEquals("connected", transportA.getString("iceState"));
            assertEquals("FEFD", transportA.getString("tlsVersion"));
            assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", transportA.getString("dtlsCipher"));
            // The answer says a=setup:active: the answerer is the DTLS client.
            assertEquals("server", transportA.getString("dtlsRole"));
            assertEquals("client", rb.get("T").orElseThrow().getString("dtlsRole"));
            assertTrue(transportA.getLong("bytesSent") > 1005 && transportA.getLong("packetsSent") > 0, transportA.toString());
            assertEquals("CP", transportA.getString("selectedCandidatePairId"));

            RTCStats localA = ra.get("CL").orElseThrow();
            RTCStats remoteA = ra.get("CR").orElseThrow();
            RTCStats localB = rb.get("CL").orElseThrow();
            assertEquals(List.of("127.0.0.1", "host", "udp"), List.of(localA.getString("address"),
                    localA.getString("candidateType"), localA.getString("protocol")));
            assertEquals(List.of("127.0.0.1", "host", "udp"), List.of(remoteA.getString("address"),
                    remoteA.getString("candidateType"), remoteA.getString("protocol")));
            assertEquals(localB.getLong("port"), remoteA.getLong("port"));
            assertEquals("succeeded", ra.get("CP").orElseThrow().getString("state"));

            RTCStats sctpA = ra.first("sctp-transport").orElseThrow();
            assertEquals(1160, sctpA.getLong("mtu"), "one SCTP packet per DTLS record: 1,200-byte datagrams less DTLS and AES-GCM");
            assertTrue(sctpA.has("smoothedRoundTripTime"), "SCTP has measured the round trip: " + sctpA);
            assertTrue(sctpA.getDouble("smoothedRoundTripTime") < 1.0, sctpA.toString());
            assertTrue(sctpA.getLong("congestionWindow") > 0 && sctpA.getLong("receiverWindow") > 0, sctpA.toString());
            assertEquals(0, sctpA.getLong("retransmittedChunks"));

            // A closed channel leaves the report and is counted.
            chat.close();
            Recorder.await(atA.closed, "channel closed at the offerer");
            RTCStatsReport after = a.pc.getStats().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(List.of(), after.ofType("data-channel"));
            assertEquals(1, after.first("peer-connection").orElseThrow().getLong("dataChannelsClosed"));
        }
    }

    @Test
    void aConnectionThatNeverConnectedReportsNoPairAndNoSctp() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            RTCStatsReport r = a.pc.getStats().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(List.of("P", "T"), List.copyOf(r.asMap().keySet()));
            assertEquals("new", r.get("T").orElseThrow().getString("dtlsState"));
            assertFalse(r.get("T").orElseThrow().has("selectedCandidatePairId"));
        }
    }
}
