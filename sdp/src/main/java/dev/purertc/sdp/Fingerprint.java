package dev.purertc.sdp;

import java.util.Locale;

/**
 * A certificate fingerprint, {@code a=fingerprint:<hash-func> <UPPER:HEX>} (RFC 8122 §5, used for
 * DTLS by RFC 8842 §5). The hash function name is stored lower case (RFC 8122 names are
 * case-insensitive); the value is stored as upper-case hex pairs separated by colons, which is how
 * browsers write it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param algorithm hash function name in lower case, e.g. {@code sha-256}
 * @param hex the digest as {@code AB:CD:...}, upper case
 */
public record Fingerprint(String algorithm, String hex) {
    /** The hash function browsers use and PureRTC writes. */
    public static final String SHA_256 = "sha-256";

    /** @throws IllegalArgumentException if the algorithm is not a token or hex is not colon-separated hex pairs */
    public Fingerprint {
        if (!SdpSyntax.isToken(algorithm)) {
            throw new IllegalArgumentException("fingerprint hash function is not a token: '" + SdpSyntax.clip(algorithm) + "'");
        }
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        hex = hex == null ? null : hex.toUpperCase(Locale.ROOT);
        decodeHex(hex);
    }

    /** A fingerprint from digest bytes. */
    public static Fingerprint of(String algorithm, byte[] digest) {
        if (digest == null || digest.length == 0) {
            throw new IllegalArgumentException("fingerprint digest is empty");
        }
        StringBuilder sb = new StringBuilder(digest.length * 3);
        for (int i = 0; i < digest.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Character.toUpperCase(Character.forDigit((digest[i] >> 4) & 0xF, 16)))
                    .append(Character.toUpperCase(Character.forDigit(digest[i] & 0xF, 16)));
        }
        return new Fingerprint(algorithm, sb.toString());
    }

    /** Parses the attribute value {@code <hash-func> SP <fingerprint>}. */
    static Fingerprint parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("a=fingerprint has no value");
        }
        var f = SdpSyntax.splitSpaces(value, "a=fingerprint");
        if (f.size() != 2) {
            throw new IllegalArgumentException("a=fingerprint needs '<hash-function> <hex>', has " + f.size() + " fields");
        }
        return new Fingerprint(f.get(0), f.get(1));
    }

    /** The digest bytes. */
    public byte[] bytes() {
        return decodeHex(hex);
    }

    // RFC 8122 §5: fingerprint = 2UHEX *(":" 2UHEX)
    private static byte[] decodeHex(String hex) {
        if (hex == null || hex.isEmpty() || (hex.length() + 1) % 3 != 0) {
            throw new IllegalArgumentException("fingerprint value is not colon-separated hex pairs: '" + SdpSyntax.clip(hex) + "'");
        }
        byte[] out = new byte[(hex.length() + 1) / 3];
        for (int i = 0; i < out.length; i++) {
            int p = i * 3;
            int hi = Character.digit(hex.charAt(p), 16);
            int lo = Character.digit(hex.charAt(p + 1), 16);
            boolean separatorOk = p + 2 == hex.length() || hex.charAt(p + 2) == ':';
            if (hi < 0 || lo < 0 || !separatorOk || hex.charAt(p) > 0x7F || hex.charAt(p + 1) > 0x7F) {
                throw new IllegalArgumentException("fingerprint value is not colon-separated hex pairs: '" + SdpSyntax.clip(hex) + "'");
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /** True if this fingerprint's digest equals {@code digest} (constant-time compare) under {@code algorithm}. */
    public boolean matches(String algorithm, byte[] digest) {
        return this.algorithm.equalsIgnoreCase(algorithm) && java.security.MessageDigest.isEqual(bytes(), digest);
    }

    /** As an {@code a=fingerprint} attribute. */
    public Attribute toAttribute() {
        return new Attribute("fingerprint", algorithm + ' ' + hex);
    }
}
