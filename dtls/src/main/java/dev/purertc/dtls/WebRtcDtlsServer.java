package dev.purertc.dtls;

import java.io.IOException;
import java.util.Hashtable;

import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsServerContext;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.UseSRTPData;

/**
 * BouncyCastle server peer configured the WebRTC way. Offers DTLS 1.2 only: BouncyCastle 1.84 has
 * no DTLS 1.3 server, and a server offering it aborts browsers' 1.3 ClientHellos instead of
 * falling back (docs/interop.md, "Facts that decide interop").
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

    /** The SRTP protection profile to answer use_srtp with (RFC 5764 §4.1.1), or -1 when none was offered. */
    private int srtpProfile = -1;

    /**
     * Remembers the client's use_srtp offer. PureRTC carries no media, but peers such as werift refuse a
     * connection whose DTLS handshake did not select an SRTP profile (browsers select one too), so the
     * server answers the first offered profile it knows: keys for it are derivable, just never used.
     */
    @Override
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offer = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        srtpProfile = offer == null ? -1 : SrtpProfiles.select(offer.getProtectionProfiles());
    }

    @Override
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        if (srtpProfile >= 0) {
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {srtpProfile}, new byte[0]));
        }
        return extensions;
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
