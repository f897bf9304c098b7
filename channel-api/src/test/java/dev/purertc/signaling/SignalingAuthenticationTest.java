package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Who may listen where, which ids a token may register, and who may re-claim a freed id. */
class SignalingAuthenticationTest {

    /** Tokens of a small deployment: each names the ids it grants. */
    private static final Map<String, TokenGrant> TOKENS = Map.of(
            "t-alice", TokenGrant.of("alice"),
            "t-mallory", TokenGrant.of("mallory"),
            "t-console", TokenGrant.of("alice", "bob")); // e.g. a support console that may act as either

    private static final TokenValidator VALIDATOR = (token, origin) -> token == null ? null : TOKENS.get(token);

    private static SignalingClient connect(SignalingServer server, String token, RecordingListener l) throws Exception {
        URI uri = token == null ? server.websocketUri() : URI.create(server.websocketUri() + "?token=" + token);
        return SignalingClient.connect(uri, SignalingClientOptions.builder(l).build()).get(10, TimeUnit.SECONDS);
    }

    private static SignalingErrorCode failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(SignalingException.class, e.getCause()).code();
    }

    private static void awaitUsers(SignalingServer server, Set<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!server.users().equals(expected)) {
            assertTrue(System.nanoTime() < deadline, "users " + server.users() + ", expected " + expected);
            Thread.sleep(5);
        }
    }

    @Test
    void aNonLoopbackBindWithoutValidatorOrOptOutRefusesToStartBeforeBinding() throws Exception {
        for (String address : new String[] {"0.0.0.0", "::", "198.51.100.7"}) {
            UnauthenticatedBindException e = assertThrows(UnauthenticatedBindException.class,
                    () -> SignalingServer.start(SignalingServerOptions.builder()
                            .bindAddress(InetAddress.getByName(address)).build()));
            assertEquals(InetAddress.getByName(address), e.bindAddress());
            assertTrue(e.getMessage().contains("tokenValidator") && e.getMessage().contains("allowUnauthenticatedNonLoopback(true)"),
                    e.getMessage());
        }
        // With a validator, or the named opt-out, the check passes and the server tries to bind: 198.51.100.7
        // (TEST-NET-2) is no address of this machine, so the bind itself fails and nothing ever listens.
        for (SignalingServerOptions o : new SignalingServerOptions[] {
                SignalingServerOptions.builder().bindAddress(InetAddress.getByName("198.51.100.7"))
                        .tokenValidator(VALIDATOR).build(),
                SignalingServerOptions.builder().bindAddress(InetAddress.getByName("198.51.100.7"))
                        .allowUnauthenticatedNonLoopback(true).build()}) {
            Exception e = assertThrows(Exception.class, () -> SignalingServer.start(o).close());
            assertInstanceOf(BindException.class, e, e.toString());
        }
        // Loopback needs neither.
        try (SignalingServer s = SignalingServer.start(SignalingServerOptions.builder()
                .bindAddress(InetAddress.getByName("127.0.0.1")).build())) {
            assertTrue(s.localAddress().getAddress().isLoopbackAddress());
        }
    }

    @Test
    void aTokenCannotRegisterAnIdItDoesNotGrant() throws Exception {
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.builder()
                .tokenValidator(VALIDATOR).build())) {
            RecordingListener lm = new RecordingListener();
            SignalingClient mallory = connect(server, "t-mallory", lm);
            assertEquals(SignalingErrorCode.USER_NOT_GRANTED, failure(mallory.register("alice")));
            mallory.sendText("{\"type\":\"register\",\"user\":\"bob\",\"id\":3}");
            assertEquals("{\"type\":\"error\",\"code\":\"user-not-granted\",\"message\":\"this connection's token does "
                    + "not grant user id bob\",\"id\":3}", lm.next());
            // graphscript's addUser is held to the same grant
            mallory.sendText("{\"route\":\"addUser\",\"args\":[{\"_id\":\"alice\"},{\"0\":\"" + mallory.connectionId()
                    + "\"},null,true]}");
            assertTrue(lm.next().startsWith("{\"type\":\"error\",\"code\":\"user-not-granted\""));
            assertEquals(Set.of(), server.users());
            mallory.register("mallory").get(10, TimeUnit.SECONDS);
            assertEquals(Set.of("mallory"), server.users());

            // A token that grants nothing, and no token, are refused at the upgrade (401).
            for (String token : new String[] {null, "t-unknown"}) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> connect(server, token, new RecordingListener()));
                assertTrue(e.getCause().getMessage().contains("401"), e.getCause().getMessage());
            }
            mallory.close();
        }
    }

    @Test
    void aFreedIdCannotBeReclaimedByAnotherTokenOnlyByTheSameOne() throws Exception {
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.builder()
                .tokenValidator(VALIDATOR).build())) {
            RecordingListener lb = new RecordingListener();
            SignalingClient alice = connect(server, "t-alice", new RecordingListener());
            alice.register("alice").get(10, TimeUnit.SECONDS);
            SignalingClient bob = connect(server, "t-console", lb);
            bob.register("bob").get(10, TimeUnit.SECONDS);
            alice.close();
            awaitUsers(server, Set.of("bob"));

            // The console's token grants "alice" too, but alice's id is reserved for alice's token.
            SignalingClient console = connect(server, "t-console", new RecordingListener());
            assertEquals(SignalingErrorCode.USER_RESERVED, failure(console.register("alice")));
            // Messages to the reserved id reach nobody and are answered like any absent user.
            assertEquals(SignalingErrorCode.UNKNOWN_USER, failure(bob.send("alice", "message", null)));
            assertEquals(Set.of("bob"), server.users());

            SignalingClient aliceAgain = connect(server, "t-alice", new RecordingListener());
            aliceAgain.register("alice").get(10, TimeUnit.SECONDS);
            aliceAgain.send("bob", "message", null).get(10, TimeUnit.SECONDS);
            assertEquals("{\"type\":\"message\",\"from\":\"alice\",\"to\":\"bob\"}", lb.next());
            assertEquals(aliceAgain.connectionId(), server.connectionOf("alice"));
            console.close();
            aliceAgain.close();
            bob.close();
        }
    }

    @Test
    void withoutAValidatorAFreedIdIsReservedForTheHolderOfItsSecret() throws Exception {
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.defaults())) {
            RecordingListener la = new RecordingListener();
            SignalingClient alice = connect(server, null, new RecordingListener());
            alice.register("alice").get(10, TimeUnit.SECONDS);
            String secret = alice.secret();
            assertNotNull(secret);
            assertEquals(22, secret.length(), "128 bits, base64url without padding");
            SignalingClient bob = connect(server, null, new RecordingListener());
            bob.register("bob").get(10, TimeUnit.SECONDS);
            alice.close();
            awaitUsers(server, Set.of("bob"));
            assertEquals(1, server.reservedUserIds());

            SignalingClient mallory = connect(server, null, new RecordingListener());
            assertEquals(SignalingErrorCode.USER_RESERVED, failure(mallory.register("alice")));
            assertEquals(SignalingErrorCode.USER_RESERVED, failure(mallory.register("alice", "not-the-secret")));
            assertEquals(SignalingErrorCode.UNKNOWN_USER, failure(bob.send("alice", "call", null)));

            SignalingClient aliceAgain = connect(server, null, la);
            aliceAgain.register("alice", secret).get(10, TimeUnit.SECONDS);
            assertEquals(secret, aliceAgain.secret(), "the same client keeps its secret");
            bob.send("alice", "call", null).get(10, TimeUnit.SECONDS);
            assertEquals("{\"type\":\"call\",\"from\":\"bob\",\"to\":\"alice\"}", la.next());
            assertEquals(0, server.reservedUserIds());
            mallory.close();
            aliceAgain.close();
            bob.close();
        }
    }

    @Test
    void aReservationEndsAfterUserIdReservation() throws Exception {
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.builder()
                .userIdReservation(Duration.ofMillis(300)).build())) {
            SignalingClient alice = connect(server, null, new RecordingListener());
            alice.register("alice").get(10, TimeUnit.SECONDS);
            alice.close();
            awaitUsers(server, Set.of());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.reservedUserIds() != 0) {
                assertTrue(System.nanoTime() < deadline, "the reservation never ended");
                Thread.sleep(20);
            }
            SignalingClient other = connect(server, null, new RecordingListener());
            other.register("alice").get(10, TimeUnit.SECONDS);
            assertFalse(other.secret().equals(alice.secret()), "a new holder gets a new secret");
            other.close();
        }
    }

    @Test
    void messagesToUnknownUsersAreRateLimitedPerConnectionWithoutTellingKnownFromUnknown() throws Exception {
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.builder()
                .unknownUserBurst(5).unknownUserRefill(Duration.ofSeconds(60)).build())) {
            RecordingListener lb = new RecordingListener();
            RecordingListener lm = new RecordingListener();
            SignalingClient bob = connect(server, null, lb);
            bob.register("bob").get(10, TimeUnit.SECONDS);
            SignalingClient mallory = connect(server, null, lm);
            mallory.register("mallory").get(10, TimeUnit.SECONDS);
            mallory.send("bob", "message", null).get(10, TimeUnit.SECONDS); // known users cost nothing
            assertEquals("{\"type\":\"message\",\"from\":\"mallory\",\"to\":\"bob\"}", lb.next());
            for (int i = 0; i < 5; i++) {
                assertEquals(SignalingErrorCode.UNKNOWN_USER, failure(mallory.send("guess" + i, "message", null)));
            }
            // The budget is spent: known and unknown ids get the same answer, and nothing is delivered.
            assertEquals(SignalingErrorCode.RATE_LIMITED, failure(mallory.send("guess5", "message", null)));
            assertEquals(SignalingErrorCode.RATE_LIMITED, failure(mallory.send("bob", "message", null)));
            mallory.sendText("{\"route\":\"runRequest\",\"args\":[{\"route\":\"runConnection\",\"args\":[\"bob\",\"post\","
                    + "[\"ping\"]]},\"" + mallory.connectionId() + "\",\"cb1\"]}");
            assertTrue(lm.next().startsWith("{\"type\":\"error\",\"code\":\"rate-limited\""));
            // Another connection has its own budget.
            SignalingClient carol = connect(server, null, new RecordingListener());
            carol.register("carol").get(10, TimeUnit.SECONDS);
            assertEquals(SignalingErrorCode.UNKNOWN_USER, failure(carol.send("guess0", "message", null)));
            carol.send("bob", "message", null).get(10, TimeUnit.SECONDS);
            assertEquals("{\"type\":\"message\",\"from\":\"carol\",\"to\":\"bob\"}", lb.next());
            assertTrue(lb.messages.isEmpty(), "nothing of mallory's limited messages reached bob");
            // Probing by registration counts too: taken ids are misses, then even a free id is refused.
            SignalingClient prober = connect(server, null, new RecordingListener());
            for (int i = 0; i < 5; i++) {
                assertEquals(SignalingErrorCode.USER_TAKEN, failure(prober.register("bob")));
            }
            assertEquals(SignalingErrorCode.RATE_LIMITED, failure(prober.register("bob")));
            assertEquals(SignalingErrorCode.RATE_LIMITED, failure(prober.register("free")));
            assertEquals(Set.of("bob", "mallory", "carol"), server.users());
            prober.close();
            mallory.close();
            carol.close();
            bob.close();
        }
    }

    @Test
    void theRateLimitRefillsOverTime() throws Exception {
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.builder()
                .unknownUserBurst(1).unknownUserRefill(Duration.ofMillis(300)).build())) {
            RecordingListener lb = new RecordingListener();
            SignalingClient bob = connect(server, null, lb);
            bob.register("bob").get(10, TimeUnit.SECONDS);
            SignalingClient alice = connect(server, null, new RecordingListener());
            alice.register("alice").get(10, TimeUnit.SECONDS);
            assertEquals(SignalingErrorCode.UNKNOWN_USER, failure(alice.send("gone", "message", null)));
            int limited = 0;
            boolean delivered = false;
            for (int i = 0; i < 100 && !delivered; i++) { // bounded: a token comes back within 300 ms
                try {
                    alice.send("bob", "message", null).get(10, TimeUnit.SECONDS);
                    delivered = true;
                } catch (ExecutionException e) {
                    assertEquals(SignalingErrorCode.RATE_LIMITED, ((SignalingException) e.getCause()).code());
                    limited++;
                    Thread.sleep(50);
                }
            }
            assertTrue(delivered, "still limited after " + limited + " tries");
            assertEquals("{\"type\":\"message\",\"from\":\"alice\",\"to\":\"bob\"}", lb.next());
            assertTrue(lb.messages.isEmpty(), "exactly one message arrived");
            alice.close();
            bob.close();
        }
    }
}
