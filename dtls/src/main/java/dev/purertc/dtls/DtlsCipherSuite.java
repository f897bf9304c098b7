package dev.purertc.dtls;

import org.bouncycastle.tls.CipherSuite;

/** DTLS 1.2 cipher suites PureRTC negotiates; all ECDHE with an ECDSA certificate and an AEAD cipher. */
public enum DtlsCipherSuite {
    /** What browsers pick: RFC 5289. */
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256),
    /** RFC 5289. */
    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384),
    /**
     * RFC 7905. Available with {@link CryptoBackend#BOUNCY_CASTLE} only: BouncyCastle's JCA crypto
     * looks the cipher up under provider names the JDK does not use, so the JCA back end skips it.
     */
    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256(CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256);

    private final int code;

    DtlsCipherSuite(int code) {
        this.code = code;
    }

    /** The IANA code point. */
    public int code() {
        return code;
    }

    /** The IANA name of a code point: this enum's names, or {@code 0xC02B}-style hex for others. */
    public static String nameOf(int code) {
        for (DtlsCipherSuite suite : values()) {
            if (suite.code == code) {
                return suite.name();
            }
        }
        return String.format("0x%04X", code);
    }
}
