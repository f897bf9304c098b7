package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.purertc.ice.IceServer;
import dev.purertc.ice.IceTransportPolicy;

/**
 * Relay-only peers whose TURN server (coturn on 127.0.0.1) listens on TCP and TLS only: one reaches it by
 * TURN over TLS trusting the server's self-signed certificate ({@link RtcConfiguration.Builder#turnTlsTrust}),
 * the other by TURN over TCP, and a data channel carries data both ways.
 */
class RelayOverStreamTest {

    @Test
    void peersConnectThroughTurnOverTlsAndTurnOverTcpAndExchangeData() throws Exception {
        Assumptions.assumeTrue(Coturn.installed() && Coturn.opensslInstalled(),
                "Debian coturn or openssl not installed");
        try (Coturn turn = Coturn.streamsOnly(); PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            RtcConfiguration overTls = Peer.loopback()
                    .iceServer(IceServer.turn(Coturn.USER, Coturn.PASSWORD, turn.tlsUrl()))
                    .turnTlsTrust(turn.certificate())
                    .iceTransportPolicy(IceTransportPolicy.RELAY)
                    .build();
            RtcConfiguration overTcp = Peer.loopback()
                    .iceServer(IceServer.turn(Coturn.USER, Coturn.PASSWORD, turn.tcpUrl()))
                    .iceTransportPolicy(IceTransportPolicy.RELAY)
                    .build();
            Peer a = Signaling.create(factory, overTls);
            Peer b = Signaling.create(factory, overTcp);
            Recorder atA = new Recorder();
            Recorder atB = new Recorder();
            b.remoteChannelListener = atB;
            RTCDataChannel channel = a.pc.createDataChannel("over-streams", RTCDataChannelInit.defaults(), atA);
            Signaling.negotiate(a, b);
            assertTrue(atA.opened.await(Peer.WAIT.toMillis(), TimeUnit.MILLISECONDS),
                    () -> "channel not open through TURN over TLS/TCP within " + Peer.WAIT + ": offerer "
                            + a.pc.transportStates() + " | answerer " + b.pc.transportStates());
            byte[] payload = new byte[200_000];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) (i % 251);
            }
            channel.send(payload);
            channel.send("over streams");
            assertArrayEquals(payload, (byte[]) atB.next());
            assertEquals("over streams", atB.next());
            assertEquals(1, a.candidates.size(), a.candidates.toString());
            assertEquals(1, b.candidates.size(), b.candidates.toString());
            assertTrue(a.candidates.get(0).candidate().contains(" typ relay "), a.candidates.toString());
            assertTrue(b.candidates.get(0).candidate().contains(" typ relay "), b.candidates.toString());
        }
    }
}
