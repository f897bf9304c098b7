package dev.purertc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class DtlsCertificateTest {

    /** Fingerprints of fixture-certificate.pem computed by {@code openssl x509 -fingerprint -sha256} etc. */
    private static final String FIXTURE_SHA256 =
            "sha-256 AE:DD:39:43:C7:9B:B3:33:BD:7F:63:68:20:72:C3:F9:BD:36:4E:0A:93:1A:C6:DF:DA:28:C7:59:A9:3F:86:71";
    private static final String FIXTURE_SHA1 = "sha-1 37:72:A2:CC:AB:FE:18:E8:1D:59:36:16:1C:AC:A2:2D:D6:8F:A9:B1";
    private static final String FIXTURE_SHA384 = "sha-384 26:01:2F:7B:0D:31:C1:36:B3:1E:9F:CD:61:40:A1:F1:1F:4A:7E:"
            + "6F:FB:A4:3B:B3:11:C1:01:78:DA:35:11:E0:72:4F:D3:3C:F2:C0:5E:98:00:31:48:DF:9F:80:B0:39";
    private static final String FIXTURE_SHA512 = "sha-512 D1:74:DF:2C:DD:74:B6:B7:65:25:96:60:93:8C:0D:49:F9:4C:24:31:"
            + "AB:EE:7C:AD:6D:CE:B7:52:A8:E6:BC:8F:EA:0A:5F:6D:89:B7:A1:BE:4D:98:7A:C4:0A:EC:B9:74:21:4C:C0:14:DB:0D:"
            + "8F:FF:FF:90:CB:1A:C4:D3:79:99";

    static String resource(String name) throws IOException {
        try (InputStream in = DtlsCertificateTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void fixtureFingerprintsMatchOpenssl() throws IOException {
        DtlsCertificate fixture = DtlsCertificate.fromPem(resource("fixture-certificate.pem"));
        assertEquals(FIXTURE_SHA256, fixture.sdpFingerprint());
        assertEquals(DtlsFingerprint.parse(FIXTURE_SHA256), fixture.fingerprint());
        assertEquals(FIXTURE_SHA1, fixture.fingerprint("sha-1").format());
        assertEquals(FIXTURE_SHA384, fixture.fingerprint("sha-384").format());
        assertEquals(FIXTURE_SHA512, fixture.fingerprint("SHA-512").format());
        assertEquals("CN=PureRTC-fixture", fixture.x509Certificate().getSubjectX500Principal().getName());
    }

    @Test
    void loadsSec1EcPrivateKeyToo() throws IOException {
        DtlsCertificate pkcs8 = DtlsCertificate.fromPem(resource("fixture-certificate.pem"));
        DtlsCertificate sec1 = DtlsCertificate.fromPem(resource("fixture-certificate-sec1.pem"));
        assertArrayEquals(pkcs8.encoded(), sec1.encoded());
        assertEquals(((ECPrivateKey) pkcs8.privateKey()).getS(), ((ECPrivateKey) sec1.privateKey()).getS());
        // Written back, the key is a PKCS#8 block whatever it was read from, and reads back the same.
        assertTrue(sec1.privateKeyPem().startsWith("-----BEGIN PRIVATE KEY-----\n"));
        DtlsCertificate again = DtlsCertificate.fromPem(sec1.toPem());
        assertEquals(((ECPrivateKey) sec1.privateKey()).getS(), ((ECPrivateKey) again.privateKey()).getS());
    }

    @Test
    void pemRoundTripKeepsCertificateAndKey() {
        DtlsCertificate original = DtlsCertificate.generate();
        String pem = original.toPem();
        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----\n"));
        assertTrue(pem.contains("-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n"));
        assertTrue(pem.endsWith("-----END PRIVATE KEY-----\n"));

        DtlsCertificate reloaded = DtlsCertificate.fromPem(pem);
        assertArrayEquals(original.encoded(), reloaded.encoded());
        assertArrayEquals(original.privateKey().getEncoded(), reloaded.privateKey().getEncoded());
        assertEquals(original.fingerprint(), reloaded.fingerprint());
        assertEquals(pem, reloaded.toPem());

        DtlsCertificate split = DtlsCertificate.fromPem(original.privateKeyPem(), original.certificatePem());
        assertArrayEquals(original.encoded(), split.encoded());
    }

    @Test
    void generatesSelfSignedP256CertificateWithBrowserLikeValidity() throws Exception {
        Instant now = Instant.parse("2026-11-24T06:00:00Z");
        DtlsCertificate generated = DtlsCertificate.generate("PureRTC", Clock.fixed(now, ZoneOffset.UTC),
                Duration.ofDays(30), Duration.ofDays(365));
        X509Certificate x509 = generated.x509Certificate();
        assertEquals("CN=PureRTC", x509.getSubjectX500Principal().getName());
        assertEquals("CN=PureRTC", x509.getIssuerX500Principal().getName());
        assertEquals("SHA256withECDSA", x509.getSigAlgName());
        assertEquals(Instant.parse("2026-10-25T06:00:00Z"), x509.getNotBefore().toInstant());
        assertEquals(Instant.parse("2027-11-24T06:00:00Z"), x509.getNotAfter().toInstant());
        assertEquals(Instant.parse("2027-11-24T06:00:00Z"), generated.expires());
        assertEquals(256, ((ECPublicKey) x509.getPublicKey()).getParams().getCurve().getField().getFieldSize());
        assertEquals(3, x509.getVersion());
        assertTrue(x509.getSerialNumber().signum() > 0);
        x509.verify(x509.getPublicKey()); // self-signed: throws if the signature is wrong
        assertEquals(DtlsFingerprint.sha256(x509.getEncoded()), generated.fingerprint());
    }

    @Test
    void everyGeneratedCertificateHasItsOwnKeyAndSerial() {
        DtlsCertificate a = DtlsCertificate.generate();
        DtlsCertificate b = DtlsCertificate.generate();
        assertNotEquals(a.x509Certificate().getSerialNumber(), b.x509Certificate().getSerialNumber());
        assertNotEquals(a.fingerprint(), b.fingerprint());
    }

    @Test
    void rejectsKeyOfAnotherCertificate() {
        DtlsCertificate a = DtlsCertificate.generate();
        DtlsCertificate b = DtlsCertificate.generate();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DtlsCertificate.fromPem(a.certificatePem(), b.privateKeyPem()));
        assertEquals("private key does not belong to the certificate", e.getMessage());
    }

    @Test
    void rejectsIncompletePem() {
        DtlsCertificate a = DtlsCertificate.generate();
        assertEquals("PEM holds no PRIVATE KEY block",
                assertThrows(IllegalArgumentException.class, () -> DtlsCertificate.fromPem(a.certificatePem()))
                        .getMessage());
        assertEquals("PEM holds no CERTIFICATE block",
                assertThrows(IllegalArgumentException.class, () -> DtlsCertificate.fromPem(a.privateKeyPem()))
                        .getMessage());
        IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class,
                () -> DtlsCertificate.fromPem("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n"));
        assertTrue(malformed.getMessage().startsWith("malformed PEM: "), malformed.getMessage());
    }
}
