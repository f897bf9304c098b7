package dev.purertc.dtls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

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
    // The digits are written directly: a JVM's first DateTimeFormatter costs about 9 ms, a tenth of the
    // first DtlsCertificate.generate().
    private static byte[] time(Instant instant) {
        LocalDateTime utc = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        int year = utc.getYear();
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("validity outside years 0000-9999: " + instant);
        }
        boolean utcTime = year >= 1950 && year < 2050;
        byte[] text = new byte[utcTime ? 13 : 15];
        int at = utcTime ? digits(text, 0, year % 100, 2) : digits(text, 0, year, 4);
        at = digits(text, at, utc.getMonthValue(), 2);
        at = digits(text, at, utc.getDayOfMonth(), 2);
        at = digits(text, at, utc.getHour(), 2);
        at = digits(text, at, utc.getMinute(), 2);
        at = digits(text, at, utc.getSecond(), 2);
        text[at] = 'Z';
        return tlv(utcTime ? UTC_TIME : GENERALIZED_TIME, text);
    }

    /** Writes {@code value} as {@code count} decimal ASCII digits at {@code at}; returns the index after them. */
    private static int digits(byte[] to, int at, int value, int count) {
        for (int i = count - 1; i >= 0; i--) {
            to[at + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + count;
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
