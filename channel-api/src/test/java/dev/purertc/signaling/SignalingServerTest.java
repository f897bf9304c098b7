package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay's own dialect: registration, relaying with sender stamping, and every refusal. */
class SignalingServerTest {

    private SignalingServer server;
    private final List<SignalingClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = SignalingServer.start(SignalingServerOptions.builder().maxFrameBytes(4096).build());
    }

    @AfterEach
    void stop() {
        clients.forEach(SignalingClient::close);
        server.close();
    }

    private SignalingClient connect(RecordingListener l) throws Exception {
        SignalingClient c = SignalingClient.connect(server.websocketUri(), SignalingClientOptions.builder(l).build())
                .get(10, TimeUnit.SECONDS);
        clients.add(c);
        return c;
    }

    private SignalingClient user(String name, RecordingListener l) throws Exception {
        SignalingClient c = connect(l);
        c.register(name).get(10, TimeUnit.SECONDS);
        return c;
    }

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) SignalingJson.parse(text);
    }

    private static SignalingErrorCode failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(SignalingException.class, e.getCause()).code();
    }

    @Test
    void relaysCallAnswerAndCandidatesBothWaysStampedWithTheSender() throws Exception {
        RecordingListener la = new RecordingListener();
        RecordingListener lb = new RecordingListener();
        SignalingClient alice = user("alice", la);
        SignalingClient bob = user("bob", lb);
        assertEquals(Set.of("alice", "bob"), server.users());
        assertEquals(alice.connectionId(), server.connectionOf("alice"));

        alice.send("bob", "call", json("{\"room\":\"rtc1\",\"description\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}}"))
                .get(10, TimeUnit.SECONDS);
        assertEquals("{\"type\":\"call\",\"from\":\"alice\",\"to\":\"bob\",\"room\":\"rtc1\","
                + "\"description\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}}", lb.next());

        bob.send("alice", "answer", json("{\"room\":\"rtc1\",\"description\":{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}}"))
                .get(10, TimeUnit.SECONDS);
        bob.send("alice", "candidate", json("{\"room\":\"rtc1\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 5000 typ host\","
                + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}")).get(10, TimeUnit.SECONDS);
        bob.send("alice", "hangup", null).get(10, TimeUnit.SECONDS);
        assertEquals("{\"type\":\"answer\",\"from\":\"bob\",\"to\":\"alice\",\"room\":\"rtc1\","
                + "\"description\":{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}}", la.next());
        assertEquals("{\"type\":\"candidate\",\"from\":\"bob\",\"to\":\"alice\",\"room\":\"rtc1\",\"candidate\":"
                + "{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 5000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}",
                la.next());
        assertEquals("{\"type\":\"hangup\",\"from\":\"bob\",\"to\":\"alice\"}", la.next());
    }

    @Test
    void aUserCannotPoseAsAnother() throws Exception {
        RecordingListener la = new RecordingListener();
        RecordingListener lb = new RecordingListener();
        SignalingClient alice = user("alice", la);
        user("bob", lb);
        user("carol", new RecordingListener());

        assertEquals(SignalingErrorCode.IMPERSONATION,
                failure(alice.send("bob", "message", json("{\"from\":\"carol\",\"text\":\"hi\"}"))));
        // the raw shape of the refusal
        alice.sendText("{\"type\":\"message\",\"to\":\"bob\",\"from\":\"carol\"}");
        assertEquals("{\"type\":\"error\",\"code\":\"impersonation\",\"message\":\"\\\"from\\\" must be your own user id alice\"}",
                la.next());
        // naming yourself is allowed; bob got nothing of the forged ones
        alice.send("bob", "message", json("{\"from\":\"alice\",\"text\":\"real\"}")).get(10, TimeUnit.SECONDS);
        assertEquals("{\"type\":\"message\",\"from\":\"alice\",\"to\":\"bob\",\"text\":\"real\"}", lb.next());
        assertTrue(lb.messages.isEmpty());
    }

    @Test
    void hostileMessagesGetExactErrorsAndChangeNothing() throws Exception {
        RecordingListener la = new RecordingListener();
        RecordingListener lb = new RecordingListener();
        SignalingClient alice = user("alice", la);
        SignalingClient bob = user("bob", lb);

        alice.sendText("{\"type\":\"message\",");
        assertTrue(la.next().startsWith("{\"type\":\"error\",\"code\":\"malformed-json\",\"message\":\"not JSON: "));
        alice.sendText("{\"type\":\"message\"} trailing");
        assertTrue(la.next().startsWith("{\"type\":\"error\",\"code\":\"malformed-json\""));
        alice.sendText("[1,2]");
        assertEquals("{\"type\":\"error\",\"code\":\"invalid-message\",\"message\":\"a message must be a JSON object\"}",
                la.next());
        alice.sendText("{\"type\":\"teleport\",\"id\":5}");
        assertEquals("{\"type\":\"error\",\"code\":\"unknown-type\",\"message\":\"unknown type \\\"teleport\\\"\",\"id\":5}",
                la.next());
        alice.sendText("{\"type\":\"call\",\"id\":6}");
        assertEquals("{\"type\":\"error\",\"code\":\"invalid-message\",\"message\":\"call needs a string \\\"to\\\"\",\"id\":6}",
                la.next());
        alice.sendText("{\"type\":\"call\",\"to\":\"nobody\",\"id\":7}");
        assertEquals("{\"type\":\"error\",\"code\":\"unknown-user\",\"message\":\"no user nobody\",\"id\":7}", la.next());
        alice.sendText("{\"route\":\"deleteEverything\",\"args\":[]}");
        assertEquals("{\"type\":\"error\",\"code\":\"unknown-route\",\"message\":\"the relay serves no route \\\"deleteEverything\\\"\"}",
                la.next());
        alice.sendText("{\"hello\":1}");
        assertEquals("{\"type\":\"error\",\"code\":\"unknown-type\",\"message\":\"a message needs \\\"type\\\" or \\\"route\\\"\"}",
                la.next());
        assertEquals(SignalingErrorCode.ALREADY_REGISTERED, failure(alice.register("mallory")));
        assertEquals(SignalingErrorCode.USER_TAKEN, failure(connect(new RecordingListener()).register("bob")));
        assertEquals(SignalingErrorCode.INVALID_USER_ID, failure(connect(new RecordingListener()).register("")));
        assertEquals(SignalingErrorCode.NOT_REGISTERED,
                failure(connect(new RecordingListener()).send("bob", "call", null)));

        // nothing changed: same users on the same connections, and relaying still works both ways
        assertEquals(Set.of("alice", "bob"), server.users());
        assertEquals(bob.connectionId(), server.connectionOf("bob"));
        alice.send("bob", "message", json("{\"n\":1}")).get(10, TimeUnit.SECONDS);
        assertEquals("{\"type\":\"message\",\"from\":\"alice\",\"to\":\"bob\",\"n\":1}", lb.next());
        assertTrue(lb.messages.isEmpty());
    }

    @Test
    void anOversizedMessageClosesOnlyThatConnectionWith1009() throws Exception {
        RecordingListener la = new RecordingListener();
        RecordingListener lb = new RecordingListener();
        SignalingClient alice = user("alice", la);
        SignalingClient bob = user("bob", lb);

        alice.sendText("{\"type\":\"message\",\"to\":\"bob\",\"pad\":\"" + "x".repeat(5000) + "\"}");
        assertEquals(1009, la.closeStatus.get(10, TimeUnit.SECONDS));
        alice.closeFuture().get(10, TimeUnit.SECONDS);
        assertTrue(lb.messages.isEmpty());
        // alice's registration went with her connection (the id stays reserved for her: she re-claims it
        // with the secret of her first registration); bob is unaffected and can take calls again
        SignalingClient alice2 = connect(new RecordingListener());
        alice2.register("alice", alice.secret()).get(10, TimeUnit.SECONDS);
        alice2.send("bob", "message", json("{\"n\":2}")).get(10, TimeUnit.SECONDS);
        assertEquals("{\"type\":\"message\",\"from\":\"alice\",\"to\":\"bob\",\"n\":2}", lb.next());
        assertEquals(Set.of("alice", "bob"), server.users());
        assertEquals(bob.connectionId(), server.connectionOf("bob"));
    }

    @Test
    void binaryFramesAreRefused() throws Exception {
        RecordingListener la = new RecordingListener();
        SignalingClient alice = user("alice", la);
        alice.sendBinary(new byte[] {1, 2, 3});
        assertEquals("{\"type\":\"error\",\"code\":\"binary-not-supported\",\"message\":\"binary frames are not part of the protocol\"}",
                la.next());
    }

    @Test
    void closeReleasesEveryServerThread() throws Exception {
        user("alice", new RecordingListener());
        assertTrue(threads("purertc-signaling-") > 0);
        clients.forEach(SignalingClient::close);
        clients.clear();
        server.close();
        // One pass over the threads: subtracting two counts raced with client threads of earlier tests ending
        // between them.
        List<String> left = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("purertc-signaling-")
                        && !t.getName().startsWith("purertc-signaling-client"))
                .map(Thread::getName).toList();
        assertEquals(List.of(), left);
        server = SignalingServer.start(SignalingServerOptions.defaults()); // for @AfterEach
    }

    private static long threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }

    @Test
    void websocketUriIsLoopbackWithAnEphemeralPort() {
        URI uri = server.websocketUri();
        assertEquals("ws", uri.getScheme());
        assertEquals("127.0.0.1", uri.getHost());
        assertTrue(uri.getPort() > 0);
        assertEquals("/ws", uri.getPath());
        assertNull(server.connectionOf("nobody"));
    }
}
