package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.purertc.ice.IceServer;
import dev.purertc.ice.IceTransportPolicy;

/** iceServers with credentials and iceTransportPolicy relay, against coturn on 127.0.0.1. */
class RelayTest {

    @Test
    void peersWithRelayPolicyConnectThroughTurnAndExchangeData() throws Exception {
        Assumptions.assumeTrue(Coturn.installed(), "Debian coturn is not installed");
        try (Coturn turn = new Coturn(); PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            RtcConfiguration relayOnly = Peer.loopback()
                    .iceServer(IceServer.turn(Coturn.USER, Coturn.PASSWORD, turn.url()))
                    .iceTransportPolicy(IceTransportPolicy.RELAY)
                    .build();
            Peer a = Signaling.create(factory, relayOnly);
            Peer b = Signaling.create(factory, relayOnly);
            Recorder atA = new Recorder();
            Recorder atB = new Recorder();
            b.remoteChannelListener = atB;
            RTCDataChannel channel = a.pc.createDataChannel("relayed", RTCDataChannelInit.defaults(), atA);
            Signaling.negotiate(a, b);
            assertTrue(atA.opened.await(Peer.WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS),
                    () -> "channel not open through the relay within " + Peer.WAIT + ": offerer "
                            + a.pc.transportStates() + " | answerer " + b.pc.transportStates());
            byte[] payload = new byte[100_000];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) (i % 251);
            }
            channel.send(payload);
            channel.send("relayed");
            assertArrayEquals(payload, (byte[]) atB.next());
            assertEquals("relayed", atB.next());
            assertFalse(a.candidates.isEmpty());
            assertTrue(a.candidates.stream().allMatch(c -> c.candidate().contains(" typ relay ")),
                    "relay policy: only relayed candidates are signalled: " + a.candidates);
        }
    }
}
