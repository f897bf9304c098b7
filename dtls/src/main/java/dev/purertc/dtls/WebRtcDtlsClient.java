package dev.purertc.dtls;

import java.io.IOException;
import java.util.Hashtable;

import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientContext;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.UseSRTPData;

/** BouncyCastle client peer configured the WebRTC way: DTLS 1.2, mutual auth, extended master secret. */
final class WebRtcDtlsClient extends DefaultTlsClient {
    private final PeerSettings settings;

    WebRtcDtlsClient(PeerSettings settings) {
        super(settings.crypto);
        this.settings = settings;
    }

    @Override
    public void init(TlsClientContext context) {
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
        return true; // RFC 8827 §6.5 and what every browser sends (RFC 7627)
    }

    /**
     * Offers use_srtp (RFC 5764) like browsers do: peers such as werift fail a connection whose handshake
     * selected no SRTP profile even when only data channels are negotiated. PureRTC never uses the keys.
     */
    @Override
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = super.getClientExtensions();
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(SrtpProfiles.OFFERED.clone(), new byte[0]));
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
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                settings.verifier.verify(serverCertificate.getCertificate(), settings.deadlineNanos);
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) throws IOException {
                return settings.signerCredentials(context);
            }
        };
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
