package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** A client whose TCP connection is cut resumes its user id; a client whose server dies moves to another. */
class ResumingSignalingClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final class Recorder implements ResumingSignalingClient.Events {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void onDisconnected(int statusCode, String reason) {
            events.add("disconnected");
        }

        @Override
        public void onResumed(URI server) {
            events.add("resumed " + server.getPort());
        }

        @Override
        public void onGaveUp(Throwable cause) {
            events.add("gave up " + cause.getMessage());
        }

        String next() throws InterruptedException {
            String e = events.poll(10, TimeUnit.SECONDS);
            assertTrue(e != null, "no event within 10 s");
            return e;
        }
    }

    private static ObjectNode text(String t) {
        return JSON.createObjectNode().put("text", t);
    }

    @Test
    void aCutConnectionResumesItsIdAndReceivesWhatWasSentInTheGap() throws Exception {
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.defaults())) {
            RecordingListener aliceIn = new RecordingListener();
            Recorder events = new Recorder();
            // A first reconnection after 1.5 s: long enough that bob's send surely lands in the gap.
            ResumingSignalingClient alice = ResumingSignalingClient.connect(List.of(server.websocketUri()), "alice",
                    SignalingClientOptions.builder(aliceIn).build(), events, Duration.ofMillis(1500), Duration.ofSeconds(2))
                    .get(10, TimeUnit.SECONDS);
            SignalingClient bob = SignalingClient.connect(server.websocketUri(),
                    SignalingClientOptions.builder(new RecordingListener()).build()).get(10, TimeUnit.SECONDS);
            bob.register("bob").get(10, TimeUnit.SECONDS);
            bob.send("alice", "message", text("before")).get(10, TimeUnit.SECONDS);
            assertTrue(aliceIn.next().contains("\"before\""));
            assertEquals(List.of("alice"), alice.join("lobby").get(10, TimeUnit.SECONDS));
            assertEquals(List.of("alice", "bob"), bob.join("lobby").get(10, TimeUnit.SECONDS));
            assertEquals("{\"type\":\"member-joined\",\"session\":\"lobby\",\"user\":\"bob\"}", aliceIn.next());

            server.router().connectionOf("alice").channel.close(); // the server side cuts the TCP connection
            assertEquals("disconnected", events.next());
            // In the gap the id is reserved for alice: the message is held, and bob's ack waits with it.
            java.util.concurrent.CompletableFuture<Void> gap = bob.send("alice", "message", text("in the gap"));
            ExecutionException ownSend = assertThrows(ExecutionException.class,
                    () -> alice.send("bob", "message", text("while away")).get(10, TimeUnit.SECONDS));
            assertTrue(ownSend.getCause() instanceof IllegalStateException, ownSend.getCause().toString());
            for (int i = 0; i < 200 && server.router().heldMessages() == 0; i++) {
                Thread.sleep(10); // bob's frame is handled on the server's loop
            }
            assertEquals(1, server.router().heldMessages(), "held for alice");
            assertTrue(!gap.isDone(), "no ack before alice's client is back");

            long cut = System.nanoTime();
            assertEquals("resumed " + server.localAddress().getPort(), events.next());
            assertTrue((System.nanoTime() - cut) / 1_000_000 < 5_000, "resumed within 5 s");
            assertTrue(alice.isConnected());
            gap.get(10, TimeUnit.SECONDS); // acked once written to alice's new connection
            assertTrue(aliceIn.next().contains("\"in the gap\""), "the held message is the first alice gets back");
            assertEquals(0, server.router().heldMessages());
            // The lobby saw alice leave with the cut connection and join again with the resumed one.
            List<String> members = bob.members("lobby").get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 100 && !members.equals(List.of("alice", "bob")); i++) {
                Thread.sleep(50); // the rejoin travels on alice's connection, this question on bob's
                members = bob.members("lobby").get(10, TimeUnit.SECONDS);
            }
            assertEquals(List.of("alice", "bob"), members);
            bob.send("alice", "message", text("after")).get(10, TimeUnit.SECONDS);
            assertTrue(aliceIn.next().contains("\"after\""));
            alice.send("bob", "message", text("back")).get(10, TimeUnit.SECONDS);
            alice.close();
            bob.close();
        }
    }

    @Test
    void whenItsServerDiesTheClientMovesToTheNextServerOfItsList() throws Exception {
        SignalingServer first = SignalingServer.start(SignalingServerOptions.defaults());
        try (SignalingServer second = SignalingServer.start(SignalingServerOptions.defaults())) {
            Recorder events = new Recorder();
            RecordingListener aliceIn = new RecordingListener();
            ResumingSignalingClient alice = ResumingSignalingClient.connect(
                    List.of(first.websocketUri(), second.websocketUri()), "alice",
                    SignalingClientOptions.builder(aliceIn).build(), events, Duration.ofMillis(100), Duration.ofSeconds(1))
                    .get(10, TimeUnit.SECONDS);
            assertEquals(java.util.Set.of("alice"), first.users());
            long killed = System.nanoTime();
            first.close();
            assertEquals("disconnected", events.next());
            assertEquals("resumed " + second.localAddress().getPort(), events.next());
            assertTrue((System.nanoTime() - killed) / 1_000_000 < 5_000, "reachable again within 5 s");
            assertEquals(java.util.Set.of("alice"), second.users());
            SignalingClient bob = SignalingClient.connect(second.websocketUri(),
                    SignalingClientOptions.builder(new RecordingListener()).build()).get(10, TimeUnit.SECONDS);
            bob.register("bob").get(10, TimeUnit.SECONDS);
            bob.send("alice", "message", text("on the second server")).get(10, TimeUnit.SECONDS);
            assertTrue(aliceIn.next().contains("on the second server"));
            alice.close();
            bob.close();
        } finally {
            first.close();
        }
    }

    @Test
    void anIdTakenForGoodIsNotRetried() throws Exception {
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.defaults())) {
            SignalingClient holder = SignalingClient.connect(server.websocketUri(),
                    SignalingClientOptions.builder(new RecordingListener()).build()).get(10, TimeUnit.SECONDS);
            holder.register("alice").get(10, TimeUnit.SECONDS);
            ExecutionException e = assertThrows(ExecutionException.class, () -> ResumingSignalingClient.connect(
                    List.of(server.websocketUri()), "alice", SignalingClientOptions.builder(new RecordingListener()).build(),
                    new Recorder()).get(10, TimeUnit.SECONDS));
            assertEquals(SignalingErrorCode.USER_TAKEN, ((SignalingException) e.getCause()).code());
            holder.close();
        }
    }
}
