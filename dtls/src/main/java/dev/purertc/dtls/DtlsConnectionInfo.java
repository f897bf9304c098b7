package dev.purertc.dtls;

/**
 * What a completed handshake negotiated, for getStats-like reports
 * ({@code tlsVersion}, {@code dtlsCipher}, {@code dtlsRole}).
 *
 * @param role this side's role
 * @param protocolVersion wire version, e.g. {@code 0xFEFD} for DTLS 1.2
 * @param cipherSuite IANA cipher suite code
 * @param backend crypto back end in use
 * @param remoteFingerprint fingerprint of the peer's certificate, with the hash function it was verified with
 * @param remoteCertificate DER encoding of the peer's certificate
 * @param maxApplicationPayload largest application record that fits the datagram budget
 */
public record DtlsConnectionInfo(
        DtlsRole role,
        int protocolVersion,
        int cipherSuite,
        CryptoBackend backend,
        DtlsFingerprint remoteFingerprint,
        byte[] remoteCertificate,
        int maxApplicationPayload) {

    public DtlsConnectionInfo {
        remoteCertificate = remoteCertificate.clone();
    }

    @Override
    public byte[] remoteCertificate() {
        return remoteCertificate.clone();
    }

    /** Version as browsers' getStats {@code tlsVersion} shows it: upper-case hex, e.g. {@code FEFD}. */
    public String tlsVersionHex() {
        return String.format("%04X", protocolVersion);
    }

    /** Human name of the version, e.g. {@code DTLS 1.2}. */
    public String protocolName() {
        switch (protocolVersion) {
            case 0xFEFD: return "DTLS 1.2";
            case 0xFEFF: return "DTLS 1.0";
            case 0xFEFC: return "DTLS 1.3";
            default: return String.format("0x%04X", protocolVersion);
        }
    }

    /** IANA name of the cipher suite, e.g. {@code TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}. */
    public String cipherSuiteName() {
        return DtlsCipherSuite.nameOf(cipherSuite);
    }
}
