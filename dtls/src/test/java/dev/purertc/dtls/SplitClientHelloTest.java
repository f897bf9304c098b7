package dev.purertc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Browsers' DTLS 1.3 ClientHellos with a post-quantum key share are larger than one datagram
 * (Chromium 156: 1413 bytes over two datagrams). The server must reassemble such a ClientHello
 * and answer with DTLS 1.2. Here a BouncyCastle client pads its ClientHello (RFC 7685) to a
 * similar size, so its DTLS layer fragments it over two datagrams (RFC 6347 §4.2.3).
 */
class SplitClientHelloTest {

    @Test
    void serverReassemblesClientHelloSplitOverTwoDatagrams() throws Exception {
        DtlsOptions base = DtlsOptions.builder().handshakeTimeout(Duration.ofSeconds(15))
                .initialRetransmitTimeout(Duration.ofMillis(200)).build();
        DtlsOptions padded = base.toBuilder().clientHelloPadding(1300).build();
        try (DtlsPair pair = new DtlsPair(padded, base, InMemoryLink.DropPolicy.NONE, InMemoryLink.DropPolicy.NONE)
                .withCorrectFingerprints()) {
            pair.startBoth();
            DtlsConnectionInfo serverInfo = pair.awaitServer();
            pair.awaitClient();
            assertEquals(0xFEFD, serverInfo.protocolVersion());

            List<byte[]> sent = pair.toServer.sentDatagrams();
            HandshakeFragment first = HandshakeFragment.parse(sent.get(0));
            HandshakeFragment second = HandshakeFragment.parse(sent.get(1));
            assertEquals(1, first.messageType); // client_hello
            assertEquals(1, second.messageType);
            assertEquals(0, first.messageSeq);
            assertEquals(0, second.messageSeq);
            assertEquals(0, first.fragmentOffset);
            assertEquals(first.fragmentLength, second.fragmentOffset); // contiguous halves
            assertEquals(first.messageLength, first.fragmentLength + second.fragmentLength);
            assertTrue(first.messageLength > 1200, "ClientHello of " + first.messageLength + " bytes");
            assertTrue(sent.get(0).length <= 1200 && sent.get(1).length <= 1200);

            pair.client.transport.send(new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, pair.server.nextReceived());
        }
    }

    /** The first DTLS handshake fragment in a datagram (RFC 6347 §4.1 record, §4.2.2 handshake header). */
    private record HandshakeFragment(int messageType, int messageLength, int messageSeq, int fragmentOffset,
                                     int fragmentLength) {
        static HandshakeFragment parse(byte[] datagram) {
            assertEquals(22, datagram[0]); // content type handshake
            int at = 13;
            return new HandshakeFragment(datagram[at] & 0xFF, uint24(datagram, at + 1), uint16(datagram, at + 4),
                    uint24(datagram, at + 6), uint24(datagram, at + 9));
        }

        private static int uint16(byte[] b, int at) {
            return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
        }

        private static int uint24(byte[] b, int at) {
            return ((b[at] & 0xFF) << 16) | ((b[at + 1] & 0xFF) << 8) | (b[at + 2] & 0xFF);
        }
    }
}
