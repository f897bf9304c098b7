package dev.purertc.dtls;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.TlsFatalAlert;

/**
 * Checks the peer's end-entity certificate against the fingerprints of its session description
 * (RFC 8842 §5; RFC 8122 §5: use the strongest hash function offered that we support; the
 * certificate must match one fingerprint of that function). The fingerprints may arrive after the
 * handshake started (an answer that trails the peer's first flight): verification then waits for
 * them until the handshake deadline.
 */
final class RemoteCertificateVerifier {
    private final CompletableFuture<List<DtlsFingerprint>> remoteFingerprints = new CompletableFuture<>();
    private volatile DtlsHandshakeException failure;
    private volatile DtlsFingerprint verifiedFingerprint;
    private volatile byte[] verifiedCertificate;

    void setRemoteFingerprints(List<DtlsFingerprint> fingerprints) {
        List<DtlsFingerprint> copy = List.copyOf(fingerprints);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("at least one remote fingerprint is needed");
        }
        if (!remoteFingerprints.complete(copy) && !remoteFingerprints.join().equals(copy)) {
            throw new IllegalStateException("remote fingerprints already set to " + remoteFingerprints.join());
        }
    }

    /** Wakes a verification waiting for fingerprints: the transport was closed. */
    void abort() {
        remoteFingerprints.completeExceptionally(new IOException("DTLS transport closed"));
    }

    /**
     * Called from BouncyCastle's certificate callbacks on the handshake thread.
     *
     * @throws TlsFatalAlert bad_certificate on mismatch, so the handshake aborts with that alert
     */
    void verify(Certificate chain, long deadlineNanos) throws IOException {
        if (chain == null || chain.isEmpty()) {
            // RFC 5246 §7.4.6: a server that requires client authentication answers an empty
            // Certificate with handshake_failure.
            failure = new DtlsHandshakeException("peer sent no certificate", AlertDescription.handshake_failure, -1, null);
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "peer sent no certificate");
        }
        byte[] der = chain.getCertificateAt(0).getEncoded();
        List<DtlsFingerprint> expected = awaitFingerprints(deadlineNanos);

        String algorithm = null;
        for (DtlsFingerprint f : expected) {
            if (DtlsFingerprint.strength(f.algorithm()) > DtlsFingerprint.strength(algorithm == null ? "" : algorithm)) {
                algorithm = f.algorithm();
            }
        }
        if (algorithm == null) {
            failure = new DtlsHandshakeException("no remote fingerprint uses a supported hash function: " + expected,
                    AlertDescription.bad_certificate, -1, null);
            throw new TlsFatalAlert(AlertDescription.bad_certificate, failure.getMessage());
        }
        List<DtlsFingerprint> candidates = new ArrayList<>();
        for (DtlsFingerprint f : expected) {
            if (f.algorithm().equals(algorithm)) {
                candidates.add(f);
            }
        }
        for (DtlsFingerprint f : candidates) {
            if (f.matches(der)) {
                verifiedFingerprint = f;
                verifiedCertificate = der;
                return;
            }
        }
        DtlsFingerprintMismatchException mismatch =
                new DtlsFingerprintMismatchException(candidates, DtlsFingerprint.of(algorithm, der));
        failure = mismatch;
        throw new TlsFatalAlert(AlertDescription.bad_certificate, mismatch.getMessage());
    }

    private List<DtlsFingerprint> awaitFingerprints(long deadlineNanos) throws IOException {
        try {
            long remaining = Math.max(0, deadlineNanos - System.nanoTime());
            return remoteFingerprints.get(remaining, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            failure = new DtlsHandshakeException("remote fingerprints were never provided",
                    AlertDescription.internal_error, -1, null);
            throw new TlsFatalAlert(AlertDescription.internal_error, failure.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TlsFatalAlert(AlertDescription.internal_error, "interrupted");
        } catch (ExecutionException e) {
            throw new TlsFatalAlert(AlertDescription.internal_error, e.getCause());
        }
    }

    /** The verification failure, if verification is why the handshake failed. */
    DtlsHandshakeException failure() {
        return failure;
    }

    DtlsFingerprint verifiedFingerprint() {
        return verifiedFingerprint;
    }

    byte[] verifiedCertificate() {
        return verifiedCertificate;
    }
}
