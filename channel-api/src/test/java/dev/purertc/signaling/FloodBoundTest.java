package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

/** A peer that does not read costs the server a bounded queue, then messages to it are refused. */
class FloodBoundTest {

    private static final int BOUND = 16;

    @Test
    void messagesToAPeerThatDoesNotReadAreRefusedOnceItsQueueIsFull() throws Exception {
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.builder()
                .maxQueuedMessages(BOUND).socketSendBufferBytes(8192).build())) {
            RecordingListener la = new RecordingListener();
            RecordingListener lb = new RecordingListener();
            SignalingClient alice = SignalingClient.connect(server.websocketUri(),
                    SignalingClientOptions.builder(la).build()).get(10, TimeUnit.SECONDS);
            SignalingClient bob = SignalingClient.connect(server.websocketUri(),
                    SignalingClientOptions.builder(lb).receiveBufferBytes(4096).build()).get(10, TimeUnit.SECONDS);
            alice.register("alice").get(10, TimeUnit.SECONDS);
            bob.register("bob").get(10, TimeUnit.SECONDS);
            bob.setAutoRead(false);

            ObjectNode payload = SignalingJson.object();
            payload.put("pad", "x".repeat(8000));
            int accepted = 0;
            SignalingException refused = null;
            for (int i = 0; i < 5000 && refused == null; i++) { // bounded: the kernel buffers hold far fewer
                payload.put("n", i);
                try {
                    alice.send("bob", "message", payload).get(10, TimeUnit.SECONDS);
                    accepted++;
                } catch (ExecutionException e) {
                    refused = assertInstanceOf(SignalingException.class, e.getCause());
                }
            }
            assertTrue(refused != null, "never refused after 5000 messages");
            assertEquals(SignalingErrorCode.PEER_CONGESTED, refused.code());
            // a frame the kernel half took may complete later, so the count can sit just below the bound
            int queued = server.queuedMessages(bob.connectionId());
            assertTrue(queued <= BOUND && queued >= BOUND - 2, "queued " + queued);
            assertTrue(accepted >= BOUND, "accepted " + accepted);

            // refused again while bob still does not read, and nothing more is queued
            payload.put("n", -1);
            CompletableFuture<Void> again = alice.send("bob", "message", payload);
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> again.get(10, TimeUnit.SECONDS));
            assertEquals(SignalingErrorCode.PEER_CONGESTED, ((SignalingException) e.getCause()).code());
            assertTrue(server.queuedMessages(bob.connectionId()) <= BOUND);

            // bob reads again: he gets exactly the accepted messages, in order, and the relay works again
            bob.setAutoRead(true);
            for (int i = 0; i < accepted; i++) {
                String m = lb.next();
                assertTrue(m.contains("\"n\":" + i + "}"), "message " + i + " was " + m.substring(0, 60));
            }
            ObjectNode small = SignalingJson.object();
            small.put("n", "after");
            alice.send("bob", "message", small).get(10, TimeUnit.SECONDS);
            assertEquals("{\"type\":\"message\",\"from\":\"alice\",\"to\":\"bob\",\"n\":\"after\"}", lb.next());
            alice.close();
            bob.close();
        }
    }

    /**
     * Replaces the old "flooding client is disconnected with 1008 at once": a client that stops reading is
     * no longer closed for its burst (its reads are paused instead), only once it has taken nothing for the
     * idle timeout.
     */
    @Test
    void aClientThatFloodsAndDoesNotReadAtAllIsClosedOnlyAfterTheIdleTimeout() throws Exception {
        long idleMillis = 2000;
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.builder()
                .maxQueuedMessages(BOUND).socketSendBufferBytes(8192)
                .idleTimeout(Duration.ofMillis(idleMillis)).pingInterval(Duration.ofMillis(500)).build())) {
            RecordingListener lm = new RecordingListener();
            SignalingClient mallory = SignalingClient.connect(server.websocketUri(),
                    SignalingClientOptions.builder(lm).receiveBufferBytes(4096).build()).get(10, TimeUnit.SECONDS);
            SignalingClient bob = SignalingClient.connect(server.websocketUri(),
                    SignalingClientOptions.builder(new RecordingListener()).build()).get(10, TimeUnit.SECONDS);
            bob.register("bob").get(10, TimeUnit.SECONDS);
            mallory.setAutoRead(false);
            long start = System.nanoTime();
            // every one of these earns an error reply of about 4 KB (the unknown type is echoed)
            String flood = "{\"type\":\"" + "z".repeat(4000) + "\"}";
            for (int i = 0; i < 2000; i++) {
                mallory.sendText(flood);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (server.connectionCount() != 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(1, server.connectionCount(), "the connection that does not read was not dropped");
            assertTrue(elapsedMillis >= idleMillis, "dropped after " + elapsedMillis + " ms, before the idle timeout");
            assertEquals(bob.connectionId(), server.connectionOf("bob"));
            mallory.close();
            bob.close();
        }
    }
}
