package dev.purertc.dtls;

import java.io.IOException;

import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsServerContext;

/**
 * BouncyCastle server peer configured the WebRTC way. Offers DTLS 1.2 only: BouncyCastle 1.84 has
 * no DTLS 1.3 server, and a server offering it aborts browsers' 1.3 ClientHellos instead of
 * falling back (DESIGN.md, "Facts that decide interop").
 */
final class WebRtcDtlsServer extends DefaultTlsServer {
    private final PeerSettings settings;

    WebRtcDtlsServer(PeerSettings settings) {
        super(settings.crypto);
        this.settings = settings;
    }

    @Override
    public void init(TlsServerContext context) {
        super.init(context);
        settings.context = context;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return settings.cipherSuites.clone();
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return true;
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return settings.handshakeTimeoutMillis;
    }

    @Override
    public int getHandshakeResendTimeMillis() {
        return settings.initialRetransmitMillis;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return settings.signerCredentials(context);
    }

    /** Mutual authentication (RFC 8827 §6.5): always ask for the client's certificate. */
    @Override
    public CertificateRequest getCertificateRequest() {
        short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
        return new CertificateRequest(types, PeerSettings.supportedSignatureAlgorithms(context), null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        settings.verifier.verify(clientCertificate, settings.deadlineNanos);
    }

    @Override
    public void notifyAlertRaised(short alertLevel, short alertDescription, String message, Throwable cause) {
        settings.alertRaised(alertLevel, alertDescription);
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        settings.alertReceived(alertLevel, alertDescription);
    }
}
