package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

/**
 * Back-pressure without lies: a peer that does not read costs the server a bounded queue, then messages to
 * it are refused (and only those); a client that reads is never refused or disconnected for a burst.
 */
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

    @Test
    void messagesToAPeerThatDoesNotReadAreRefusedOnceItsQueuedBytesReachTheBound() throws Exception {
        long maxBytes = 64 * 1024;
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.builder()
                .maxQueuedBytes(maxBytes).socketSendBufferBytes(8192).build())) {
            RecordingListener lb = new RecordingListener();
            SignalingClient alice = SignalingClient.connect(server.websocketUri(),
                    SignalingClientOptions.builder(new RecordingListener()).build()).get(10, TimeUnit.SECONDS);
            SignalingClient bob = SignalingClient.connect(server.websocketUri(),
                    SignalingClientOptions.builder(lb).receiveBufferBytes(4096).build()).get(10, TimeUnit.SECONDS);
            alice.register("alice").get(10, TimeUnit.SECONDS);
            bob.register("bob").get(10, TimeUnit.SECONDS);
            bob.setAutoRead(false);
            ObjectNode payload = SignalingJson.object();
            payload.put("pad", "x".repeat(20_000));
            List<Integer> accepted = new ArrayList<>();
            SignalingException refused = null;
            for (int i = 0; i < 1000 && refused == null; i++) { // bounded: the kernel buffers hold far fewer
                payload.put("n", i);
                try {
                    alice.send("bob", "message", payload).get(20, TimeUnit.SECONDS);
                    accepted.add(i);
                } catch (ExecutionException e) {
                    refused = assertInstanceOf(SignalingException.class, e.getCause());
                }
            }
            assertTrue(refused != null, "never refused");
            assertEquals(SignalingErrorCode.PEER_CONGESTED, refused.code());
            long bytes = server.queuedBytes(bob.connectionId());
            assertTrue(bytes <= maxBytes && bytes > maxBytes - 20_100, "queued bytes " + bytes);
            assertTrue(server.queuedMessages(bob.connectionId()) < 256, "the byte bound, not the message bound, applied");
            bob.setAutoRead(true);
            for (int n : accepted) {
                String m = lb.next();
                assertTrue(m.endsWith("\"n\":" + n + "}"), "expected message " + n);
            }
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

    /** Sends {@code count} messages from alice to bob without waiting; returns the futures in order. */
    private static List<CompletableFuture<Void>> burst(SignalingClient from, String to, int count, int padChars) {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectNode m = SignalingJson.object();
            m.put("n", i);
            if (padChars > 0) {
                m.put("pad", "p".repeat(padChars));
            }
            futures.add(from.send(to, "message", m));
        }
        return futures;
    }

    private static void aBurstIsDeliveredInFullAndReportedInFull(SignalingServerOptions serverOptions,
                                                                 int bobReceiveBuffer, int padChars) throws Exception {
        int count = 1000;
        try (SignalingServer server = SignalingServer.start(serverOptions)) {
            RecordingListener lb = new RecordingListener();
            SignalingClient alice = SignalingClient.connect(server.websocketUri(),
                    SignalingClientOptions.builder(new RecordingListener()).build()).get(10, TimeUnit.SECONDS);
            SignalingClient bob = SignalingClient.connect(server.websocketUri(),
                    SignalingClientOptions.builder(lb).receiveBufferBytes(bobReceiveBuffer).build()).get(10, TimeUnit.SECONDS);
            alice.register("alice").get(10, TimeUnit.SECONDS);
            bob.register("bob").get(10, TimeUnit.SECONDS);

            List<CompletableFuture<Void>> futures = burst(alice, "bob", count, padChars);
            int succeeded = 0;
            List<String> failures = new ArrayList<>();
            for (CompletableFuture<Void> f : futures) {
                try {
                    f.get(60, TimeUnit.SECONDS);
                    succeeded++;
                } catch (ExecutionException e) {
                    failures.add(e.getCause().toString());
                }
            }
            int received = 0;
            for (int i = 0; i < count; i++) {
                String m = lb.next();
                assertTrue(m.startsWith("{\"type\":\"message\",\"from\":\"alice\",\"to\":\"bob\",\"n\":" + i + ","
                        ) || m.endsWith("\"n\":" + i + "}"), "message " + i + " was " + m.substring(0, Math.min(80, m.length())));
                received++;
            }
            assertEquals(count, succeeded, "futures that reported success; failures: "
                    + failures.subList(0, Math.min(3, failures.size())));
            assertEquals(count, received);
            assertTrue(alice.closeFuture().isDone() == false && bob.closeFuture().isDone() == false);
            assertEquals(2, server.connectionCount());
            alice.close();
            bob.close();
        }
    }

    @Test
    void aThousandMessageBurstFromSignalingClientIsDeliveredInFullAndReportedInFull() throws Exception {
        aBurstIsDeliveredInFullAndReportedInFull(SignalingServerOptions.defaults(), 0, 0);
    }

    /** The same through small socket buffers, so the target's queue fills and the sender must be paused. */
    @Test
    void aBurstToAReadingTargetBehindSmallSocketBuffersIsDeliveredInFullAndReportedInFull() throws Exception {
        aBurstIsDeliveredInFullAndReportedInFull(SignalingServerOptions.builder().maxQueuedMessages(BOUND)
                .socketSendBufferBytes(8192).build(), 4096, 1000);
    }

    /** Sender and target on different event loops: the target's drain wakes the sender across threads. */
    @Test
    void aBurstAcrossTwoEventLoopsIsDeliveredInFullAndReportedInFull() throws Exception {
        aBurstIsDeliveredInFullAndReportedInFull(SignalingServerOptions.builder().maxQueuedMessages(BOUND)
                .socketSendBufferBytes(8192).workerThreads(2).build(), 4096, 1000);
    }

    @Test
    void aClientThatKeepsReadingIsNeverDisconnectedForABurstOfRequests() throws Exception {
        int count = 3000;
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.builder()
                .maxQueuedMessages(BOUND).socketSendBufferBytes(8192).build())) {
            RecordingListener lm = new RecordingListener();
            SignalingClient busy = SignalingClient.connect(server.websocketUri(),
                    SignalingClientOptions.builder(lm).receiveBufferBytes(4096).build()).get(10, TimeUnit.SECONDS);
            // every one of these earns an error reply of about 4 KB (the unknown type is echoed): 12 MB of replies
            String type = "z".repeat(4000);
            for (int i = 0; i < count; i++) {
                busy.sendText("{\"type\":\"" + type + "\",\"id\":" + i + "}");
            }
            String expectedStart = "{\"type\":\"error\",\"code\":\"unknown-type\",\"message\":\"unknown type \\\"" + type
                    + "\\\"\",\"id\":";
            for (int i = 0; i < count; i++) {
                String m = lm.next();
                assertEquals(expectedStart + i + "}", m, "reply " + i);
            }
            assertFalse(busy.closeFuture().isDone(), "the reading client was disconnected");
            busy.register("busy").get(10, TimeUnit.SECONDS);
            assertEquals(1, server.connectionCount());
            busy.close();
        }
    }

    @Test
    void aTargetThatStopsReadingPausesItsSenderOnlyBrieflyAndExactlyTheUndeliveredMessagesFail() throws Exception {
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.builder()
                .maxQueuedMessages(BOUND).socketSendBufferBytes(8192)
                .congestionStallTimeout(Duration.ofMillis(500)).build())) {
            RecordingListener lb = new RecordingListener();
            RecordingListener lc = new RecordingListener();
            SignalingClient alice = SignalingClient.connect(server.websocketUri(),
                    SignalingClientOptions.builder(new RecordingListener()).build()).get(10, TimeUnit.SECONDS);
            SignalingClient bob = SignalingClient.connect(server.websocketUri(),
                    SignalingClientOptions.builder(lb).receiveBufferBytes(4096).build()).get(10, TimeUnit.SECONDS);
            SignalingClient carol = SignalingClient.connect(server.websocketUri(),
                    SignalingClientOptions.builder(lc).build()).get(10, TimeUnit.SECONDS);
            alice.register("alice").get(10, TimeUnit.SECONDS);
            bob.register("bob").get(10, TimeUnit.SECONDS);
            carol.register("carol").get(10, TimeUnit.SECONDS);
            bob.setAutoRead(false);

            int count = 200; // 1.6 MB: far more than bob's socket buffers and queue hold
            List<CompletableFuture<Void>> toBob = burst(alice, "bob", count, 8000);
            ObjectNode hi = SignalingJson.object();
            hi.put("text", "hi");
            alice.send("carol", "message", hi).get(20, TimeUnit.SECONDS);
            assertEquals("{\"type\":\"message\",\"from\":\"alice\",\"to\":\"carol\",\"text\":\"hi\"}", lc.next());

            List<Integer> accepted = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                try {
                    toBob.get(i).get(20, TimeUnit.SECONDS);
                    accepted.add(i);
                } catch (ExecutionException e) {
                    assertEquals(SignalingErrorCode.PEER_CONGESTED,
                            assertInstanceOf(SignalingException.class, e.getCause()).code(), "message " + i);
                }
            }
            assertTrue(accepted.size() >= BOUND && accepted.size() < count, "accepted " + accepted.size());
            // bob reads again: he gets exactly the messages reported delivered, in order, and nothing else
            bob.setAutoRead(true);
            for (int n : accepted) {
                String m = lb.next();
                assertTrue(m.endsWith("\"n\":" + n + "}") || m.contains("\"n\":" + n + ","),
                        "expected message " + n + ", got " + m.substring(0, 60));
            }
            alice.send("bob", "message", hi).get(10, TimeUnit.SECONDS);
            assertEquals("{\"type\":\"message\",\"from\":\"alice\",\"to\":\"bob\",\"text\":\"hi\"}", lb.next());
            assertTrue(lb.messages.isEmpty());
            alice.close();
            bob.close();
            carol.close();
        }
    }
}
