package dev.purertc.dtls;

import java.io.IOException;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsServerContext;
import org.bouncycastle.tls.UseSRTPData;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * use_srtp (RFC 5764) on a data-only connection: werift 0.25.2 fails any connection whose DTLS
 * handshake selected no SRTP profile ("need srtpProfile"), as DTLS client and as server (found by
 * interop-tests). PureRTC's server answers an offered profile and its client offers the browsers'
 * two; here a BouncyCastle peer that requires use_srtp the way werift does stands in for werift.
 */
class UseSrtpTest {
    private static final DtlsOptions OPTIONS = DtlsOptions.builder().handshakeTimeout(Duration.ofSeconds(15))
            .initialRetransmitTimeout(Duration.ofMillis(200)).build();

    /** A werift-like client: offers SRTP_AEAD_AES_128_GCM then AES128_CM_HMAC_SHA1_80 and requires an answer. */
    private static final class SrtpRequiringClient extends DefaultTlsClient {
        private final PeerSettings settings;
        int[] selected;

        SrtpRequiringClient(PeerSettings settings) {
            super(settings.crypto);
            this.settings = settings;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        public boolean requiresExtendedMasterSecret() {
            return true;
        }

        @Override
        public Hashtable getClientExtensions() throws IOException {
            Hashtable extensions = super.getClientExtensions();
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {
                    SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM, SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80}, new byte[0]));
            return extensions;
        }

        @Override
        public void processServerExtensions(Hashtable serverExtensions) throws IOException {
            super.processServerExtensions(serverExtensions);
            UseSRTPData answer = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
            if (answer == null) {
                throw new TlsFatalAlert(AlertDescription.handshake_failure, "need srtpProfile");
            }
            selected = answer.getProtectionProfiles();
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) {
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

    /** A werift-like server: refuses a ClientHello without use_srtp, answers SRTP_AEAD_AES_128_GCM. */
    private static final class SrtpRequiringServer extends DefaultTlsServer {
        private final PeerSettings settings;
        int[] offered;

        SrtpRequiringServer(PeerSettings settings) {
            super(settings.crypto);
            this.settings = settings;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return new int[] {org.bouncycastle.tls.CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
        }

        @Override
        public void processClientExtensions(Hashtable clientExtensions) throws IOException {
            super.processClientExtensions(clientExtensions);
            UseSRTPData offer = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
            if (offer == null) {
                throw new TlsFatalAlert(AlertDescription.handshake_failure, "need srtpProfile");
            }
            offered = offer.getProtectionProfiles();
        }

        @Override
        public Hashtable getServerExtensions() throws IOException {
            Hashtable extensions = super.getServerExtensions();
            TlsSRTPUtils.addUseSRTPExtension(extensions,
                    new UseSRTPData(new int[] {SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM}, new byte[0]));
            return extensions;
        }

        @Override
        public CertificateRequest getCertificateRequest() {
            return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign},
                    PeerSettings.supportedSignatureAlgorithms(context), null);
        }

        @Override
        public void notifyClientCertificate(org.bouncycastle.tls.Certificate clientCertificate) {
        }

        @Override
        protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
            return settings.signerCredentials(context);
        }

        @Override
        public void init(TlsServerContext context) {
            super.init(context);
            settings.context = context;
        }
    }

    @Test
    void pureRtcServerAnswersTheOfferedSrtpProfile() throws Exception {
        ExecutorService peerThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-werift-like"));
        try (InMemoryLink toServer = new InMemoryLink(InMemoryLink.DropPolicy.NONE);
             InMemoryLink toPeer = new InMemoryLink(InMemoryLink.DropPolicy.NONE);
             TestPeer server = new TestPeer(DtlsRole.SERVER, DtlsPair.SERVER_CERT, toPeer, OPTIONS)) {
            QueuedDatagramTransport peerSocket = new QueuedDatagramTransport(toServer, 1200, 2048, false);
            peerSocket.handshakeDeadline(System.nanoTime() + TimeUnit.SECONDS.toNanos(15));
            toServer.connectTo(server.transport::feed);
            toPeer.connectTo(peerSocket::enqueue);
            server.transport.setRemoteFingerprints(List.of(DtlsPair.CLIENT_CERT.fingerprint()));
            server.transport.start();
            SrtpRequiringClient client = new SrtpRequiringClient(new PeerSettings(OPTIONS, DtlsPair.CLIENT_CERT,
                    new RemoteCertificateVerifier(), System.nanoTime() + TimeUnit.SECONDS.toNanos(15)));
            Future<DTLSTransport> peer = peerThread.submit(() -> new DTLSClientProtocol().connect(client, peerSocket));
            peer.get(15, TimeUnit.SECONDS);
            DtlsConnectionInfo info = server.transport.handshakeFuture().get(15, TimeUnit.SECONDS);
            assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", info.cipherSuiteName());
            assertArrayEquals(new int[] {SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM}, client.selected);
        } finally {
            peerThread.shutdownNow();
        }
    }

    @Test
    void pureRtcClientOffersTheBrowsersSrtpProfiles() throws Exception {
        ExecutorService peerThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-werift-like"));
        try (InMemoryLink toClient = new InMemoryLink(InMemoryLink.DropPolicy.NONE);
             InMemoryLink toPeer = new InMemoryLink(InMemoryLink.DropPolicy.NONE);
             TestPeer client = new TestPeer(DtlsRole.CLIENT, DtlsPair.CLIENT_CERT, toPeer, OPTIONS)) {
            QueuedDatagramTransport peerSocket = new QueuedDatagramTransport(toClient, 1200, 2048, false);
            peerSocket.handshakeDeadline(System.nanoTime() + TimeUnit.SECONDS.toNanos(15));
            toClient.connectTo(client.transport::feed);
            toPeer.connectTo(peerSocket::enqueue);
            client.transport.setRemoteFingerprints(List.of(DtlsPair.SERVER_CERT.fingerprint()));
            SrtpRequiringServer server = new SrtpRequiringServer(new PeerSettings(OPTIONS, DtlsPair.SERVER_CERT,
                    new RemoteCertificateVerifier(), System.nanoTime() + TimeUnit.SECONDS.toNanos(15)));
            Future<DTLSTransport> peer = peerThread.submit(() -> new DTLSServerProtocol().accept(server, peerSocket));
            client.transport.start();
            peer.get(15, TimeUnit.SECONDS);
            DtlsConnectionInfo info = client.transport.handshakeFuture().get(15, TimeUnit.SECONDS);
            assertEquals(DtlsRole.CLIENT, info.role());
            assertArrayEquals(new int[] {SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM,
                    SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80}, server.offered);
        } finally {
            peerThread.shutdownNow();
        }
    }
}
