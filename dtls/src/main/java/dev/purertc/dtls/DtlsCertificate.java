package dev.purertc.dtls;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A self-signed ECDSA P-256 certificate and its private key, as WebRTC endpoints use for DTLS
 * (RFC 8827 §6.5: no CA, the peer checks the certificate against the SDP fingerprint).
 *
 * <p>Immutable and thread-safe; one certificate may serve any number of connections with either
 * {@link CryptoBackend}.
 */
public final class DtlsCertificate {

    /** Subject and issuer common name of generated certificates. */
    public static final String DEFAULT_COMMON_NAME = "PureRTC";
    /** How far back generated certificates are valid, to tolerate peers with a slow clock. */
    public static final Duration DEFAULT_NOT_BEFORE_SKEW = Duration.ofDays(30);
    /** How long generated certificates stay valid. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(365);

    private static final String CERT_PEM_TYPE = "CERTIFICATE";
    private static final String PKCS8_PEM_TYPE = "PRIVATE KEY";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] der;
    private volatile X509Certificate certificate; // parsed on first use for generated certificates
    private final PrivateKey privateKey;
    private final DtlsFingerprint sha256;
    private volatile AsymmetricKeyParameter lightweightPrivateKey;

    private DtlsCertificate(X509Certificate certificate, PrivateKey privateKey) {
        this(encodedForm(certificate), certificate, privateKey);
    }

    private DtlsCertificate(byte[] der, X509Certificate certificate, PrivateKey privateKey) {
        this.der = der;
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.sha256 = DtlsFingerprint.sha256(der);
    }

    private static byte[] encodedForm(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    /** Generates a new key pair and self-signed certificate with the default name and validity. */
    public static DtlsCertificate generate() {
        return generate(DEFAULT_COMMON_NAME, Clock.systemUTC(), DEFAULT_NOT_BEFORE_SKEW, DEFAULT_LIFETIME);
    }

    /**
     * Generates a new P-256 key pair and a self-signed certificate signed with ECDSA over SHA-256,
     * with a random positive 64-bit serial number.
     *
     * @param commonName subject and issuer CN
     * @param clock source of "now"
     * @param notBeforeSkew validity starts this long before now
     * @param lifetime validity ends this long after now
     */
    public static DtlsCertificate generate(String commonName, Clock clock, Duration notBeforeSkew, Duration lifetime) {
        Objects.requireNonNull(commonName, "commonName");
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair keyPair = generator.generateKeyPair();

            Instant now = clock.instant();
            BigInteger serial = new BigInteger(64, RANDOM).setBit(62); // positive, never zero
            byte[] der = SelfSignedCertificateEncoder.encode(commonName, serial,
                    now.minus(notBeforeSkew), now.plus(lifetime), keyPair.getPublic(), keyPair.getPrivate());
            // The JDK's X.509 parser (about 10 ms on a JVM's first call) runs only if someone asks
            // for x509Certificate(); the DTLS handshake needs only the DER.
            return new DtlsCertificate(der, null, keyPair.getPrivate());
        } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("JDK cannot generate P-256 ECDSA certificates", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("generated certificate cannot be signed or parsed", e);
        }
    }

    /**
     * Loads a certificate and its private key from PEM text: a {@code CERTIFICATE} block and a
     * {@code PRIVATE KEY} (PKCS#8) or {@code EC PRIVATE KEY} (SEC 1) block, in either order, in one
     * string (as {@link #toPem()} writes) or split over the two arguments.
     *
     * @throws IllegalArgumentException if a block is missing, malformed, not EC, or if the key does
     *     not belong to the certificate
     */
    public static DtlsCertificate fromPem(String certificatePem, String privateKeyPem) {
        return fromPem(certificatePem + "\n" + privateKeyPem);
    }

    /** Loads a certificate and key from one PEM text holding both blocks; see {@link #fromPem(String, String)}. */
    public static DtlsCertificate fromPem(String pem) {
        Objects.requireNonNull(pem, "pem");
        X509Certificate cert = null;
        PrivateKey key = null;
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof X509CertificateHolder holder) {
                    if (cert != null) {
                        throw new IllegalArgumentException("PEM holds more than one certificate");
                    }
                    cert = toX509(holder.getEncoded());
                } else if (object instanceof PrivateKeyInfo info) {
                    key = converter.getPrivateKey(info);
                } else if (object instanceof PEMKeyPair pair) {
                    key = converter.getPrivateKey(pair.getPrivateKeyInfo());
                } else {
                    throw new IllegalArgumentException("unexpected PEM object " + object.getClass().getSimpleName());
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("malformed PEM: " + e.getMessage(), e);
        }
        if (cert == null) {
            throw new IllegalArgumentException("PEM holds no CERTIFICATE block");
        }
        if (key == null) {
            throw new IllegalArgumentException("PEM holds no PRIVATE KEY block");
        }
        if (!(key instanceof ECPrivateKey)) {
            throw new IllegalArgumentException("private key is " + key.getAlgorithm() + ", not EC");
        }
        checkKeyBelongsToCertificate(cert, key);
        return new DtlsCertificate(cert, key);
    }

    /** The certificate then the PKCS#8 private key, both PEM-encoded. Keep it secret: it holds the key. */
    public String toPem() {
        return certificatePem() + privateKeyPem();
    }

    /** The certificate as one PEM {@code CERTIFICATE} block. */
    public String certificatePem() {
        return pemBlock(CERT_PEM_TYPE, der);
    }

    /** The private key as one PEM {@code PRIVATE KEY} (PKCS#8) block. */
    public String privateKeyPem() {
        return pemBlock(PKCS8_PEM_TYPE, privateKey.getEncoded());
    }

    /** SHA-256 fingerprint of the certificate. */
    public DtlsFingerprint fingerprint() {
        return sha256;
    }

    /** Fingerprint with another hash function ({@code sha-1}, {@code sha-384}, ...). */
    public DtlsFingerprint fingerprint(String algorithm) {
        return DtlsFingerprint.of(algorithm, der);
    }

    /** The SHA-256 fingerprint in {@code a=fingerprint} form, e.g. {@code sha-256 AB:CD:...}. */
    public String sdpFingerprint() {
        return sha256.format();
    }

    /** DER encoding of the certificate (a copy). */
    public byte[] encoded() {
        return der.clone();
    }

    /** The certificate. */
    public X509Certificate x509Certificate() {
        X509Certificate parsed = certificate;
        if (parsed == null) {
            try {
                parsed = toX509(der);
            } catch (CertificateException e) {
                throw new IllegalStateException("generated certificate cannot be parsed", e);
            }
            certificate = parsed;
        }
        return parsed;
    }

    /** The private key. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** When the certificate stops being valid. */
    public Instant expires() {
        return x509Certificate().getNotAfter().toInstant();
    }

    byte[] derNoCopy() {
        return der;
    }

    /** The private key as BouncyCastle lightweight parameters, for {@link CryptoBackend#BOUNCY_CASTLE}. */
    AsymmetricKeyParameter lightweightPrivateKey() {
        AsymmetricKeyParameter key = lightweightPrivateKey;
        if (key == null) {
            try {
                key = PrivateKeyFactory.createKey(PrivateKeyInfo.getInstance(privateKey.getEncoded()));
            } catch (IOException e) {
                throw new IllegalStateException("private key cannot be converted", e);
            }
            lightweightPrivateKey = key;
        }
        return key;
    }

    private static X509Certificate toX509(byte[] der) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }

    private static void checkKeyBelongsToCertificate(X509Certificate cert, PrivateKey key) {
        byte[] probe = "PureRTC key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new IllegalArgumentException("private key does not belong to the certificate");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("private key does not fit the certificate: " + e.getMessage(), e);
        }
    }

    private static String pemBlock(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    @Override
    public String toString() {
        return "DtlsCertificate[" + x509Certificate().getSubjectX500Principal().getName() + ", " + sha256.format() + ']';
    }
}
