package dev.purertc.dtls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Writes the DER of a self-signed X.509 v3 certificate with one common name and an ECDSA P-256
 * key signed with SHA-256, using only the JDK.
 *
 * <p>Why not BouncyCastle's certificate builder: the first class a JVM loads from the bcprov jar
 * costs 90-300 ms (its manifest digests every entry and the jar is signed), which made the first
 * {@link DtlsCertificate#generate()} of a process take about 450 ms. The structure of a WebRTC
 * certificate is fixed and small (RFC 8827 §6.5 needs no extensions), so it is written here.
 */
final class SelfSignedCertificateEncoder {

    // RFC 5758 §3.2: ecdsa-with-SHA256, parameters field absent.
    private static final byte[] ECDSA_WITH_SHA256_OID = {
            0x06, 0x08, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x04, 0x03, 0x02};
    // RFC 5280 §4.1.2.4 / X.520: id-at-commonName 2.5.4.3.
    private static final byte[] COMMON_NAME_OID = {0x06, 0x03, 0x55, 0x04, 0x03};

    private static final int INTEGER = 0x02;
    private static final int BIT_STRING = 0x03;
    private static final int UTF8_STRING = 0x0C;
    private static final int UTC_TIME = 0x17;
    private static final int GENERALIZED_TIME = 0x18;
    private static final int SEQUENCE = 0x30;
    private static final int SET = 0x31;
    private static final int VERSION_TAG = 0xA0; // [0] EXPLICIT
    private static final int V3 = 2;

    private static final DateTimeFormatter UTC_TIME_FORMAT = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
    private static final DateTimeFormatter GENERALIZED_TIME_FORMAT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

    private SelfSignedCertificateEncoder() {
    }

    /**
     * The DER encoding of a certificate whose issuer and subject are {@code CN=commonName}.
     *
     * @param serial a positive serial number (RFC 5280 §4.1.2.2)
     * @param notBefore start of validity, truncated to whole seconds
     * @param notAfter end of validity, truncated to whole seconds
     * @param publicKey the key the certificate certifies; its {@code getEncoded()} is the
     *     SubjectPublicKeyInfo
     * @param privateKey the matching EC private key that signs
     */
    static byte[] encode(String commonName, BigInteger serial, Instant notBefore, Instant notAfter,
            PublicKey publicKey, PrivateKey privateKey) throws GeneralSecurityException {
        if (serial.signum() <= 0) {
            throw new IllegalArgumentException("serial must be positive: " + serial);
        }
        byte[] name = name(commonName);
        byte[] algorithm = tlv(SEQUENCE, ECDSA_WITH_SHA256_OID);
        // RFC 5280 §4.1: TBSCertificate
        byte[] tbs = tlv(SEQUENCE,
                tlv(VERSION_TAG, tlv(INTEGER, BigInteger.valueOf(V3).toByteArray())),
                tlv(INTEGER, serial.toByteArray()),
                algorithm,
                name,
                tlv(SEQUENCE, time(notBefore), time(notAfter)),
                name,
                publicKey.getEncoded());
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(privateKey);
        signer.update(tbs);
        byte[] signature = signer.sign(); // already the DER Ecdsa-Sig-Value of RFC 5480 §2.2
        byte[] bitString = new byte[signature.length + 1]; // leading byte: no unused bits
        System.arraycopy(signature, 0, bitString, 1, signature.length);
        return tlv(SEQUENCE, tbs, algorithm, tlv(BIT_STRING, bitString));
    }

    private static byte[] name(String commonName) {
        byte[] attribute = tlv(SEQUENCE, COMMON_NAME_OID, tlv(UTF8_STRING, commonName.getBytes(StandardCharsets.UTF_8)));
        return tlv(SEQUENCE, tlv(SET, attribute));
    }

    // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
    private static byte[] time(Instant instant) {
        ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
        boolean utcTime = utc.getYear() >= 1950 && utc.getYear() < 2050;
        String text = (utcTime ? UTC_TIME_FORMAT : GENERALIZED_TIME_FORMAT).format(utc);
        return tlv(utcTime ? UTC_TIME : GENERALIZED_TIME, text.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] tlv(int tag, byte[]... contents) {
        int length = 0;
        for (byte[] content : contents) {
            length += content.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        writeLength(out, length);
        for (byte[] content : contents) {
            out.writeBytes(content);
        }
        return out.toByteArray();
    }

    // X.690 §8.1.3: short form below 128, else the long form with the fewest length bytes.
    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
            return;
        }
        int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
        out.write(0x80 | bytes);
        for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
            out.write(length >>> shift);
        }
    }
}
