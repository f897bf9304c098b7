package dev.purertc.dtls;

/** Which cryptographic implementation runs the DTLS handshake and record protection. */
public enum CryptoBackend {
    /**
     * The JDK's JCA providers on the record path (SunJCE AES-GCM with AES-NI intrinsics, SHA-256, the
     * TLS PRF's HMAC), BouncyCastle's lightweight code for the handshake's public-key operations
     * (ECDHE key agreement, ECDSA signing and certificate signature checks), where SunEC on JDK 17 is
     * about twice as slow. The default: fastest records and a handshake close to {@link #BOUNCY_CASTLE}'s.
     */
    JCA,
    /** BouncyCastle's pure-Java lightweight crypto, for deployments that audit the whole path. */
    BOUNCY_CASTLE
}
