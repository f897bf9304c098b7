package dev.purertc.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A certificate fingerprint as carried by the SDP {@code a=fingerprint} attribute (RFC 8122 §5):
 * a hash function name and the digest of the DER-encoded certificate.
 *
 * <p>Immutable: the digest array is copied in and out. Thread-safe.
 *
 * @param algorithm hash function token in lower case as SDP names it ({@code sha-256}, {@code sha-1}, ...)
 * @param value digest bytes
 */
public record DtlsFingerprint(String algorithm, byte[] value) {

    /** Hash function tokens of RFC 8122 §5 that PureRTC can compute, strongest first. */
    private static final String[] SUPPORTED_BY_STRENGTH = {"sha-512", "sha-384", "sha-256", "sha-224", "sha-1"};

    public DtlsFingerprint {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(value, "value");
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        if (algorithm.isEmpty()) {
            throw new IllegalArgumentException("empty hash function name");
        }
        int expected = digestLength(algorithm);
        if (expected > 0 && value.length != expected) {
            throw new IllegalArgumentException(
                    algorithm + " fingerprint must have " + expected + " bytes, not " + value.length);
        }
        value = value.clone();
    }

    /** Digest bytes (a copy). */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** SHA-256 fingerprint of a DER-encoded certificate. */
    public static DtlsFingerprint sha256(byte[] derCertificate) {
        return of("sha-256", derCertificate);
    }

    /**
     * Fingerprint of a DER-encoded certificate with the named hash function.
     *
     * @throws IllegalArgumentException if the hash function is not one of sha-1, sha-224, sha-256,
     *     sha-384, sha-512
     */
    public static DtlsFingerprint of(String algorithm, byte[] derCertificate) {
        String token = algorithm.toLowerCase(Locale.ROOT);
        return new DtlsFingerprint(token, newDigest(token).digest(derCertificate));
    }

    /**
     * Parses the value of an {@code a=fingerprint} attribute, e.g. {@code sha-256 AB:CD:...}
     * (RFC 8122 §5: {@code hash-func SP fingerprint}, hex pairs separated by colons; hex digits and
     * the hash function name are case-insensitive).
     *
     * @throws DtlsFingerprintParseException if the text does not have that form
     */
    public static DtlsFingerprint parse(String attributeValue) {
        Objects.requireNonNull(attributeValue, "attributeValue");
        String text = attributeValue.strip();
        int space = text.indexOf(' ');
        if (space <= 0) {
            throw new DtlsFingerprintParseException("missing space between hash function and fingerprint", text, 0);
        }
        String algorithm = text.substring(0, space);
        for (int i = 0; i < algorithm.length(); i++) {
            char c = algorithm.charAt(i);
            boolean tokenChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
            if (!tokenChar) {
                throw new DtlsFingerprintParseException("invalid character in hash function name", text, i);
            }
        }
        int start = space + 1;
        while (start < text.length() && text.charAt(start) == ' ') {
            start++;
        }
        String hex = text.substring(start); // never empty: the text was stripped
        // Each byte is two hex digits, bytes separated by ':' -> length 3n-1.
        if ((hex.length() + 1) % 3 != 0) {
            throw new DtlsFingerprintParseException("fingerprint is not colon-separated hex pairs", text, start);
        }
        byte[] value = new byte[(hex.length() + 1) / 3];
        for (int i = 0; i < value.length; i++) {
            int at = i * 3;
            int hi = Character.digit(hex.charAt(at), 16);
            int lo = Character.digit(hex.charAt(at + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new DtlsFingerprintParseException("invalid hex digit", text, start + at + (hi < 0 ? 0 : 1));
            }
            if (at + 2 < hex.length() && hex.charAt(at + 2) != ':') {
                throw new DtlsFingerprintParseException("expected ':' between hex pairs", text, start + at + 2);
            }
            value[i] = (byte) ((hi << 4) | lo);
        }
        try {
            return new DtlsFingerprint(algorithm, value);
        } catch (IllegalArgumentException e) {
            throw new DtlsFingerprintParseException(e.getMessage(), text, start);
        }
    }

    /** The attribute value in SDP form: {@code sha-256 AB:CD:...} with upper-case hex. */
    public String format() {
        return algorithm + ' ' + hexValue();
    }

    /** The digest as upper-case hex pairs separated by colons. */
    public String hexValue() {
        StringBuilder sb = new StringBuilder(value.length * 3);
        for (int i = 0; i < value.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Character.toUpperCase(Character.forDigit((value[i] >> 4) & 0xF, 16)));
            sb.append(Character.toUpperCase(Character.forDigit(value[i] & 0xF, 16)));
        }
        return sb.toString();
    }

    /** Whether PureRTC can compute this fingerprint's hash function. */
    public boolean isSupported() {
        return digestLength(algorithm) > 0;
    }

    /**
     * Whether the DER-encoded certificate has this fingerprint. Compared in constant time.
     *
     * @throws IllegalStateException if the hash function is not supported ({@link #isSupported()})
     */
    public boolean matches(byte[] derCertificate) {
        if (!isSupported()) {
            throw new IllegalStateException("unsupported hash function " + algorithm);
        }
        return MessageDigest.isEqual(value, newDigest(algorithm).digest(derCertificate));
    }

    /** Rank of the hash function, higher is stronger; -1 if not supported. */
    static int strength(String algorithm) {
        for (int i = 0; i < SUPPORTED_BY_STRENGTH.length; i++) {
            if (SUPPORTED_BY_STRENGTH[i].equals(algorithm)) {
                return SUPPORTED_BY_STRENGTH.length - i;
            }
        }
        return -1;
    }

    private static int digestLength(String algorithm) {
        switch (algorithm) {
            case "sha-1": return 20;
            case "sha-224": return 28;
            case "sha-256": return 32;
            case "sha-384": return 48;
            case "sha-512": return 64;
            default: return -1;
        }
    }

    private static MessageDigest newDigest(String token) {
        if (digestLength(token) < 0) {
            throw new IllegalArgumentException("unsupported hash function " + token);
        }
        try {
            // "sha-256" -> JCA "SHA-256"; "sha-1" -> "SHA-1".
            return MessageDigest.getInstance(token.toUpperCase(Locale.ROOT));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + token, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DtlsFingerprint other
                && algorithm.equals(other.algorithm) && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return format();
    }
}
