package dev.purertc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerCertificate;
import org.junit.jupiter.api.Test;

/**
 * What PureRTC's server demands of a client (RFC 8827 §6.5): a certificate (mutual
 * authentication) and the extended master secret (RFC 7627). The clients here are plain
 * BouncyCastle clients that leave one of them out.
 */
class PeerRequirementsTest {

    private static final DtlsOptions OPTIONS = DtlsOptions.builder().handshakeTimeout(Duration.ofSeconds(10))
            .initialRetransmitTimeout(Duration.ofMillis(200)).build();

    /** A BouncyCastle DTLS 1.2 client; subclasses leave out one requirement. */
    private static class PlainClient extends DefaultTlsClient {
        final AtomicReference<CertificateRequest> certificateRequest = new AtomicReference<>();
        final PeerSettings settings;

        PlainClient(PeerSettings settings) {
            super(settings.crypto);
            this.settings = settings;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        public void init(org.bouncycastle.tls.TlsClientContext context) {
            super.init(context);
            settings.context = context;
        }

        TlsCredentials credentials() throws IOException {
            return settings.signerCredentials(context);
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) {
                    // this client trusts any server: the server's checks are under test
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                    certificateRequest.set(request);
                    return credentials();
                }
            };
        }
    }

    /** Runs a plain client against a PureRTC server; returns the server's failure. */
    private static DtlsHandshakeException serverFailureAgainst(PlainClient client) throws Exception {
        ExecutorService clientThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-plain-client"));
        try (InMemoryLink toServer = new InMemoryLink(InMemoryLink.DropPolicy.NONE);
             InMemoryLink toClient = new InMemoryLink(InMemoryLink.DropPolicy.NONE);
             TestPeer server = new TestPeer(DtlsRole.SERVER, DtlsPair.SERVER_CERT, toClient, OPTIONS)) {
            QueuedDatagramTransport clientSocket = new QueuedDatagramTransport(toServer, 1200, 2048, false);
            clientSocket.handshakeDeadline(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
            toServer.connectTo(server.transport::feed);
            toClient.connectTo(clientSocket::enqueue);
            server.transport.setRemoteFingerprints(List.of(DtlsPair.CLIENT_CERT.fingerprint()));
            server.transport.start();
            Future<DTLSTransport> connected = clientThread.submit(() -> new DTLSClientProtocol().connect(client, clientSocket));

            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> server.transport.handshakeFuture().get(10, TimeUnit.SECONDS));
            assertThrows(ExecutionException.class, () -> connected.get(10, TimeUnit.SECONDS));
            assertEquals(DtlsState.FAILED, server.transport.state());
            assertEquals(0, server.received.size());
            return assertInstanceOf(DtlsHandshakeException.class, failure.getCause());
        } finally {
            clientThread.shutdownNow();
            assertTrue(clientThread.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    private static PeerSettings clientSettings() {
        return new PeerSettings(OPTIONS, DtlsPair.CLIENT_CERT, new RemoteCertificateVerifier(),
                System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
    }

    @Test
    void serverRequestsAClientCertificateAndRejectsAClientWithout() throws Exception {
        PlainClient anonymous = new PlainClient(clientSettings()) {
            @Override
            TlsCredentials credentials() {
                return null; // sends an empty Certificate message
            }
        };
        DtlsHandshakeException failure = serverFailureAgainst(anonymous);
        assertEquals("peer sent no certificate", failure.getMessage());
        assertEquals(AlertDescription.handshake_failure, failure.alertSent().getAsInt());
        CertificateRequest request = anonymous.certificateRequest.get();
        assertEquals(ClientCertificateType.ecdsa_sign, request.getCertificateTypes()[0]);
    }

    @Test
    void serverRejectsAClientWithoutExtendedMasterSecret() throws Exception {
        PlainClient legacy = new PlainClient(clientSettings()) {
            @Override
            public boolean shouldUseExtendedMasterSecret() {
                return false; // no extended_master_secret extension in the ClientHello
            }
        };
        DtlsHandshakeException failure = serverFailureAgainst(legacy);
        assertEquals(AlertDescription.handshake_failure, failure.alertSent().getAsInt());
    }

    @Test
    void plainClientMeetingBothRequirementsConnects() throws Exception {
        // The control case: the same harness succeeds when nothing is left out.
        PlainClient complete = new PlainClient(clientSettings());
        ExecutorService clientThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-plain-client"));
        try (InMemoryLink toServer = new InMemoryLink(InMemoryLink.DropPolicy.NONE);
             InMemoryLink toClient = new InMemoryLink(InMemoryLink.DropPolicy.NONE);
             TestPeer server = new TestPeer(DtlsRole.SERVER, DtlsPair.SERVER_CERT, toClient, OPTIONS)) {
            QueuedDatagramTransport clientSocket = new QueuedDatagramTransport(toServer, 1200, 2048, false);
            clientSocket.handshakeDeadline(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
            toServer.connectTo(server.transport::feed);
            toClient.connectTo(clientSocket::enqueue);
            server.transport.setRemoteFingerprints(List.of(DtlsPair.CLIENT_CERT.fingerprint()));
            server.transport.start();
            Future<DTLSTransport> connected = clientThread.submit(() -> new DTLSClientProtocol().connect(complete, clientSocket));
            connected.get(10, TimeUnit.SECONDS);
            server.transport.handshakeFuture().get(10, TimeUnit.SECONDS);
            assertTrue(complete.settings.context().getSecurityParametersConnection().isExtendedMasterSecret());
        } finally {
            clientThread.shutdownNow();
            assertTrue(clientThread.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
