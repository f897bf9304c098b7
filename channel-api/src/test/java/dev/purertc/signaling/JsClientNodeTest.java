package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;

import org.junit.jupiter.api.Test;

/**
 * The browser module's {@code SignalingClient}, run in node (its WebSocket is the browser API, behind
 * {@code --experimental-websocket} in node 20), against this server and a Java client: register, relay
 * both ways, graphscript run both ways. Skipped without node. The room half needs RTCPeerConnection:
 * that is for the browser tests in interop-tests.
 */
class JsClientNodeTest {

    private static final String SCRIPT = """
            const [, , moduleFile, url] = process.argv;
            const { SignalingClient } = await import(moduleFile);
            const out = (x) => console.log(JSON.stringify(x));
            const sig = await SignalingClient.connect(url);
            sig.handle('shout', (args, from) => `${from} says ${String(args).toUpperCase()}`);
            const relayed = new Promise((resolve) => { sig.onmessage = resolve; });
            await sig.register('nodeuser');
            out({ registered: sig.user, id: sig.connectionId.startsWith('socket') });
            out({ sum: await sig.run('javapeer', 'add', [2, 3]) });
            await sig.send('javapeer', 'message', { text: 'hi from node' });
            out({ relayed: await relayed });
            try { await sig.send('ghost', 'call', {}); } catch (e) { out({ refused: e.code }); }
            sig.close();
            """;

    /** The module picks wss: on an HTTPS page and ws: on an HTTP one for a path such as '/ws'. */
    @Test
    void aPathBecomesWssOnAnHttpsPageAndWsOnAnHttpOne() throws Exception {
        String node = SignalingAdmissionTest.findOnPath("node");
        assumeTrue(node != null, "node is not installed");
        Path dir = Files.createTempDirectory("purertc-js");
        Path moduleFile = dir.resolve("purertc-signaling.mjs");
        try (InputStream in = SignalingServer.class.getResourceAsStream("purertc-signaling.js")) {
            Files.write(moduleFile, in.readAllBytes());
        }
        Path script = Files.writeString(dir.resolve("urls.mjs"), """
                const { signalingUrl } = await import(process.argv[2]);
                console.log(signalingUrl('/ws', { protocol: 'https:', host: 'rtc.example:8443' }));
                console.log(signalingUrl('/ws', { protocol: 'http:', host: '127.0.0.1:8080' }));
                console.log(signalingUrl('ws://127.0.0.1:9/ws', { protocol: 'https:', host: 'x' }));
                """);
        Process p = new ProcessBuilder(node, "--no-warnings", script.toString(), moduleFile.toUri().toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "node did not finish");
        assertEquals("wss://rtc.example:8443/ws\nws://127.0.0.1:8080/ws\nws://127.0.0.1:9/ws\n",
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void theJavaScriptSignalingClientTalksToJavaThroughTheServer() throws Exception {
        String node = SignalingAdmissionTest.findOnPath("node");
        assumeTrue(node != null, "node is not installed");
        Path dir = Files.createTempDirectory("purertc-js");
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.defaults())) {
            HttpClient http = HttpClient.newHttpClient();
            byte[] module = http.send(HttpRequest.newBuilder(server.httpUri(SignalingServer.CLIENT_MODULE_PATH))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
            Path moduleFile = Files.write(dir.resolve("purertc-signaling.mjs"), module);
            Path script = Files.writeString(dir.resolve("client.mjs"), SCRIPT);

            RecordingListener javaIn = new RecordingListener();
            SignalingClient java = SignalingClient.connect(server.websocketUri(),
                    SignalingClientOptions.builder(javaIn).build()).get(10, TimeUnit.SECONDS);
            java.handle("add", (args, from) -> CompletableFuture.completedFuture(
                    IntNode.valueOf(args.get(0).asInt() + args.get(1).asInt())));
            java.register("javapeer").get(10, TimeUnit.SECONDS);

            Process p = new ProcessBuilder(node, "--experimental-websocket", "--no-warnings", script.toString(),
                    moduleFile.toUri().toString(), server.websocketUri().toString())
                    .redirectErrorStream(true).start();
            try {
                String hi = javaIn.next();
                assertEquals("{\"type\":\"message\",\"from\":\"nodeuser\",\"to\":\"javapeer\",\"text\":\"hi from node\"}", hi);
                assertEquals(TextNode.valueOf("javapeer says LOUD"),
                        java.run("nodeuser", "shout", TextNode.valueOf("loud")).get(10, TimeUnit.SECONDS));
                java.send("nodeuser", "message", null).get(10, TimeUnit.SECONDS);
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "node did not finish");
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals("{\"registered\":\"nodeuser\",\"id\":true}\n"
                        + "{\"sum\":5}\n"
                        + "{\"relayed\":{\"type\":\"message\",\"from\":\"javapeer\",\"to\":\"nodeuser\"}}\n"
                        + "{\"refused\":\"unknown-user\"}\n", out);
                assertEquals(0, p.exitValue());
            } finally {
                p.destroyForcibly();
                java.close();
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }
}
