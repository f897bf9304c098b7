package dev.purertc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientContext;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerCertificate;
import org.junit.jupiter.api.Test;

/**
 * A client shaped like Chromium 156: its ClientHello offers DTLS 1.3 and 1.2 (supported_versions)
 * with an X25519MLKEM768 and an X25519 key share, 1.4 KB in all, so it takes two datagrams.
 * PureRTC's DTLS 1.2 server must reassemble it and negotiate DTLS 1.2, as browsers expect.
 *
 * <p>BouncyCastle 1.84 has no DTLS 1.3 client, so the client here is a DTLS 1.2 BouncyCastle
 * client that adds the two DTLS 1.3 extensions to its ClientHello as raw bytes (RFC 8446 §4.2.1,
 * §4.2.8; key-share values are random bytes of the right lengths, which a 1.2 server never
 * reads). What the server receives has the shape and size of a browser's offer, and the client's
 * own transcript stays consistent, so the whole 1.2 handshake completes.
 */
class BrowserLikeClientHelloTest {

    /** RFC 8446 §4.2: extension code points. */
    private static final int SUPPORTED_VERSIONS = 43;
    private static final int KEY_SHARE = 51;
    /** draft-ietf-tls-ecdhe-mlkem: X25519MLKEM768 share = 1184-byte ML-KEM-768 key + 32-byte X25519 key. */
    private static final int X25519MLKEM768 = 0x11EC;
    private static final int X25519MLKEM768_SHARE_LENGTH = 1184 + 32;
    private static final int X25519 = 0x001D;

    /** BouncyCastle 1.2 client whose ClientHello carries a browser's DTLS 1.3 offer. */
    private static final class PostQuantumOfferClient extends DefaultTlsClient {
        private final PeerSettings settings;
        private final DtlsFingerprint expectedServer;

        PostQuantumOfferClient(PeerSettings settings, DtlsFingerprint expectedServer) {
            super(settings.crypto);
            this.settings = settings;
            this.expectedServer = expectedServer;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            // TLS 1.3 suites first, as browsers list them, then the DTLS 1.2 suite.
            return new int[] {CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
        }

        @Override
        public boolean requiresExtendedMasterSecret() {
            return true;
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getClientExtensions() throws IOException {
            Hashtable extensions = super.getClientExtensions();
            extensions.put(SUPPORTED_VERSIONS, new byte[] {4, (byte) 0xFE, (byte) 0xFC, (byte) 0xFE, (byte) 0xFD});
            extensions.put(KEY_SHARE, keyShares());
            return extensions;
        }

        private static byte[] keyShares() {
            SecureRandom random = new SecureRandom();
            byte[] pq = new byte[X25519MLKEM768_SHARE_LENGTH];
            byte[] classic = new byte[32];
            random.nextBytes(pq);
            random.nextBytes(classic);
            ByteBuffer body = ByteBuffer.allocate(2 + 4 + pq.length + 4 + classic.length);
            body.putShort((short) (body.capacity() - 2));
            body.putShort((short) X25519MLKEM768).putShort((short) pq.length).put(pq);
            body.putShort((short) X25519).putShort((short) classic.length).put(classic);
            return body.array();
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                    byte[] der = serverCertificate.getCertificate().getCertificateAt(0).getEncoded();
                    if (!expectedServer.matches(der)) {
                        throw new TlsFatalAlert(AlertDescription.bad_certificate);
                    }
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                    return settings.signerCredentials(context);
                }
            };
        }

        @Override
        public void init(TlsClientContext context) {
            super.init(context);
            settings.context = context;
        }
    }

    @Test
    void dtls12ServerAnswersABrowserSizedDtls13OfferSplitOverTwoDatagrams() throws Exception {
        DtlsOptions options = DtlsOptions.builder().handshakeTimeout(Duration.ofSeconds(15))
                .initialRetransmitTimeout(Duration.ofMillis(200)).build();
        DtlsCertificate browserCert = DtlsPair.CLIENT_CERT;
        DtlsCertificate serverCert = DtlsPair.SERVER_CERT;
        ExecutorService browserThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-browser"));
        try (InMemoryLink toServer = new InMemoryLink(InMemoryLink.DropPolicy.NONE);
             InMemoryLink toBrowser = new InMemoryLink(InMemoryLink.DropPolicy.NONE);
             TestPeer server = new TestPeer(DtlsRole.SERVER, serverCert, toBrowser, options)) {
            QueuedDatagramTransport browserSocket = new QueuedDatagramTransport(toServer, 1200, 2048, false);
            browserSocket.handshakeDeadline(System.nanoTime() + TimeUnit.SECONDS.toNanos(15));
            toServer.connectTo(server.transport::feed);
            toBrowser.connectTo(browserSocket::enqueue);
            server.transport.setRemoteFingerprints(List.of(browserCert.fingerprint()));
            server.transport.start();

            PeerSettings browserSettings = new PeerSettings(options, browserCert, new RemoteCertificateVerifier(),
                    System.nanoTime() + TimeUnit.SECONDS.toNanos(15));
            Future<DTLSTransport> browser = browserThread.submit(() -> new DTLSClientProtocol()
                    .connect(new PostQuantumOfferClient(browserSettings, serverCert.fingerprint()), browserSocket));

            DTLSTransport browserTransport = browser.get(15, TimeUnit.SECONDS);
            DtlsConnectionInfo info = server.transport.handshakeFuture().get(15, TimeUnit.SECONDS);
            assertEquals(0xFEFD, info.protocolVersion());
            assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", info.cipherSuiteName());
            assertEquals(ProtocolVersion.DTLSv12,
                    browserSettings.context().getSecurityParametersConnection().getNegotiatedVersion());

            // On the wire: one ClientHello of a browser's size in two fragments, two datagrams,
            // each within the 1200-byte budget (RFC 6347 §4.2.3 fragment headers).
            List<byte[]> sent = toServer.sentDatagrams();
            HandshakeFragment first = HandshakeFragment.parse(sent.get(0));
            HandshakeFragment second = HandshakeFragment.parse(sent.get(1));
            assertEquals(1, first.messageType()); // client_hello
            assertEquals(1, second.messageType());
            assertEquals(0, first.messageSeq());
            assertEquals(0, second.messageSeq());
            assertEquals(0, first.fragmentOffset());
            assertEquals(first.fragmentLength(), second.fragmentOffset());
            assertEquals(first.messageLength(), first.fragmentLength() + second.fragmentLength());
            assertTrue(first.messageLength() > 1400, "ClientHello of " + first.messageLength() + " bytes");
            assertTrue(sent.get(0).length <= 1200 && sent.get(1).length <= 1200);
            byte[] clientHello = new byte[first.messageLength()];
            System.arraycopy(sent.get(0), 25, clientHello, 0, first.fragmentLength());
            System.arraycopy(sent.get(1), 25, clientHello, first.fragmentLength(), second.fragmentLength());
            assertTrue(offersDtls13(clientHello), "supported_versions lists DTLS 1.3");

            byte[] hello = {9, 8, 7};
            browserTransport.send(hello, 0, hello.length);
            assertArrayEquals(hello, server.nextReceived());
            browserTransport.close();
            assertTrue(server.peerClosed.await(10, TimeUnit.SECONDS));
        } finally {
            browserThread.shutdownNow();
            assertTrue(browserThread.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    /**
     * Walks the reassembled ClientHello body (RFC 6347 §4.2.1 layout) to supported_versions and
     * reports whether it lists DTLS 1.3 (0xFEFC).
     */
    private static boolean offersDtls13(byte[] hello) {
        ByteBuffer b = ByteBuffer.wrap(hello);
        b.position(2 + 32); // client_version, random
        b.position(b.position() + 1 + (b.get(b.position()) & 0xFF)); // session_id
        b.position(b.position() + 1 + (b.get(b.position()) & 0xFF)); // cookie
        b.position(b.position() + 2 + (b.getShort(b.position()) & 0xFFFF)); // cipher_suites
        b.position(b.position() + 1 + (b.get(b.position()) & 0xFF)); // compression_methods
        int end = b.position() + 2 + (b.getShort() & 0xFFFF);
        while (b.position() < end) {
            int type = b.getShort() & 0xFFFF;
            int length = b.getShort() & 0xFFFF;
            if (type == SUPPORTED_VERSIONS) {
                int count = b.get() & 0xFF;
                for (int i = 0; i < count; i += 2) {
                    if ((b.getShort() & 0xFFFF) == 0xFEFC) {
                        return true;
                    }
                }
                return false;
            }
            b.position(b.position() + length);
        }
        return false;
    }

    /** The first DTLS handshake fragment in a datagram (RFC 6347 §4.1 record, §4.2.2 handshake header). */
    private record HandshakeFragment(int messageType, int messageLength, int messageSeq, int fragmentOffset,
                                     int fragmentLength) {
        static HandshakeFragment parse(byte[] datagram) {
            assertEquals(22, datagram[0]); // content type handshake
            ByteBuffer b = ByteBuffer.wrap(datagram, 13, datagram.length - 13);
            return new HandshakeFragment(b.get() & 0xFF, uint24(b), b.getShort() & 0xFFFF, uint24(b), uint24(b));
        }

        private static int uint24(ByteBuffer b) {
            return ((b.get() & 0xFF) << 16) | ((b.get() & 0xFF) << 8) | (b.get() & 0xFF);
        }
    }
}
