package dev.purertc.dtls;

/** Which cryptographic implementation runs the DTLS handshake and record protection. */
public enum CryptoBackend {
    /**
     * BouncyCastle's TLS crypto over the JDK's JCA providers (SunEC, SunJCE AES-GCM with AES-NI
     * intrinsics). The default: fastest on the JVMs PureRTC targets.
     */
    JCA,
    /** BouncyCastle's pure-Java lightweight crypto, for deployments that audit the whole path. */
    BOUNCY_CASTLE
}
