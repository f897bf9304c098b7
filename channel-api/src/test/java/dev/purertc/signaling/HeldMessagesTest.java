package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Messages to a user id reserved for its reconnecting client ({@link HeldMessages}): delivered in order
 * when the client claims the id back, acked only then; refused at their bound with {@code peer-congested};
 * refused with {@code user-gone} when the reservation ends without the client.
 */
class HeldMessagesTest {

    private static ObjectNode text(String t) {
        return SignalingJson.object().put("text", t);
    }

    private static SignalingClient registered(SignalingServer server, SignalingListener listener, String user,
                                              String secret) throws Exception {
        SignalingClient c = SignalingClient.connect(server.websocketUri(), SignalingClientOptions.builder(listener).build())
                .get(10, TimeUnit.SECONDS);
        c.register(user, secret).get(10, TimeUnit.SECONDS);
        return c;
    }

    private static void awaitHeld(SignalingServer server, int n) throws InterruptedException {
        for (int i = 0; i < 500 && server.router().heldMessages() != n; i++) {
            Thread.sleep(10); // the frames are handled on the server's loops
        }
        assertEquals(n, server.router().heldMessages());
    }

    @Test
    void heldUpToTheBoundThenDeliveredInOrderOnResumeWithTheirAcks() throws Exception {
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.defaults())) {
            SignalingClient carol = registered(server, new RecordingListener(), "carol", null);
            String secret = carol.secret();
            SignalingClient bob = registered(server, new RecordingListener(), "bob", null);
            server.router().connectionOf("carol").channel.close();
            for (int i = 0; i < 200 && server.router().connectionOf("carol") != null; i++) {
                Thread.sleep(10);
            }

            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (int i = 0; i < HeldMessages.MAX_MESSAGES_PER_USER; i++) {
                sends.add(bob.send("carol", "message", text("m" + i)));
            }
            awaitHeld(server, HeldMessages.MAX_MESSAGES_PER_USER);
            ExecutionException full = assertThrows(ExecutionException.class,
                    () -> bob.send("carol", "message", text("one too many")).get(10, TimeUnit.SECONDS));
            assertEquals(SignalingErrorCode.PEER_CONGESTED, ((SignalingException) full.getCause()).code());
            assertTrue(sends.stream().noneMatch(CompletableFuture::isDone), "no ack while carol is away");

            RecordingListener back = new RecordingListener();
            SignalingClient resumed = registered(server, back, "carol", secret);
            for (int i = 0; i < HeldMessages.MAX_MESSAGES_PER_USER; i++) {
                assertEquals("{\"type\":\"message\",\"from\":\"bob\",\"to\":\"carol\",\"text\":\"m" + i + "\"}", back.next());
            }
            for (CompletableFuture<Void> s : sends) {
                s.get(10, TimeUnit.SECONDS);
            }
            assertEquals(0, server.router().heldMessages());
            bob.send("carol", "message", text("live")).get(10, TimeUnit.SECONDS);
            assertEquals("{\"type\":\"message\",\"from\":\"bob\",\"to\":\"carol\",\"text\":\"live\"}", back.next());
            resumed.close();
            bob.close();
            carol.close();
        }
    }

    @Test
    void aClientThatDoesNotComeBackLeavesItsSendersWithUserGone() throws Exception {
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.builder()
                .userIdReservation(Duration.ofSeconds(1)).build())) {
            SignalingClient dave = registered(server, new RecordingListener(), "dave", null);
            SignalingClient bob = registered(server, new RecordingListener(), "bob", null);
            server.router().connectionOf("dave").channel.close();
            for (int i = 0; i < 200 && server.router().connectionOf("dave") != null; i++) {
                Thread.sleep(10);
            }
            CompletableFuture<Void> send = bob.send("dave", "message", text("never read"));
            awaitHeld(server, 1);
            long start = System.nanoTime();
            ExecutionException gone = assertThrows(ExecutionException.class, () -> send.get(10, TimeUnit.SECONDS));
            SignalingException e = (SignalingException) gone.getCause();
            assertEquals(SignalingErrorCode.USER_GONE, e.code());
            assertTrue(e.getMessage().contains("user dave did not come back before its reservation ended"), e.getMessage());
            assertTrue((System.nanoTime() - start) / 1_000_000 < 5_000, "refused within the reservation and a purge period");
            assertEquals(0, server.router().heldMessages());
            ExecutionException after = assertThrows(ExecutionException.class,
                    () -> bob.send("dave", "message", text("after")).get(10, TimeUnit.SECONDS));
            assertEquals(SignalingErrorCode.UNKNOWN_USER, ((SignalingException) after.getCause()).code());
            bob.close();
            dave.close();
        }
    }
}
