package dev.purertc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;

/**
 * The hand-written certificate must be the certificate BouncyCastle's builder writes: same
 * to-be-signed bytes for the same key, serial, name and validity (ECDSA signatures are randomized,
 * so those differ), and a signature both the JDK and BouncyCastle verify.
 */
class SelfSignedCertificateEncoderTest {

    private static final BigInteger SERIAL = new BigInteger("5e1f00dd2c3b4a59", 16);
    private static final Instant NOT_BEFORE = Instant.parse("2026-11-04T19:30:15Z");
    private static final Instant NOT_AFTER = Instant.parse("2027-12-04T19:30:15Z");

    @Test
    void toBeSignedBytesEqualBouncyCastlesBuilderAndTheSignatureVerifies() throws Exception {
        KeyPair keys = p256();
        byte[] der = SelfSignedCertificateEncoder.encode("PureRTC", SERIAL, NOT_BEFORE, NOT_AFTER,
                keys.getPublic(), keys.getPrivate());

        X509CertificateHolder ours = new X509CertificateHolder(der);
        X509CertificateHolder reference = bouncyCastle("PureRTC", SERIAL, NOT_BEFORE, NOT_AFTER, keys);
        assertArrayEquals(reference.toASN1Structure().getTBSCertificate().getEncoded("DER"),
                ours.toASN1Structure().getTBSCertificate().getEncoded("DER"));
        assertTrue(ours.isSignatureValid(new JcaContentVerifierProviderBuilder().build(keys.getPublic())));

        X509Certificate jdk = parse(der);
        jdk.verify(keys.getPublic());
        assertEquals(3, jdk.getVersion());
        assertEquals(SERIAL, jdk.getSerialNumber());
        assertEquals("1.2.840.10045.4.3.2", jdk.getSigAlgOID());
        assertEquals(null, jdk.getSigAlgParams());
        assertEquals("CN=PureRTC", jdk.getSubjectX500Principal().getName());
        assertEquals("CN=PureRTC", jdk.getIssuerX500Principal().getName());
        assertEquals(NOT_BEFORE, jdk.getNotBefore().toInstant());
        assertEquals(NOT_AFTER, jdk.getNotAfter().toInstant());
        assertArrayEquals(keys.getPublic().getEncoded(), jdk.getPublicKey().getEncoded());
        assertEquals(null, jdk.getCriticalExtensionOIDs());
    }

    @Test
    void validityFrom2050IsGeneralizedTimeAndMatchesBouncyCastle() throws Exception {
        KeyPair keys = p256();
        Instant from = Instant.parse("2049-12-31T23:59:59Z");
        Instant until = Instant.parse("2050-01-01T00:00:00Z");
        byte[] der = SelfSignedCertificateEncoder.encode("PureRTC", SERIAL, from, until, keys.getPublic(), keys.getPrivate());

        assertArrayEquals(bouncyCastle("PureRTC", SERIAL, from, until, keys).toASN1Structure().getTBSCertificate().getEncoded("DER"),
                new X509CertificateHolder(der).toASN1Structure().getTBSCertificate().getEncoded("DER"));
        X509Certificate jdk = parse(der);
        assertEquals(from, jdk.getNotBefore().toInstant());
        assertEquals(until, jdk.getNotAfter().toInstant());
        assertTrue(contains(der, "491231235959Z"), "notBefore in UTCTime");
        assertTrue(contains(der, "20500101000000Z"), "notAfter in GeneralizedTime");
    }

    @Test
    void singleDigitFieldsAreZeroPaddedAndValidityBefore1950IsGeneralizedTime() throws Exception {
        KeyPair keys = p256();
        Instant from = Instant.parse("1949-01-02T03:04:05Z");
        Instant until = Instant.parse("2001-02-03T04:05:06.789Z"); // fractions of a second are dropped
        byte[] der = SelfSignedCertificateEncoder.encode("PureRTC", SERIAL, from, until, keys.getPublic(), keys.getPrivate());

        assertArrayEquals(bouncyCastle("PureRTC", SERIAL, from, Instant.parse("2001-02-03T04:05:06Z"), keys)
                        .toASN1Structure().getTBSCertificate().getEncoded("DER"),
                new X509CertificateHolder(der).toASN1Structure().getTBSCertificate().getEncoded("DER"));
        assertTrue(contains(der, "19490102030405Z"), "notBefore in GeneralizedTime");
        assertTrue(contains(der, "010203040506Z"), "notAfter in UTCTime");
        assertEquals(Instant.parse("2001-02-03T04:05:06Z"), parse(der).getNotAfter().toInstant());
    }

    @Test
    void longNamesAndSerialsWithTheHighBitUseLongFormLengthsAndASignByte() throws Exception {
        KeyPair keys = p256();
        String name = "a".repeat(300) + "-é";
        BigInteger serial = new BigInteger("ffeeddccbbaa9988", 16); // high bit set: needs a leading 00
        byte[] der = SelfSignedCertificateEncoder.encode(name, serial, NOT_BEFORE, NOT_AFTER, keys.getPublic(), keys.getPrivate());

        assertArrayEquals(bouncyCastle(name, serial, NOT_BEFORE, NOT_AFTER, keys).toASN1Structure().getTBSCertificate().getEncoded("DER"),
                new X509CertificateHolder(der).toASN1Structure().getTBSCertificate().getEncoded("DER"));
        X509Certificate jdk = parse(der);
        assertEquals(serial, jdk.getSerialNumber());
        assertEquals("CN=" + name, jdk.getSubjectX500Principal().getName());
    }

    @Test
    void refusesASerialThatIsNotPositive() throws Exception {
        KeyPair keys = p256();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SelfSignedCertificateEncoder.encode(
                "PureRTC", BigInteger.ZERO, NOT_BEFORE, NOT_AFTER, keys.getPublic(), keys.getPrivate()));
        assertEquals("serial must be positive: 0", e.getMessage());
    }

    private static X509CertificateHolder bouncyCastle(String cn, BigInteger serial, Instant from, Instant until, KeyPair keys)
            throws Exception {
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
        return new JcaX509v3CertificateBuilder(name, serial, Date.from(from), Date.from(until), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate parse(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    private static boolean contains(byte[] haystack, String ascii) {
        return new String(haystack, java.nio.charset.StandardCharsets.ISO_8859_1).contains(ascii);
    }
}
