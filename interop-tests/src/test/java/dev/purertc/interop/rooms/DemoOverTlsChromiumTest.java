package dev.purertc.interop.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.purertc.interop.InteropMatrix;
import dev.purertc.interop.SelfSignedPem;
import dev.purertc.signaling.SignalingClient;
import dev.purertc.signaling.SignalingClientOptions;
import dev.purertc.signaling.SignalingServerMain;

/**
 * Issue 13: the standalone server, started as the README's command starts it ({@link SignalingServerMain}
 * in a process of its own) with {@code --demo} and a certificate this test makes, serves the demo page
 * over HTTPS. Chromium, trusting that one certificate through {@code --ignore-certificate-errors-spki-list},
 * loads the page, whose module picks {@code wss:}, calls the Java peer and chats; a Java client joins
 * the same lobby over {@code wss://} and sees the page there.
 */
@InteropMatrix(peer = "chromium", direction = "demo over TLS")
@Timeout(120)
class DemoOverTlsChromiumTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    void theStandaloneServerServesTheDemoOverTlsToChromiumAndTheJavaClient(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(CdpChromium.isInstalled(), "chromium is not installed (apt-get install -y chromium)");
        SelfSignedPem pem = SelfSignedPem.make(dir, "127.0.0.1");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SignalingServerMain.class.getName(), "--port", "0", "--tls-cert", pem.certificate().toString(),
                "--tls-key", pem.key().toString(), "--demo")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        SignalingClient javaClient = null;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(60, TimeUnit.SECONDS);
            assertTrue(line != null && line.matches("listening on wss://127\\.0\\.0\\.1:[0-9]+/ws"), line);
            URI ws = URI.create(line.substring("listening on ".length()));
            String page = "https://127.0.0.1:" + ws.getPort() + "/?lobby=tls-test";

            try (CdpChromium chromium = CdpChromium.launch(List.of(
                    "--ignore-certificate-errors-spki-list=" + pem.spkiSha256Base64()))) {
                CdpPage tab = chromium.open(page);
                tab.waitFor("window.demo && window.demo.state === 'connected'", BOUND);
                assertEquals("https:", tab.eval("location.protocol").asText());
                assertEquals("[]", tab.eval("JSON.stringify(window.demo.errors)").asText());
                tab.eval("document.getElementById('chat-text').value = 'over tls'");
                tab.eval("document.getElementById('chat-send').click()");
                assertEquals("javapeer got \"over tls\"", tab.waitFor("window.demo.chatReply", BOUND).asText());
                String pageId = tab.eval("document.getElementById('me').textContent").asText();

                javaClient = SignalingClient.connect(ws, SignalingClientOptions.builder(message -> { })
                        .trustedCertificates(pem.certificate()).build()).get(30, TimeUnit.SECONDS);
                javaClient.register("tls-java").get(30, TimeUnit.SECONDS);
                List<String> members = javaClient.join("tls-test").get(30, TimeUnit.SECONDS);
                assertEquals(List.of(pageId, "tls-java").stream().sorted().toList(), members.stream().sorted().toList());
                assertTrue(tab.waitFor("JSON.stringify(window.demo.members).includes('\"tls-java\"')", BOUND).asBoolean(),
                        "the page saw the Java client join its lobby");
            }
        } finally {
            if (javaClient != null) {
                javaClient.close();
            }
            server.destroy(); // SIGTERM: the server stops cleanly
            boolean exited = server.waitFor(30, TimeUnit.SECONDS);
            if (!exited) {
                server.destroyForcibly();
            }
            assertTrue(exited, "the server stopped on SIGTERM");
            assertEquals(143, server.exitValue());
        }
    }
}
