package dev.purertc.ice;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Objects;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Which certificates a {@code turns:} server (TURN over TLS, RFC 8656 §3.1) must chain to. The host name
 * of the URL is always checked against the server's certificate (its subjectAltName: DNS name, or IP
 * address for an IP literal), as HTTPS checks it; there is no switch to turn that off.
 *
 * <p>Immutable and thread-safe; one instance may serve every agent.
 */
public final class TurnTlsTrust {

    /** The JDK's default trust store ({@code cacerts}): public CAs. The default of {@link IceOptions}. */
    public static final TurnTlsTrust JDK_DEFAULT = new TurnTlsTrust(null, "the JDK's default CAs");

    private final SSLSocketFactory factory;
    private final String description;

    private TurnTlsTrust(SSLSocketFactory factory, String description) {
        this.factory = factory;
        this.description = description;
    }

    /**
     * Trusts exactly the certificates in {@code pem} (one or more {@code -----BEGIN CERTIFICATE-----}
     * blocks: a private CA, or a self-signed server certificate), and not the JDK's default CAs. The file
     * is read now, so a missing or malformed file fails here rather than at the first connection.
     *
     * @throws UncheckedIOException     if the file cannot be read
     * @throws IllegalArgumentException if it holds no certificate or one that does not parse
     */
    public static TurnTlsTrust fromPem(Path pem) {
        Objects.requireNonNull(pem, "pem");
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pem)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read TURN TLS trust file " + pem, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("TURN TLS trust file " + pem + " holds no readable certificate: "
                    + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("TURN TLS trust file " + pem + " holds no certificate");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("turn-trust-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return new TurnTlsTrust(context.getSocketFactory(), certificates.size() + " certificate(s) from " + pem);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot build a trust store from " + pem + ": " + e.getMessage(), e);
        }
    }

    /** The factory of TLS client sockets to a TURN server. */
    SSLSocketFactory socketFactory() {
        if (factory != null) {
            return factory;
        }
        try {
            return SSLContext.getDefault().getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no default TLS context: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "TurnTlsTrust[" + description + "]";
    }
}
