package dev.purertc.dtls;

import java.util.List;

import org.bouncycastle.tls.AlertDescription;

/**
 * The peer's certificate does not match any fingerprint of its session description (RFC 8842 §5,
 * RFC 8122 §5). The handshake was aborted with a bad_certificate alert before any application data.
 */
public final class DtlsFingerprintMismatchException extends DtlsHandshakeException {
    private static final long serialVersionUID = 1L;

    private final transient List<DtlsFingerprint> expected;
    private final transient DtlsFingerprint actual;

    DtlsFingerprintMismatchException(List<DtlsFingerprint> expected, DtlsFingerprint actual) {
        super("peer certificate " + actual + " matches none of " + expected,
                AlertDescription.bad_certificate, -1, null);
        this.expected = List.copyOf(expected);
        this.actual = actual;
    }

    /** The fingerprints the peer's description announced (those with the hash function used). */
    public List<DtlsFingerprint> expected() {
        return expected;
    }

    /** The fingerprint of the certificate the peer presented, with the same hash function. */
    public DtlsFingerprint actual() {
        return actual;
    }
}
