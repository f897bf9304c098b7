package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wss://} from PEM files the test makes with openssl, a Java client that trusts exactly that
 * certificate, {@code /healthz}, and {@code /metrics} in the Prometheus format counting what was relayed
 * and refused.
 */
class SignalingTlsAndMetricsTest {

    @Test
    void wssWithATestMadeCertificateRelaysAndMetricsCountIt(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        makeCertificate(cert, key);
        SignalingServerOptions options = SignalingServerOptions.builder().tls(cert, key).build();
        try (SignalingServer server = SignalingServer.start(options)) {
            assertEquals("wss", server.websocketUri().getScheme());
            RecordingListener la = new RecordingListener();
            RecordingListener lb = new RecordingListener();
            SignalingClient alice = connect(server, la, cert);
            SignalingClient bob = connect(server, lb, cert);
            alice.register("alice").get(10, TimeUnit.SECONDS);
            bob.register("bob").get(10, TimeUnit.SECONDS);
            alice.send("bob", "message", (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree("{\"text\":\"over TLS\"}")).get(10, TimeUnit.SECONDS);
            assertTrue(lb.next().contains("\"text\":\"over TLS\""));
            ExecutionException unknown = assertThrows(ExecutionException.class,
                    () -> alice.send("nobody", "message", null).get(10, TimeUnit.SECONDS));
            assertTrue(unknown.getCause().getMessage().contains("unknown-user"), unknown.getCause().getMessage());

            HttpClient https = HttpClient.newBuilder().sslContext(trusting(cert)).build();
            HttpResponse<String> health = https.send(HttpRequest.newBuilder(server.httpUri("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertEquals("ok\n", health.body());
            HttpResponse<String> metrics = https.send(HttpRequest.newBuilder(server.httpUri("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            List<String> lines = metrics.body().lines().filter(l -> !l.startsWith("#")).toList();
            assertTrue(lines.contains("purertc_signaling_users 2.0"), metrics.body());
            assertTrue(lines.contains("purertc_signaling_connections 2.0"), metrics.body());
            assertTrue(lines.contains("purertc_signaling_relayed_messages_total 1.0"), metrics.body());
            assertTrue(lines.contains("purertc_signaling_refused_messages_total{code=\"unknown-user\"} 1.0"), metrics.body());
            assertTrue(lines.contains("purertc_signaling_relay_latency_seconds_count 1"), metrics.body());
            alice.close();
            bob.close();
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        makeCertificate(cert, key);
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.builder().tls(cert, key).build())) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> SignalingClient.connect(
                    server.websocketUri(), SignalingClientOptions.builder(new RecordingListener()).build())
                    .get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof javax.net.ssl.SSLException
                    || e.getCause().getCause() instanceof javax.net.ssl.SSLException, e.toString());
        }
    }

    private static SignalingClient connect(SignalingServer server, RecordingListener l, Path cert) throws Exception {
        return SignalingClient.connect(server.websocketUri(),
                SignalingClientOptions.builder(l).trustedCertificates(cert).build()).get(10, TimeUnit.SECONDS);
    }

    /** A self-signed P-256 certificate for 127.0.0.1 and its PKCS#8 key, valid one day. */
    static void makeCertificate(Path cert, Path key) throws Exception {
        String openssl = SignalingAdmissionTest.findOnPath("openssl");
        if (openssl == null) {
            throw new IllegalStateException("openssl is not installed (apt-get install openssl): the TLS tests make "
                    + "their certificate with it");
        }
        Process p = new ProcessBuilder(openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(Files.readString(key).contains("BEGIN PRIVATE KEY"), "PKCS#8 key expected");
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            store.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
