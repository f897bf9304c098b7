package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;

import org.junit.jupiter.api.Test;

/** Who may connect (origin allow-list, token hook) and what the HTTP side serves. */
class SignalingAdmissionTest {

    private static final String ORIGIN = "http://127.0.0.1:8080";

    private static SignalingClientOptions options(String origin) {
        return SignalingClientOptions.builder(new RecordingListener()).origin(origin).build();
    }

    private static Throwable refusal(URI uri, String origin) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> SignalingClient.connect(uri, options(origin)).get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void originsOutsideTheAllowListAreRefusedWith403() throws Exception {
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.builder()
                .allowedOrigins(Set.of(ORIGIN)).build())) {
            Throwable t = refusal(server.websocketUri(), "http://evil.example");
            assertInstanceOf(WebSocketClientHandshakeException.class, t);
            assertTrue(t.getMessage().contains("403"), t.getMessage());
            assertEquals(0, server.connectionCount());

            SignalingClient ok = SignalingClient.connect(server.websocketUri(), options(ORIGIN)).get(10, TimeUnit.SECONDS);
            ok.register("alice").get(10, TimeUnit.SECONDS);
            assertEquals(Set.of("alice"), server.users());
            ok.close();
        }
    }

    @Test
    void byDefaultOnlyTheServersOwnOriginAndClientsWithoutOriginMayConnect() throws Exception {
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.defaults())) {
            int port = server.localAddress().getPort();
            for (String foreign : new String[] {"http://evil.example", "http://127.0.0.1:" + (port == 65535 ? 1 : port + 1),
                    "http://localhost:" + port, "null", "file://", "http://127.0.0.1:" + port + "/x"}) {
                Throwable t = refusal(server.websocketUri(), foreign);
                assertTrue(t.getMessage().contains("403"), foreign + ": " + t.getMessage());
            }
            assertEquals(0, server.connectionCount());
            for (String own : new String[] {"http://127.0.0.1:" + port, "HTTP://127.0.0.1:" + port + "/", null}) {
                SignalingClient ok = SignalingClient.connect(server.websocketUri(), options(own)).get(10, TimeUnit.SECONDS);
                ok.close();
            }
            // DNS rebinding: a page on evil.example whose name resolves to 127.0.0.1 sends Host and Origin
            // that match each other; a loopback server refuses a Host that is not a loopback name.
            String host = "evil.example:" + port;
            try (RawTcp rebound = new RawTcp(server.localAddress())) {
                rebound.send(RawTcp.upgrade(host, "http://" + host, true));
                assertTrue(rebound.readResponseHead(10_000).startsWith("HTTP/1.1 403"));
            }
            try (RawTcp byName = new RawTcp(server.localAddress())) {
                byName.send(RawTcp.upgrade("localhost:" + port, "http://localhost:" + port, true));
                assertTrue(byName.readResponseHead(10_000).startsWith("HTTP/1.1 101"));
            }
        }
    }

    @Test
    void allowedOriginsWidenTheSameOriginRule() throws Exception {
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.builder()
                .allowedOrigins(Set.of("https://app.example", ORIGIN)).build())) {
            for (String origin : new String[] {"https://app.example", ORIGIN,
                    "http://127.0.0.1:" + server.localAddress().getPort()}) {
                SignalingClient ok = SignalingClient.connect(server.websocketUri(), options(origin)).get(10, TimeUnit.SECONDS);
                ok.close();
            }
            assertTrue(refusal(server.websocketUri(), "http://app.example").getMessage().contains("403"));
        }
        try (SignalingServer any = SignalingServer.start(SignalingServerOptions.builder().allowedOrigins(Set.of("*")).build())) {
            SignalingClient.connect(any.websocketUri(), options("http://evil.example")).get(10, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void theTokenHookSeesTheQueryTokenAndOriginAndRejectsWith401() throws Exception {
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        TokenValidator validator = (token, origin) -> {
            seen.add(token + "|" + origin);
            return "s3cret".equals(token) ? TokenGrant.of("alice") : TokenGrant.none();
        };
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.builder()
                .allowedOrigins(Set.of(ORIGIN)).tokenValidator(validator).build())) {
            URI base = server.websocketUri();
            Throwable none = refusal(base, ORIGIN);
            assertTrue(none.getMessage().contains("401"), none.getMessage());
            Throwable wrong = refusal(URI.create(base + "?token=guess"), ORIGIN);
            assertTrue(wrong.getMessage().contains("401"), wrong.getMessage());
            assertEquals(0, server.connectionCount());

            SignalingClient ok = SignalingClient.connect(URI.create(base + "?token=s3cret"), options(ORIGIN))
                    .get(10, TimeUnit.SECONDS);
            assertEquals(1, server.connectionCount());
            assertEquals(java.util.List.of("null|" + ORIGIN, "guess|" + ORIGIN, "s3cret|" + ORIGIN), seen);
            ok.close();
        }
    }

    @Test
    void servesTheJavaScriptClientModuleAndNothingElse() throws Exception {
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.defaults())) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<byte[]> js = http.send(HttpRequest.newBuilder(server.httpUri(SignalingServer.CLIENT_MODULE_PATH))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, js.statusCode());
            assertEquals("text/javascript; charset=utf-8", js.headers().firstValue("content-type").orElseThrow());
            byte[] expected;
            try (InputStream in = SignalingServer.class.getResourceAsStream(SignalingServer.CLIENT_MODULE_RESOURCE)) {
                expected = in.readAllBytes();
            }
            assertEquals(new String(expected, "UTF-8"), new String(js.body(), "UTF-8"));

            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(server.httpUri("/etc/passwd"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
            HttpResponse<String> plainGetOfTheSocket = http.send(HttpRequest.newBuilder(server.httpUri("/ws"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, plainGetOfTheSocket.statusCode()); // not an upgrade: Netty's handshaker refuses it
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(server.httpUri("/ws"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }

    /** The module must at least parse; browser tests of its behaviour belong to interop-tests. */
    @Test
    void theJavaScriptModuleParsesWithNodeCheck() throws Exception {
        String node = findOnPath("node");
        assumeTrue(node != null, "node is not installed: syntax check skipped");
        Path copy = Files.createTempFile("purertc-signaling", ".mjs");
        try (InputStream in = SignalingServer.class.getResourceAsStream(SignalingServer.CLIENT_MODULE_RESOURCE)) {
            Files.write(copy, in.readAllBytes());
        }
        try {
            Process p = new ProcessBuilder(node, "--check", copy.toString()).redirectErrorStream(true).start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "node --check did not finish");
            String out = new String(p.getInputStream().readAllBytes(), "UTF-8");
            assertEquals(0, p.exitValue(), out);
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    static String findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.isFile() && f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }
}
