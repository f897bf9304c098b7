package dev.purertc.dtls;

import java.io.IOException;
import java.util.Vector;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/**
 * What the client and server peers share: local credentials, peer verification, configured
 * suites and timers, and a record of the alerts that went each way.
 */
final class PeerSettings {
    /** ecdsa_secp256r1_sha256 (RFC 8422 §5.1.1 with TLS 1.2 SignatureAndHashAlgorithm). */
    static final SignatureAndHashAlgorithm ECDSA_SHA256 =
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    final TlsCrypto crypto;
    final CryptoBackend backend;
    final DtlsCertificate localCertificate;
    final RemoteCertificateVerifier verifier;
    final int[] cipherSuites;
    final int handshakeTimeoutMillis;
    final int initialRetransmitMillis;
    final long deadlineNanos;

    volatile TlsContext context;
    volatile int fatalAlertRaised = -1;
    volatile int fatalAlertReceived = -1;
    volatile boolean closeNotifyReceived;

    PeerSettings(DtlsOptions options, DtlsCertificate localCertificate, RemoteCertificateVerifier verifier,
                 long deadlineNanos) {
        this.backend = options.cryptoBackend();
        this.crypto = TlsCryptos.forBackend(backend);
        this.localCertificate = localCertificate;
        this.verifier = verifier;
        int[] codes = options.cipherSuites().stream().mapToInt(DtlsCipherSuite::code).toArray();
        this.cipherSuites = TlsUtils.getSupportedCipherSuites(crypto, codes);
        this.handshakeTimeoutMillis = (int) options.handshakeTimeout().toMillis();
        this.initialRetransmitMillis = (int) options.initialRetransmitTimeout().toMillis();
        this.deadlineNanos = deadlineNanos;
    }

    TlsContext context() {
        return context;
    }

    TlsCredentialedSigner signerCredentials(TlsContext context) throws IOException {
        TlsCertificate certificate = crypto.createCertificate(localCertificate.derNoCopy());
        Certificate chain = new Certificate(new TlsCertificate[] {certificate});
        TlsCryptoParameters parameters = new TlsCryptoParameters(context);
        if (crypto instanceof TlsCryptos.JdkRecordsTlsCrypto jdkRecords) {
            return new BcDefaultTlsCredentialedSigner(parameters, jdkRecords.publicKeyCrypto(),
                    localCertificate.lightweightPrivateKey(), chain, ECDSA_SHA256);
        }
        if (crypto instanceof JcaTlsCrypto jca) {
            return new JcaDefaultTlsCredentialedSigner(parameters, jca, localCertificate.privateKey(), chain, ECDSA_SHA256);
        }
        if (crypto instanceof BcTlsCrypto bc) {
            return new BcDefaultTlsCredentialedSigner(parameters, bc, localCertificate.lightweightPrivateKey(), chain,
                    ECDSA_SHA256);
        }
        throw new TlsFatalAlert(AlertDescription.internal_error, "unexpected crypto " + crypto.getClass());
    }

    /** Signature algorithms this side accepts in the peer's CertificateVerify and certificate. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static Vector supportedSignatureAlgorithms(TlsContext context) {
        return TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
    }

    void alertRaised(short level, short description) {
        if (level == AlertLevel.fatal && fatalAlertRaised < 0) {
            fatalAlertRaised = description;
        }
    }

    void alertReceived(short level, short description) {
        if (description == AlertDescription.close_notify) {
            closeNotifyReceived = true;
        } else if (level == AlertLevel.fatal && fatalAlertReceived < 0) {
            fatalAlertReceived = description;
        }
    }
}
