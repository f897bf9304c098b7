package dev.purertc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class DtlsTransportTest {

    private static DtlsOptions options(CryptoBackend backend) {
        return DtlsPair.testOptions(backend);
    }

    private static byte[] pattern(int length, int seed) {
        return DtlsPair.pattern(length, seed);
    }

    @ParameterizedTest(name = "client {0}, server {1}")
    @CsvSource({"JCA,JCA", "BOUNCY_CASTLE,BOUNCY_CASTLE", "JCA,BOUNCY_CASTLE", "BOUNCY_CASTLE,JCA"})
    void handshakesAndExchangesDataBothWaysWithEveryBackendPair(CryptoBackend clientBackend,
                                                                CryptoBackend serverBackend) throws Exception {
        try (DtlsPair pair = new DtlsPair(options(clientBackend), options(serverBackend),
                InMemoryLink.DropPolicy.NONE, InMemoryLink.DropPolicy.NONE).withCorrectFingerprints()) {
            pair.startBoth();
            DtlsConnectionInfo clientInfo = pair.awaitClient();
            DtlsConnectionInfo serverInfo = pair.awaitServer();

            assertEquals(DtlsRole.CLIENT, clientInfo.role());
            assertEquals(DtlsRole.SERVER, serverInfo.role());
            assertEquals(0xFEFD, clientInfo.protocolVersion());
            assertEquals("FEFD", serverInfo.tlsVersionHex());
            assertEquals("DTLS 1.2", serverInfo.protocolName());
            assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", clientInfo.cipherSuiteName());
            assertEquals(0xC02B, serverInfo.cipherSuite());
            assertEquals(clientBackend, clientInfo.backend());
            assertEquals(serverBackend, serverInfo.backend());
            assertEquals(DtlsPair.SERVER_CERT.fingerprint(), clientInfo.remoteFingerprint());
            assertArrayEquals(DtlsPair.CLIENT_CERT.encoded(), serverInfo.remoteCertificate());
            assertEquals(1163, clientInfo.maxApplicationPayload());
            assertEquals(DtlsState.CONNECTED, pair.client.transport.state());
            assertEquals(DtlsState.CONNECTED, pair.server.transport.state());

            byte[] big = pattern(1163, 1);
            byte[] small = "hello over DTLS".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            pair.client.transport.send(big);
            pair.client.transport.send(small);
            pair.client.transport.send(new byte[0]);
            assertArrayEquals(big, pair.server.nextReceived());
            assertArrayEquals(small, pair.server.nextReceived());
            assertArrayEquals(new byte[0], pair.server.nextReceived());

            byte[] reply = pattern(700, 2);
            pair.server.transport.send(ByteBuffer.wrap(reply));
            ByteBuffer direct = ByteBuffer.allocateDirect(50).put(pattern(50, 3));
            direct.flip();
            pair.server.transport.send(direct);
            assertEquals(0, direct.remaining());
            assertArrayEquals(reply, pair.client.nextReceived());
            assertArrayEquals(pattern(50, 3), pair.client.nextReceived());

            // Counters: everything the client sent went through its sender, byte for byte.
            List<byte[]> clientSent = pair.toServer.sentDatagrams();
            DtlsTransportStats clientStats = pair.client.transport.stats();
            assertEquals(clientSent.size(), clientStats.datagramsSent());
            assertEquals(clientSent.stream().mapToLong(d -> d.length).sum(), clientStats.bytesSent());
            assertEquals(0, clientStats.datagramsDropped());
            DtlsTransportStats serverStats = pair.server.transport.stats();
            assertEquals(clientStats.datagramsSent(), serverStats.datagramsReceived());
            assertEquals(clientStats.bytesSent(), serverStats.bytesReceived());
        }
    }

    @Test
    void deliversManyRecordsInOrderByteExact() throws Exception {
        try (DtlsPair pair = DtlsPair.of(options(CryptoBackend.JCA)).withCorrectFingerprints()) {
            pair.startBoth();
            pair.awaitClient();
            pair.awaitServer();
            for (int i = 0; i < 500; i++) {
                pair.client.transport.send(pattern(1 + i * 2, i));
            }
            for (int i = 0; i < 500; i++) {
                assertArrayEquals(pattern(1 + i * 2, i), pair.server.nextReceived(), "record " + i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CryptoBackend.class)
    void lendsEveryRecordInOneReusedBufferAndTheDefaultListenerCopiesIt(CryptoBackend backend) throws Exception {
        try (DtlsPair pair = DtlsPair.of(options(backend)).withCorrectFingerprints()) {
            pair.startBoth();
            pair.awaitClient();
            pair.awaitServer();
            for (int i = 0; i < 200; i++) {
                pair.client.transport.send(pattern(1 + i * 5, i));
            }
            for (int i = 0; i < 200; i++) {
                assertArrayEquals(pattern(1 + i * 5, i), pair.server.nextReceived(), "record " + i);
            }
            assertEquals(1, pair.server.distinctLentBuffers(),
                    "one receive buffer per transport, not an array per record");
        }
    }

    @ParameterizedTest
    @CsvSource({
        "JCA,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,1163",
        "BOUNCY_CASTLE,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,1163",
        "BOUNCY_CASTLE,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,1171"})
    void negotiatesTheConfiguredCipherSuite(CryptoBackend backend, DtlsCipherSuite suite, int payload)
            throws Exception {
        DtlsOptions options = options(backend).toBuilder().cipherSuites(List.of(suite)).build();
        try (DtlsPair pair = DtlsPair.of(options).withCorrectFingerprints()) {
            pair.startBoth();
            DtlsConnectionInfo info = pair.awaitClient();
            pair.awaitServer();
            assertEquals(suite.code(), info.cipherSuite());
            assertEquals(suite.name(), info.cipherSuiteName());
            assertEquals(payload, pair.client.transport.maxApplicationPayload());
            byte[] record = pattern(payload, 9);
            pair.server.transport.send(record);
            assertArrayEquals(record, pair.client.nextReceived());
        }
    }

    @Test
    void jcaBackendWithoutAnAvailableSuiteFailsAtStart() throws Exception {
        // JcaTlsCrypto looks ChaCha20-Poly1305 up under BouncyCastle provider names the JDK lacks.
        DtlsOptions chachaOnly = options(CryptoBackend.JCA).toBuilder()
                .cipherSuites(List.of(DtlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256)).build();
        try (DtlsPair pair = DtlsPair.of(chachaOnly).withCorrectFingerprints()) {
            pair.client.transport.start();
            DtlsHandshakeException failure = assertInstanceOf(DtlsHandshakeException.class,
                    assertThrows(ExecutionException.class, pair::awaitClient).getCause());
            assertEquals("no configured cipher suite is available with the JCA back end: "
                    + "[TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256]", failure.getMessage());
            assertEquals(DtlsState.FAILED, pair.client.transport.state());
            assertEquals(0, pair.toServer.sentDatagrams().size());
        }
    }

    @Test
    void everyDatagramFitsTheBudgetAndOversizedRecordsAreRefused() throws Exception {
        try (DtlsPair pair = DtlsPair.of(options(CryptoBackend.JCA)).withCorrectFingerprints()) {
            assertEquals(1163, pair.client.transport.maxApplicationPayload()); // estimate before connecting
            pair.startBoth();
            pair.awaitClient();
            pair.awaitServer();
            int max = pair.client.transport.maxApplicationPayload();
            pair.client.transport.send(pattern(max, 4));
            assertArrayEquals(pattern(max, 4), pair.server.nextReceived());
            assertThrows(IllegalArgumentException.class, () -> pair.client.transport.send(new byte[max + 1]));

            for (InMemoryLink link : List.of(pair.toServer, pair.toClient)) {
                for (byte[] datagram : link.sentDatagrams()) {
                    assertTrue(datagram.length <= 1200, "datagram of " + datagram.length + " bytes");
                }
            }
            byte[] last = pair.toServer.sentDatagrams().get(pair.toServer.sentDatagrams().size() - 1);
            assertEquals(1200, last.length); // the full-size application record uses the whole budget
            assertEquals(23, last[0]); // RFC 6347 §4.1: content type application_data
        }
    }

    @ParameterizedTest
    @CsvSource({"JCA", "BOUNCY_CASTLE"})
    void handshakeSurvivesLossOfTheFirstFlightInEachDirection(CryptoBackend backend) throws Exception {
        InMemoryLink.DropPolicy dropFirst = (index, datagram) -> index == 0;
        try (DtlsPair pair = new DtlsPair(options(backend), options(backend), dropFirst, dropFirst)
                .withCorrectFingerprints()) {
            pair.startBoth();
            pair.awaitClient();
            pair.awaitServer();
            assertEquals(1, pair.toServer.droppedCount());
            assertEquals(1, pair.toClient.droppedCount());
            pair.client.transport.send(pattern(1000, 5));
            assertArrayEquals(pattern(1000, 5), pair.server.nextReceived());
        }
    }

    /**
     * The server's last flight (ChangeCipherSpec and its encrypted Finished) is lost once: the client
     * retransmits its own last flight, and the server, whose handshake is already complete, must answer it
     * with its last flight again. Each server datagram of content type 20, or of epoch 1, is dropped the
     * first time only.
     */
    @Test
    void aLostFinalServerFlightIsSentAgainWhenTheClientRetransmits() throws Exception {
        java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        InMemoryLink.DropPolicy lastFlightOnce = (index, d) -> {
            int epoch = ((d[3] & 0xff) << 8) | (d[4] & 0xff);
            boolean lastFlight = d[0] == 20 || epoch == 1;
            return lastFlight && seen.add(d[0] + "/" + epoch);
        };
        try (DtlsPair pair = new DtlsPair(options(CryptoBackend.JCA), options(CryptoBackend.JCA),
                InMemoryLink.DropPolicy.NONE, lastFlightOnce).withCorrectFingerprints()) {
            pair.startBoth();
            pair.awaitServer();
            pair.awaitClient();
            assertTrue(pair.toClient.droppedCount() >= 1, "the server's last flight was dropped");
            pair.client.transport.send(pattern(200, 9));
            assertArrayEquals(pattern(200, 9), pair.server.nextReceived());
        }
    }

    /**
     * A peer that sends each handshake record in a datagram of its own (BouncyCastle's client does unless
     * its transport packs flights, as PureRTC's does; the link here cuts the client's flights back into
     * records). When the client's CertificateVerify is lost but its ChangeCipherSpec arrives, BouncyCastle's server (which has
     * its next read epoch ready from the ClientKeyExchange) switches to epoch 1 at once and from
     * then on discards the retransmitted CertificateVerify, an epoch-0 record: the handshake stalls
     * until it times out. The server's transport holds such an early ChangeCipherSpec back, and the
     * client's retransmission brings it again in order. Found as the one-in-thirty timeout of
     * {@link #handshakeSurvivesSeededRandomLoss}.
     */
    @Test
    void aChangeCipherSpecThatOvertakesALostCertificateVerifyDoesNotStallTheServer() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean certificateVerifyDropped = new java.util.concurrent.atomic.AtomicBoolean();
        InMemoryLink.DropPolicy firstCertificateVerify = (index, d) -> {
            int epoch = ((d[3] & 0xff) << 8) | (d[4] & 0xff);
            boolean certificateVerify = d[0] == 22 && epoch == 0 && d[13] == 15;
            return certificateVerify && certificateVerifyDropped.compareAndSet(false, true);
        };
        try (DtlsPair pair = new DtlsPair(options(CryptoBackend.JCA), options(CryptoBackend.JCA),
                firstCertificateVerify, InMemoryLink.DropPolicy.NONE).withCorrectFingerprints()) {
            pair.toServer.splitIntoRecords();
            pair.startBoth();
            pair.awaitServer();
            pair.awaitClient();
            assertEquals(1, pair.toServer.droppedCount());
            assertTrue(pair.server.transport.heldBackChangeCipherSpecs() >= 1,
                    "the early ChangeCipherSpec was held back");
            assertEquals(0, pair.client.transport.heldBackChangeCipherSpecs());
            pair.client.transport.send(pattern(120, 4));
            assertArrayEquals(pattern(120, 4), pair.server.nextReceived());
        }
    }

    /**
     * RFC 6347 §4.1.1: several records may share a datagram. Each flight leaves as one datagram: the
     * ClientHello; the server's ServerHello, Certificate, ServerKeyExchange, CertificateRequest and
     * ServerHelloDone; the client's Certificate, ClientKeyExchange, CertificateVerify, ChangeCipherSpec and
     * Finished (epoch 1); the server's ChangeCipherSpec and Finished.
     */
    @ParameterizedTest
    @CsvSource({"JCA", "BOUNCY_CASTLE"})
    void eachHandshakeFlightLeavesInOneDatagram(CryptoBackend backend) throws Exception {
        DtlsOptions noRetransmission = options(backend).toBuilder().initialRetransmitTimeout(Duration.ofSeconds(10))
                .build();
        try (DtlsPair pair = DtlsPair.of(noRetransmission).withCorrectFingerprints()) {
            pair.startBoth();
            pair.awaitClient();
            pair.awaitServer();
            List<byte[]> fromClient = pair.toServer.sentDatagrams();
            List<byte[]> fromServer = pair.toClient.sentDatagrams();
            assertEquals(2, fromClient.size());
            assertEquals(2, fromServer.size());
            assertEquals(List.of("22/0/1"), records(fromClient.get(0)));
            assertEquals(List.of("22/0/2", "22/0/11", "22/0/12", "22/0/13", "22/0/14"), records(fromServer.get(0)));
            assertEquals(List.of("22/0/11", "22/0/16", "22/0/15", "20/0/-", "22/1/-"), records(fromClient.get(1)));
            assertEquals(List.of("20/0/-", "22/1/-"), records(fromServer.get(1)));
            assertEquals(2, pair.client.transport.stats().datagramsSent());
            assertEquals(2, pair.server.transport.stats().datagramsReceived());
        }
    }

    /** A flight larger than the datagram budget is cut between records, each datagram within the budget. */
    @Test
    void aFlightLargerThanTheBudgetLeavesInSeveralDatagramsWithinIt() throws Exception {
        DtlsOptions small = options(CryptoBackend.JCA).toBuilder().maxDatagramSize(400)
                .initialRetransmitTimeout(Duration.ofSeconds(10)).build();
        try (DtlsPair pair = DtlsPair.of(small).withCorrectFingerprints()) {
            pair.startBoth();
            pair.awaitClient();
            pair.awaitServer();
            List<byte[]> fromServer = pair.toClient.sentDatagrams();
            // ServerHello (93 bytes as a record) and Certificate (about 315) do not fit 400 together, nor do
            // Certificate and ServerKeyExchange (about 136); the rest of the flight does; then ChangeCipherSpec
            // and Finished.
            assertEquals(List.of("22/0/2"), records(fromServer.get(0)));
            assertEquals(List.of("22/0/11"), records(fromServer.get(1)));
            assertEquals(List.of("22/0/12", "22/0/13", "22/0/14"), records(fromServer.get(2)));
            assertEquals(List.of("20/0/-", "22/1/-"), records(fromServer.get(3)));
            assertEquals(4, fromServer.size());
            for (byte[] datagram : fromServer) {
                assertTrue(datagram.length <= 400, "datagram of " + datagram.length + " bytes");
            }
            pair.client.transport.send(pattern(200, 6));
            assertArrayEquals(pattern(200, 6), pair.server.nextReceived());
        }
    }

    /**
     * The records of a datagram as {@code type/epoch/handshake type} (RFC 6347 §4.1, §4.2.2), the handshake
     * type only for an epoch-0 handshake record ({@code -} otherwise: encrypted, or not a handshake).
     */
    private static List<String> records(byte[] datagram) {
        List<String> records = new java.util.ArrayList<>();
        int at = 0;
        while (at + 13 <= datagram.length) {
            int type = datagram[at] & 0xff;
            int epoch = ((datagram[at + 3] & 0xff) << 8) | (datagram[at + 4] & 0xff);
            int length = ((datagram[at + 11] & 0xff) << 8) | (datagram[at + 12] & 0xff);
            String handshake = type == 22 && epoch == 0 ? Integer.toString(datagram[at + 13] & 0xff) : "-";
            records.add(type + "/" + epoch + "/" + handshake);
            at += 13 + length;
        }
        assertEquals(datagram.length, at, "the datagram ends with a whole record");
        return records;
    }

    @Test
    void handshakeSurvivesSeededRandomLoss() throws Exception {
        Random toServerRandom = new Random(42);
        Random toClientRandom = new Random(4242);
        // Drop 30% of the first 12 datagrams each way, then deliver everything (bounded test time).
        InMemoryLink.DropPolicy lossyToServer = (index, d) -> index < 12 && nextBoolean(toServerRandom, 0.3);
        InMemoryLink.DropPolicy lossyToClient = (index, d) -> index < 12 && nextBoolean(toClientRandom, 0.3);
        try (DtlsPair pair = new DtlsPair(options(CryptoBackend.JCA), options(CryptoBackend.JCA),
                lossyToServer, lossyToClient).withCorrectFingerprints()) {
            pair.startBoth();
            pair.awaitClient();
            pair.awaitServer();
            assertTrue(pair.toServer.droppedCount() + pair.toClient.droppedCount() > 0, "the link dropped nothing");
            pair.server.transport.send(pattern(333, 6));
            assertArrayEquals(pattern(333, 6), pair.client.nextReceived());
        }
    }

    private static synchronized boolean nextBoolean(Random random, double probability) {
        return random.nextDouble() < probability;
    }

    @ParameterizedTest
    @CsvSource({"JCA", "BOUNCY_CASTLE"})
    void serverRejectsClientWhoseCertificateDoesNotMatchItsFingerprint(CryptoBackend backend) throws Exception {
        try (DtlsPair pair = DtlsPair.of(options(backend))) {
            DtlsFingerprint wrong = DtlsCertificate.generate().fingerprint();
            pair.client.transport.setRemoteFingerprints(List.of(DtlsPair.SERVER_CERT.fingerprint()));
            pair.server.transport.setRemoteFingerprints(List.of(wrong));
            pair.startBoth();

            ExecutionException serverFailure = assertThrows(ExecutionException.class, pair::awaitServer);
            DtlsFingerprintMismatchException mismatch =
                    assertInstanceOf(DtlsFingerprintMismatchException.class, serverFailure.getCause());
            assertEquals(List.of(wrong), mismatch.expected());
            assertEquals(DtlsPair.CLIENT_CERT.fingerprint(), mismatch.actual());
            assertEquals(42, mismatch.alertSent().getAsInt());

            ExecutionException clientFailure = assertThrows(ExecutionException.class, pair::awaitClient);
            DtlsHandshakeException rejected = assertInstanceOf(DtlsHandshakeException.class, clientFailure.getCause());
            assertEquals(42, rejected.alertReceived().getAsInt()); // bad_certificate from the server

            assertEquals(DtlsState.FAILED, pair.client.transport.state());
            assertEquals(DtlsState.FAILED, pair.server.transport.state());
            assertThrows(IllegalStateException.class, () -> pair.client.transport.send(new byte[10]));
            assertThrows(IllegalStateException.class, () -> pair.server.transport.send(new byte[10]));
            assertEquals(0, pair.client.received.size());
            assertEquals(0, pair.server.received.size());
        }
    }

    @ParameterizedTest
    @CsvSource({"JCA", "BOUNCY_CASTLE"})
    void clientRejectsServerWhoseCertificateDoesNotMatchItsFingerprint(CryptoBackend backend) throws Exception {
        try (DtlsPair pair = DtlsPair.of(options(backend))) {
            DtlsFingerprint wrong = DtlsCertificate.generate().fingerprint();
            pair.client.transport.setRemoteFingerprints(List.of(wrong));
            pair.server.transport.setRemoteFingerprints(List.of(DtlsPair.CLIENT_CERT.fingerprint()));
            pair.startBoth();

            ExecutionException clientFailure = assertThrows(ExecutionException.class, pair::awaitClient);
            DtlsFingerprintMismatchException mismatch =
                    assertInstanceOf(DtlsFingerprintMismatchException.class, clientFailure.getCause());
            assertEquals(DtlsPair.SERVER_CERT.fingerprint(), mismatch.actual());

            ExecutionException serverFailure = assertThrows(ExecutionException.class, pair::awaitServer);
            DtlsHandshakeException rejected = assertInstanceOf(DtlsHandshakeException.class, serverFailure.getCause());
            assertEquals(42, rejected.alertReceived().getAsInt());
            assertEquals(0, pair.client.received.size());
            assertEquals(0, pair.server.received.size());
        }
    }

    @Test
    void verifiesWithTheStrongestOfferedHashFunction() throws Exception {
        try (DtlsPair pair = DtlsPair.of(options(CryptoBackend.JCA))) {
            pair.client.transport.setRemoteFingerprints(List.of(
                    DtlsPair.SERVER_CERT.fingerprint("sha-1"), DtlsPair.SERVER_CERT.fingerprint("sha-512")));
            pair.server.transport.setRemoteFingerprints(List.of(
                    new DtlsFingerprint("md5", new byte[16]), DtlsPair.CLIENT_CERT.fingerprint("sha-384")));
            pair.startBoth();
            assertEquals(DtlsPair.SERVER_CERT.fingerprint("sha-512"), pair.awaitClient().remoteFingerprint());
            assertEquals(DtlsPair.CLIENT_CERT.fingerprint("sha-384"), pair.awaitServer().remoteFingerprint());
        }
    }

    @Test
    void strongestHashFunctionDecidesEvenIfAWeakerOneWouldMatch() throws Exception {
        try (DtlsPair pair = DtlsPair.of(options(CryptoBackend.JCA))) {
            DtlsFingerprint wrongSha256 = DtlsCertificate.generate().fingerprint();
            pair.client.transport.setRemoteFingerprints(List.of(DtlsPair.SERVER_CERT.fingerprint("sha-1"), wrongSha256));
            pair.server.transport.setRemoteFingerprints(List.of(DtlsPair.CLIENT_CERT.fingerprint()));
            pair.startBoth();
            ExecutionException failure = assertThrows(ExecutionException.class, pair::awaitClient);
            DtlsFingerprintMismatchException mismatch =
                    assertInstanceOf(DtlsFingerprintMismatchException.class, failure.getCause());
            assertEquals(List.of(wrongSha256), mismatch.expected());
        }
    }

    @Test
    void remoteFingerprintsMayArriveAfterThePeersCertificate() throws Exception {
        try (DtlsPair pair = DtlsPair.of(options(CryptoBackend.JCA))) {
            pair.client.transport.setRemoteFingerprints(List.of(DtlsPair.SERVER_CERT.fingerprint()));
            pair.startBoth();
            // The server gets the client's Certificate only after the client verified the server.
            // Wait until the client sent its second flight, so the server's verification is waiting.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pair.toServer.sentDatagrams().size() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(DtlsState.CONNECTING, pair.server.transport.state());
            pair.server.transport.setRemoteFingerprints(List.of(DtlsPair.CLIENT_CERT.fingerprint()));
            pair.awaitServer();
            pair.awaitClient();
            pair.server.transport.send(pattern(10, 7));
            assertArrayEquals(pattern(10, 7), pair.client.nextReceived());
        }
    }

    @Test
    void twoClientsFailWithinTheHandshakeTimeout() throws Exception {
        DtlsOptions shortTimeout = options(CryptoBackend.JCA).toBuilder().handshakeTimeout(Duration.ofSeconds(3)).build();
        try (DtlsPair pair = new DtlsPair(DtlsRole.CLIENT, shortTimeout, DtlsRole.CLIENT, shortTimeout,
                InMemoryLink.DropPolicy.NONE, InMemoryLink.DropPolicy.NONE).withCorrectFingerprints()) {
            long start = System.nanoTime();
            pair.startBoth();
            assertInstanceOf(DtlsHandshakeException.class,
                    assertThrows(ExecutionException.class, pair::awaitClient).getCause());
            assertInstanceOf(DtlsHandshakeException.class,
                    assertThrows(ExecutionException.class, pair::awaitServer).getCause());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(8));
            assertEquals(DtlsState.FAILED, pair.client.transport.state());
            assertEquals(DtlsState.FAILED, pair.server.transport.state());
        }
    }

    @Test
    void twoServersFailWithinTheHandshakeTimeout() throws Exception {
        DtlsOptions shortTimeout = options(CryptoBackend.JCA).toBuilder().handshakeTimeout(Duration.ofSeconds(2)).build();
        try (DtlsPair pair = new DtlsPair(DtlsRole.SERVER, shortTimeout, DtlsRole.SERVER, shortTimeout,
                InMemoryLink.DropPolicy.NONE, InMemoryLink.DropPolicy.NONE).withCorrectFingerprints()) {
            long start = System.nanoTime();
            pair.startBoth();
            DtlsHandshakeException first = assertInstanceOf(DtlsHandshakeException.class,
                    assertThrows(ExecutionException.class, pair::awaitClient).getCause());
            assertInstanceOf(DtlsHandshakeException.class,
                    assertThrows(ExecutionException.class, pair::awaitServer).getCause());
            assertTrue(first.getMessage().contains("timed out"), first.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(8));
            assertEquals(0, pair.toServer.sentDatagrams().size()); // servers never speak first
        }
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void closeNotifyIsReportedToThePeer(boolean clientCloses) throws Exception {
        try (DtlsPair pair = DtlsPair.of(options(CryptoBackend.JCA)).withCorrectFingerprints()) {
            pair.startBoth();
            pair.awaitClient();
            pair.awaitServer();
            TestPeer closer = clientCloses ? pair.client : pair.server;
            TestPeer other = clientCloses ? pair.server : pair.client;
            closer.transport.send(pattern(20, 8));
            closer.transport.close();
            assertEquals(DtlsState.CLOSED, closer.transport.state());
            assertTrue(other.peerClosed.await(10, TimeUnit.SECONDS), "peer close not reported");
            assertArrayEquals(pattern(20, 8), other.nextReceived()); // data sent before close arrives first
            assertEquals(DtlsState.CLOSED, other.transport.state());
            assertEquals(0, other.failures.size());
            assertThrows(IllegalStateException.class, () -> other.transport.send(new byte[1]));
            // close_notify on the wire: an alert record (type 21) went each way after the data.
            InMemoryLink closerLink = clientCloses ? pair.toServer : pair.toClient;
            InMemoryLink otherLink = clientCloses ? pair.toClient : pair.toServer;
            List<byte[]> closerSent = closerLink.sentDatagrams();
            assertEquals(21, closerSent.get(closerSent.size() - 1)[0]);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (otherLink.sentDatagrams().get(otherLink.sentDatagrams().size() - 1)[0] != 21
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            List<byte[]> otherSent = otherLink.sentDatagrams();
            assertEquals(21, otherSent.get(otherSent.size() - 1)[0]);
        }
    }

    @Test
    void closeDuringHandshakeFailsTheFuture() throws Exception {
        try (DtlsPair pair = DtlsPair.of(options(CryptoBackend.JCA)).withCorrectFingerprints()) {
            pair.server.transport.start(); // no client: the server waits for a ClientHello
            pair.server.transport.close();
            DtlsHandshakeException failure = assertInstanceOf(DtlsHandshakeException.class,
                    assertThrows(ExecutionException.class, pair::awaitServer).getCause());
            assertTrue(failure.getMessage().contains("closed"), failure.getMessage());
            assertEquals(DtlsState.CLOSED, pair.server.transport.state());
        }
    }

    @Test
    void closeWakesAHandshakeWaitingForRemoteFingerprints() throws Exception {
        DtlsOptions longTimeout = options(CryptoBackend.JCA).toBuilder().handshakeTimeout(Duration.ofSeconds(60)).build();
        try (DtlsPair pair = DtlsPair.of(longTimeout)) {
            pair.client.transport.setRemoteFingerprints(List.of(DtlsPair.SERVER_CERT.fingerprint()));
            pair.startBoth();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pair.toServer.sentDatagrams().size() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // until the client's certificate flight is on its way
            }
            long start = System.nanoTime();
            pair.server.transport.close();
            DtlsHandshakeException failure = assertInstanceOf(DtlsHandshakeException.class,
                    assertThrows(ExecutionException.class,
                            () -> pair.server.transport.handshakeFuture().get(10, TimeUnit.SECONDS)).getCause());
            assertTrue(failure.getMessage().contains("closed"), failure.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)); // not the 60 s timeout
        }
    }

    @Test
    void dropsTamperedRecordsAndKeepsTheConnection() throws Exception {
        try (DtlsPair pair = DtlsPair.of(options(CryptoBackend.JCA)).withCorrectFingerprints()) {
            pair.startBoth();
            pair.awaitClient();
            pair.awaitServer();
            byte[] record = pattern(200, 10);
            pair.client.transport.send(record);
            assertArrayEquals(record, pair.server.nextReceived());

            List<byte[]> sent = pair.toServer.sentDatagrams();
            byte[] forged = sent.get(sent.size() - 1).clone();
            forged[forged.length - 20] ^= 1; // ciphertext bit flip: the GCM tag no longer verifies
            pair.server.transport.feed(forged);
            byte[] replayed = sent.get(sent.size() - 1).clone(); // RFC 6347 §4.1.2.6: replay is discarded
            pair.server.transport.feed(replayed);

            pair.client.transport.send(pattern(201, 11));
            assertArrayEquals(pattern(201, 11), pair.server.nextReceived());
            assertEquals(0, pair.server.received.size());
            assertEquals(DtlsState.CONNECTED, pair.server.transport.state());
            assertEquals(0, pair.server.failures.size());
        }
    }

    @Test
    void deliversReorderedRecordsInArrivalOrder() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean holding = new java.util.concurrent.atomic.AtomicBoolean();
        InMemoryLink.DropPolicy holdWhenAsked = (index, datagram) -> holding.get();
        try (DtlsPair pair = new DtlsPair(options(CryptoBackend.BOUNCY_CASTLE), options(CryptoBackend.BOUNCY_CASTLE),
                holdWhenAsked, InMemoryLink.DropPolicy.NONE).withCorrectFingerprints()) {
            pair.startBoth();
            pair.awaitClient();
            pair.awaitServer();
            holding.set(true); // the link keeps the next datagrams instead of delivering them
            pair.client.transport.send(pattern(30, 12));
            pair.client.transport.send(pattern(31, 13));
            holding.set(false);
            List<byte[]> sent = pair.toServer.sentDatagrams();
            pair.server.transport.feed(sent.get(sent.size() - 1).clone());
            pair.server.transport.feed(sent.get(sent.size() - 2).clone());
            assertArrayEquals(pattern(31, 13), pair.server.nextReceived());
            assertArrayEquals(pattern(30, 12), pair.server.nextReceived());
        }
    }

    @Test
    void usesTheCallersHandshakeExecutor() throws Exception {
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2,
                r -> new Thread(r, "test-handshake-pool"));
        try {
            DtlsOptions withPool = options(CryptoBackend.BOUNCY_CASTLE).toBuilder()
                    .handshakeExecutor(task -> {
                        runs.incrementAndGet();
                        pool.execute(task);
                    }).build();
            try (DtlsPair pair = DtlsPair.of(withPool).withCorrectFingerprints()) {
                pair.startBoth();
                pair.awaitClient();
                pair.awaitServer();
                assertEquals(2, runs.get());
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void keepsDatagramsFedBeforeStart() throws Exception {
        // The client would retransmit only after 30 s, so a prompt handshake proves the server
        // used the ClientHello that arrived before its start().
        DtlsOptions patientClient = options(CryptoBackend.JCA).toBuilder()
                .handshakeTimeout(Duration.ofSeconds(60)).initialRetransmitTimeout(Duration.ofSeconds(30)).build();
        try (DtlsPair pair = new DtlsPair(patientClient, options(CryptoBackend.JCA),
                InMemoryLink.DropPolicy.NONE, InMemoryLink.DropPolicy.NONE).withCorrectFingerprints()) {
            pair.client.transport.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pair.toServer.sentDatagrams().isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(DtlsState.NEW, pair.server.transport.state());
            pair.server.transport.start();
            pair.server.transport.handshakeFuture().get(10, TimeUnit.SECONDS);
            pair.client.transport.handshakeFuture().get(10, TimeUnit.SECONDS);
            // Exactly one ClientHello went out: epoch-0 handshake record with message type client_hello.
            assertEquals(1, pair.toServer.sentDatagrams().stream()
                    .filter(d -> d[0] == 22 && d[3] == 0 && d[4] == 0 && d[13] == 1).count());
        }
    }
}
