package dev.purertc.interop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed P-256 certificate for one IP address, made by Debian's {@code openssl} for a test:
 * {@code cert.pem} and a PKCS#8 {@code key.pem} in the given folder, valid two days.
 */
public record SelfSignedPem(Path certificate, Path key) {

    /** Where tests expect openssl; its absence is reported as "not installed". */
    public static final Path OPENSSL = Path.of("/usr/bin/openssl");

    /** Makes the pair in {@code directory} for {@code ip} (its CN and its only subjectAltName). */
    public static SelfSignedPem make(Path directory, String ip) throws IOException, InterruptedException {
        if (!Files.isExecutable(OPENSSL)) {
            throw new IllegalStateException(OPENSSL + " is not installed (apt-get install openssl)");
        }
        SelfSignedPem pem = new SelfSignedPem(directory.resolve("cert.pem"), directory.resolve("key.pem"));
        Path log = directory.resolve("openssl.txt");
        Process openssl = new ProcessBuilder(OPENSSL.toString(), "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=" + ip,
                "-addext", "subjectAltName=IP:" + ip, "-days", "2",
                "-keyout", pem.key().toString(), "-out", pem.certificate().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            openssl.destroyForcibly();
            throw new IOException("openssl failed: " + Files.readString(log));
        }
        return pem;
    }

    /**
     * Base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo: what Chromium's
     * {@code --ignore-certificate-errors-spki-list} takes to trust this one certificate.
     */
    public String spkiSha256Base64() throws IOException {
        try (InputStream in = Files.newInputStream(certificate)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot read " + certificate, e);
        }
    }
}
