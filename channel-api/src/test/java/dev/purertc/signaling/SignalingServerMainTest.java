package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone server as its own process: TLS from PEM files, a token file, a clean stop on SIGTERM. */
class SignalingServerMainTest {

    @Test
    void aChildProcessServesWssToGrantedTokensAndStopsOnSigterm(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        SignalingTlsAndMetricsTest.makeCertificate(cert, key);
        Path tokens = Files.writeString(dir.resolve("tokens"), "# token then user ids\nsecret-a alice\nsecret-b bob carol\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SignalingServerMain.class.getName(), "--port", "0", "--tls-cert", cert.toString(),
                "--tls-key", key.toString(), "--tokens", tokens.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            String line = first.get(60, TimeUnit.SECONDS);
            assertTrue(line != null && line.startsWith("listening on wss://127.0.0.1:"), line);
            URI ws = URI.create(line.substring("listening on ".length()));

            SignalingClientOptions trusting = SignalingClientOptions.builder(new RecordingListener())
                    .trustedCertificates(cert).build();
            SignalingClient bob = SignalingClient.connect(URI.create(ws + "?token=secret-b"), trusting).get(10, TimeUnit.SECONDS);
            bob.register("carol").get(10, TimeUnit.SECONDS);
            ExecutionException notGranted = assertThrows(ExecutionException.class,
                    () -> SignalingClient.connect(URI.create(ws + "?token=secret-b"), trusting).get(10, TimeUnit.SECONDS)
                            .register("alice").get(10, TimeUnit.SECONDS));
            assertTrue(notGranted.getCause().getMessage().contains("user-not-granted"), notGranted.getCause().getMessage());
            ExecutionException wrongToken = assertThrows(ExecutionException.class,
                    () -> SignalingClient.connect(URI.create(ws + "?token=guess"), trusting).get(10, TimeUnit.SECONDS));
            assertTrue(wrongToken.getCause().getMessage().contains("401"), wrongToken.getCause().getMessage());
            bob.close();

            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the server did not stop on SIGTERM");
            assertEquals(143, p.exitValue(), "terminated by SIGTERM after its shutdown hook");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void badArgumentsAreNamed(@TempDir Path dir) throws Exception {
        assertEquals("unknown argument --prot", assertThrows(IllegalArgumentException.class,
                () -> SignalingServerMain.parse(new String[] {"--prot", "1"})).getMessage());
        assertEquals("--port needs a number, got x", assertThrows(IllegalArgumentException.class,
                () -> SignalingServerMain.parse(new String[] {"--port", "x"})).getMessage());
        assertEquals("--tls-cert and --tls-key go together", assertThrows(IllegalArgumentException.class,
                () -> SignalingServerMain.parse(new String[] {"--tls-cert", "a.pem"})).getMessage());
        assertEquals("--bind needs an IP literal, got example.org", assertThrows(IllegalArgumentException.class,
                () -> SignalingServerMain.parse(new String[] {"--bind", "example.org"})).getMessage());
        Path tokens = Files.writeString(dir.resolve("tokens"), "lonely\n");
        assertEquals(tokens + " line 1: a token needs at least one user id", assertThrows(IllegalArgumentException.class,
                () -> SignalingServerMain.parse(new String[] {"--tokens", tokens.toString()})).getMessage());
        SignalingServerOptions o = SignalingServerMain.parse(new String[] {"--allow-origin", "https://app.test",
                "--public-metrics", "--max-connections", "50"});
        assertEquals(List.of(8080, 50, true), List.of(o.port(), o.maxConnections(), o.publicMetrics()));
        assertEquals(java.util.Set.of("https://app.test"), o.allowedOrigins());
    }
}
