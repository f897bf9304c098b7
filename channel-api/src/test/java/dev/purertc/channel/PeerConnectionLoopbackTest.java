package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.purertc.dtls.DtlsRole;
import dev.purertc.sctp.channel.ReadyState;

class PeerConnectionLoopbackTest {

    @Test
    void twoPeersConnectAndExchangeAMessageOverOneChannel() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            Recorder atA = new Recorder();
            Recorder atB = new Recorder();
            b.remoteChannelListener = atB;
            RTCDataChannel chat = a.pc.createDataChannel("chat");
            chat.setListener(atA);

            Signaling.negotiate(a, b);
            a.awaitState(PeerConnectionState.CONNECTED);
            b.awaitState(PeerConnectionState.CONNECTED);
            Recorder.await(atA.opened, "open at the offerer");
            RTCDataChannel remote = b.awaitRemoteChannel();
            Recorder.await(atB.opened, "open at the answerer");

            chat.send("hello");
            assertEquals("hello", atB.next());
            remote.send(new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) atA.next());

            assertEquals("chat", remote.label());
            assertEquals(chat.id(), remote.id());
            assertEquals(1, chat.id() % 2, "the offerer is the DTLS server: odd ids (RFC 8832 §6)");
            assertEquals(DtlsRole.SERVER, a.pc.dtlsRole());
            assertEquals(DtlsRole.CLIENT, b.pc.dtlsRole());
            assertEquals(ReadyState.OPEN, remote.readyState());
            a.pc.close();
            b.pc.close();
        }
    }
}
