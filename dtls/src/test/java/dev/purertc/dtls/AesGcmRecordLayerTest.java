package dev.purertc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Application records after a JCA handshake on AES-GCM go through {@link AesGcmRecordLayer}, and its
 * records are BouncyCastle's on the wire: each side reads what the other layer wrote.
 */
class AesGcmRecordLayerTest {

    private static DtlsOptions options(CryptoBackend backend) {
        return DtlsPair.testOptions(backend);
    }

    private static byte[] pattern(int length, int seed) {
        return DtlsPair.pattern(length, seed);
    }

    private static DtlsPair connected(DtlsPair pair) throws Exception {
        pair.withCorrectFingerprints().startBoth();
        pair.awaitClient();
        pair.awaitServer();
        return pair;
    }

    @Test
    void aJcaHandshakeOnAesGcmHandsApplicationRecordsToTheOwnLayerBothWays() throws Exception {
        try (DtlsPair pair = connected(DtlsPair.of(options(CryptoBackend.JCA)))) {
            assertTrue(pair.client.transport.usesOwnRecordLayer());
            assertTrue(pair.server.transport.usesOwnRecordLayer());
            int before = pair.toServer.sentDatagrams().size();
            byte[] full = pattern(1163, 1);
            pair.client.transport.send(full);
            pair.client.transport.send(new byte[0]);
            assertArrayEquals(full, pair.server.nextReceived());
            assertArrayEquals(new byte[0], pair.server.nextReceived());
            byte[] reply = pattern(300, 2);
            pair.server.transport.send(reply);
            assertArrayEquals(reply, pair.client.nextReceived());

            // The datagram of the full record: header, explicit nonce, 1163 bytes, tag = the 1200-byte budget.
            byte[] datagram = pair.toServer.sentDatagrams().get(before);
            assertEquals(1200, datagram.length);
            assertEquals(AesGcmRecordLayer.CONTENT_APPLICATION_DATA, datagram[0]);
            assertEquals((byte) 0xFE, datagram[1]);
            assertEquals((byte) 0xFD, datagram[2]);
            assertEquals(1, ((datagram[3] & 0xFF) << 8) | (datagram[4] & 0xFF), "epoch");
            // The explicit nonce is the record's epoch and sequence number.
            assertArrayEquals(java.util.Arrays.copyOfRange(datagram, 3, 11), java.util.Arrays.copyOfRange(datagram, 13, 21));
        }
    }

    @Test
    void theOwnLayerAndBouncyCastlesReadEachOther() throws Exception {
        for (boolean clientOwn : new boolean[] {true, false}) {
            DtlsPair pair = DtlsPair.of(options(CryptoBackend.JCA));
            (clientOwn ? pair.server : pair.client).transport.useBouncyCastleRecordLayer();
            try (pair) {
                connected(pair);
                assertEquals(clientOwn, pair.client.transport.usesOwnRecordLayer());
                assertEquals(!clientOwn, pair.server.transport.usesOwnRecordLayer());
                for (int i = 0; i < 50; i++) {
                    pair.client.transport.send(pattern(1 + 23 * i, i));
                    pair.server.transport.send(pattern(1163 - 20 * i, 100 + i));
                }
                for (int i = 0; i < 50; i++) {
                    assertArrayEquals(pattern(1 + 23 * i, i), pair.server.nextReceived(), "to server " + i);
                    assertArrayEquals(pattern(1163 - 20 * i, 100 + i), pair.client.nextReceived(), "to client " + i);
                }
                // close_notify from the own layer (or BouncyCastle's) reaches the other side.
                pair.client.transport.close();
                assertTrue(pair.server.peerClosed.await(10, TimeUnit.SECONDS), "server saw close_notify");
            }
        }
    }

    @Test
    void aReplayedOrAlteredRecordIsDroppedAndTheNextOneStillArrives() throws Exception {
        try (DtlsPair pair = connected(DtlsPair.of(options(CryptoBackend.JCA)))) {
            byte[] first = pattern(500, 3);
            pair.client.transport.send(first);
            assertArrayEquals(first, pair.server.nextReceived());
            List<byte[]> sent = pair.toServer.sentDatagrams();
            byte[] datagram = sent.get(sent.size() - 1);

            pair.server.transport.feed(datagram.clone()); // a replay
            byte[] altered = datagram.clone();
            altered[altered.length - 1] ^= 1; // the tag no longer matches
            pair.server.transport.feed(altered);

            byte[] next = pattern(40, 4);
            pair.client.transport.send(next);
            assertArrayEquals(next, pair.server.nextReceived());
            assertNull(pair.server.received.poll(200, TimeUnit.MILLISECONDS));
            assertEquals(DtlsState.CONNECTED, pair.server.transport.state());
        }
    }

    @Test
    void aBorrowedDatagramIsReadDuringTheCallOnly() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean hold = new java.util.concurrent.atomic.AtomicBoolean();
        // Bytes the link let through to the server. A handshake retransmission that the timer sends after
        // the hold begins is recorded as sent but never delivered, so the sent list is not the reference.
        java.util.concurrent.atomic.AtomicLong delivered = new java.util.concurrent.atomic.AtomicLong();
        try (DtlsPair pair = connected(new DtlsPair(options(CryptoBackend.JCA), options(CryptoBackend.JCA),
                (index, datagram) -> {
                    if (hold.get()) {
                        return true;
                    }
                    delivered.addAndGet(datagram.length);
                    return false;
                }, InMemoryLink.DropPolicy.NONE))) {
            hold.set(true); // the link keeps the next datagram to the server for the test
            byte[] record = pattern(1000, 6);
            pair.client.transport.send(record);
            List<byte[]> sent = pair.toServer.sentDatagrams();
            byte[] datagram = sent.get(sent.size() - 1);
            byte[] buffer = new byte[datagram.length + 20];
            System.arraycopy(datagram, 0, buffer, 7, datagram.length);
            pair.server.transport.feed(buffer, 7, datagram.length);
            java.util.Arrays.fill(buffer, (byte) 0x55); // the caller reuses its buffer at once
            assertArrayEquals(record, pair.server.nextReceived());
            // Datagrams let through before the hold may still be on the link's pump: wait until they are in.
            long expected = delivered.get() + datagram.length;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pair.server.transport.stats().bytesReceived() < expected && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(expected, pair.server.transport.stats().bytesReceived());
        }
    }

    @Test
    void theBouncyCastleBackendKeepsBouncyCastlesRecords() throws Exception {
        try (DtlsPair pair = connected(DtlsPair.of(options(CryptoBackend.BOUNCY_CASTLE)))) {
            assertFalse(pair.client.transport.usesOwnRecordLayer());
            assertFalse(pair.server.transport.usesOwnRecordLayer());
            byte[] record = pattern(800, 5);
            pair.client.transport.send(record);
            assertArrayEquals(record, pair.server.nextReceived());
        }
    }

    @Test
    void replayWindowAcceptsEachSequenceNumberOnceAndNothingOlderThanSixtyFourBelowTheHighest() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.isFresh(0));
        w.mark(0);
        assertFalse(w.isFresh(0));
        w.mark(5);
        assertTrue(w.isFresh(3));
        w.mark(3);
        assertFalse(w.isFresh(3));
        w.mark(100);
        assertFalse(w.isFresh(36), "64 below the highest is outside the window");
        assertTrue(w.isFresh(37));
        assertFalse(w.isFresh(100));
        assertTrue(w.isFresh(99));
        w.mark(99);
        assertFalse(w.isFresh(99));
        w.mark(100 + 200); // a jump past the window clears it
        assertTrue(w.isFresh(299));
        assertFalse(w.isFresh(300));
    }
}
