package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The browser module's presence (join, leave, members, member events) and its reconnection (the server
 * closes the connection; the client comes back with the same id and secret and joins its lobby again),
 * run in node ({@code --experimental-websocket}) against this server. Skipped without node.
 */
class JsPresenceAndResumeNodeTest {

    private static final String PRESENCE = """
            const [, , moduleFile, url] = process.argv;
            const { SignalingClient } = await import(moduleFile);
            const out = (x) => console.log(JSON.stringify(x));
            const next = (client) => new Promise((resolve) => { client.onpresence = resolve; });
            const alice = await SignalingClient.connect(url);
            await alice.register('alice');
            const bob = await SignalingClient.connect(url);
            await bob.register('bob');
            out({ alice: await alice.join('lobby') });
            let seen = next(alice);
            out({ bob: await bob.join('lobby') });
            out({ aliceSaw: await seen });
            out({ members: await alice.members('lobby') });
            seen = next(alice);
            await bob.leave('lobby');
            out({ aliceSaw: await seen });
            try { await bob.members('lobby'); } catch (e) { out({ bobRefused: e.code }); }
            const carol = await SignalingClient.connect(url);
            await carol.register('carol');
            seen = next(alice);
            await carol.join('lobby');
            out({ aliceSaw: await seen });
            seen = next(alice);
            carol.close();
            out({ aliceSaw: await seen, sessions: [...alice.sessions] });
            alice.close();
            bob.close();
            """;

    private static final String RESUME = """
            const [, , moduleFile, url, backup] = process.argv;
            const { SignalingClient } = await import(moduleFile);
            const out = (x) => console.log(JSON.stringify(x));
            const sig = await SignalingClient.connect(url,
              { reconnect: true, urls: backup ? [backup] : [], initialBackoffMs: 50, maxBackoffMs: 400 });
            const first = await sig.register('roamer');
            out({ joined: await sig.join('lobby') });
            sig.onclose = () => {
              out({ closed: true, connected: sig.connected });
              sig.send('javapeer', 'message', { text: 'in the gap' }).catch((e) => out({ gap: e.code }));
            };
            sig.onreconnecting = (attempt, delay) => out({ reconnecting: attempt, delay });
            sig.onpresence = (event) => out({ presence: event });
            const resumed = new Promise((resolve) => { sig.onresume = resolve; });
            out('ready');
            await resumed;
            out({ resumed: sig.user, sameSecret: sig.secret === first.secret, connected: sig.connected });
            await sig.send('javapeer', 'message', { text: 'back' });
            sig.onclose = undefined;
            sig.close();
            """;

    private Path dir;
    private Process node;

    @BeforeEach
    void writeModule() throws IOException {
        dir = Files.createTempDirectory("purertc-js");
        try (InputStream in = SignalingServer.class.getResourceAsStream("purertc-signaling.js")) {
            Files.write(dir.resolve("purertc-signaling.mjs"), in.readAllBytes());
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (node != null) {
            node.destroyForcibly();
            node.waitFor(10, TimeUnit.SECONDS);
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    private BlockingQueue<String> startNode(String script, SignalingServer server, String... more) throws IOException {
        String nodePath = SignalingAdmissionTest.findOnPath("node");
        assumeTrue(nodePath != null, "node is not installed");
        Path file = Files.writeString(dir.resolve("script.mjs"), script);
        List<String> command = new ArrayList<>(List.of(nodePath, "--experimental-websocket", "--no-warnings",
                file.toString(), dir.resolve("purertc-signaling.mjs").toUri().toString(), server.websocketUri().toString()));
        command.addAll(List.of(more));
        node = new ProcessBuilder(command).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("read failed: " + e);
            }
        }, "node-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static List<String> drain(Process p, BlockingQueue<String> lines) throws InterruptedException {
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "node did not finish");
        List<String> rest = new ArrayList<>();
        for (String line; (line = lines.poll(2, TimeUnit.SECONDS)) != null; ) {
            rest.add(line);
        }
        return rest;
    }

    @Test
    void joinMembersLeaveAndMemberEventsFromTheBrowserModule() throws Exception {
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.defaults())) {
            BlockingQueue<String> lines = startNode(PRESENCE, server);
            assertEquals(List.of(
                    "{\"alice\":[\"alice\"]}",
                    "{\"bob\":[\"alice\",\"bob\"]}",
                    "{\"aliceSaw\":{\"type\":\"member-joined\",\"session\":\"lobby\",\"user\":\"bob\"}}",
                    "{\"members\":[\"alice\",\"bob\"]}",
                    "{\"aliceSaw\":{\"type\":\"member-left\",\"session\":\"lobby\",\"user\":\"bob\"}}",
                    "{\"bobRefused\":\"not-a-member\"}",
                    "{\"aliceSaw\":{\"type\":\"member-joined\",\"session\":\"lobby\",\"user\":\"carol\"}}",
                    "{\"aliceSaw\":{\"type\":\"member-left\",\"session\":\"lobby\",\"user\":\"carol\"},\"sessions\":[\"lobby\"]}"),
                    drain(node, lines));
            assertEquals(0, node.exitValue());
        }
    }

    @Test
    void aClosedConnectionResumesTheSameIdRejoinsAndRefusesSendsInTheGap() throws Exception {
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.defaults())) {
            RecordingListener javaIn = new RecordingListener();
            SignalingClient java = SignalingClient.connect(server.websocketUri(),
                    SignalingClientOptions.builder(javaIn).build()).get(10, TimeUnit.SECONDS);
            try {
                java.register("javapeer").get(10, TimeUnit.SECONDS);
                assertEquals(List.of("javapeer"), java.join("lobby").get(10, TimeUnit.SECONDS));
                BlockingQueue<String> lines = startNode(RESUME, server);
                assertEquals("{\"joined\":[\"javapeer\",\"roamer\"]}", lines.poll(30, TimeUnit.SECONDS));
                assertEquals("\"ready\"", lines.poll(30, TimeUnit.SECONDS));
                assertEquals("{\"type\":\"member-joined\",\"session\":\"lobby\",\"user\":\"roamer\"}", javaIn.next());

                SignalingConnection roamer = server.router().connectionOf("roamer");
                assertNotNull(roamer);
                roamer.channel.close();

                assertEquals("{\"type\":\"member-left\",\"session\":\"lobby\",\"user\":\"roamer\"}", javaIn.next());
                assertEquals("{\"type\":\"member-joined\",\"session\":\"lobby\",\"user\":\"roamer\"}", javaIn.next());
                assertEquals("{\"type\":\"message\",\"from\":\"roamer\",\"to\":\"javapeer\",\"text\":\"back\"}", javaIn.next());
                assertEquals(List.of(
                        "{\"closed\":true,\"connected\":false}",
                        "{\"reconnecting\":1,\"delay\":50}",
                        "{\"gap\":\"not-connected\"}",
                        "{\"presence\":{\"type\":\"members\",\"session\":\"lobby\",\"members\":[\"javapeer\",\"roamer\"]}}",
                        "{\"resumed\":\"roamer\",\"sameSecret\":true,\"connected\":true}"),
                        drain(node, lines));
                assertEquals(0, node.exitValue());
            } finally {
                java.close();
            }
        }
    }

    @Test
    void aClientWhoseServerStopsMovesToTheNextServerOfItsListWithBackoff() throws Exception {
        try (SignalingServer backup = SignalingServer.start(SignalingServerOptions.defaults())) {
            RecordingListener javaIn = new RecordingListener();
            SignalingClient java = SignalingClient.connect(backup.websocketUri(),
                    SignalingClientOptions.builder(javaIn).build()).get(10, TimeUnit.SECONDS);
            try {
                java.register("javapeer").get(10, TimeUnit.SECONDS);
                assertEquals(List.of("javapeer"), java.join("lobby").get(10, TimeUnit.SECONDS));
                BlockingQueue<String> lines;
                try (SignalingServer first = SignalingServer.start(SignalingServerOptions.defaults())) {
                    lines = startNode(RESUME, first, backup.websocketUri().toString());
                    assertEquals("{\"joined\":[\"roamer\"]}", lines.poll(30, TimeUnit.SECONDS));
                    assertEquals("\"ready\"", lines.poll(30, TimeUnit.SECONDS));
                }
                // Attempt 1 goes to the stopped server again and is refused; attempt 2, after twice the
                // delay, reaches the backup, where the id is free (a new secret) and the lobby has javapeer.
                assertEquals("{\"type\":\"member-joined\",\"session\":\"lobby\",\"user\":\"roamer\"}", javaIn.next());
                assertEquals("{\"type\":\"message\",\"from\":\"roamer\",\"to\":\"javapeer\",\"text\":\"back\"}", javaIn.next());
                assertEquals(List.of(
                        "{\"closed\":true,\"connected\":false}",
                        "{\"reconnecting\":1,\"delay\":50}",
                        "{\"gap\":\"not-connected\"}",
                        "{\"reconnecting\":2,\"delay\":100}",
                        "{\"presence\":{\"type\":\"members\",\"session\":\"lobby\",\"members\":[\"javapeer\",\"roamer\"]}}",
                        "{\"resumed\":\"roamer\",\"sameSecret\":false,\"connected\":true}"),
                        drain(node, lines));
                assertEquals(0, node.exitValue());
            } finally {
                java.close();
            }
        }
    }
}
