package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Lobbies: join, member lists, joined/left events, leaving on disconnect, and their bounds. */
class PresenceTest {

    private static SignalingClient user(SignalingServer server, String name, RecordingListener l) throws Exception {
        SignalingClient c = SignalingClient.connect(server.websocketUri(), SignalingClientOptions.builder(l).build())
                .get(10, TimeUnit.SECONDS);
        c.register(name).get(10, TimeUnit.SECONDS);
        return c;
    }

    @Test
    void membersJoinSeeEachOtherAndLeaveExplicitlyOrByDisconnecting() throws Exception {
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.defaults())) {
            RecordingListener la = new RecordingListener();
            RecordingListener lb = new RecordingListener();
            SignalingClient alice = user(server, "alice", la);
            SignalingClient bob = user(server, "bob", lb);
            SignalingClient carol = user(server, "carol", new RecordingListener());

            assertEquals(List.of("alice"), alice.join("lobby").get(10, TimeUnit.SECONDS));
            assertEquals(List.of("alice", "bob"), bob.join("lobby").get(10, TimeUnit.SECONDS));
            assertEquals("{\"type\":\"member-joined\",\"session\":\"lobby\",\"user\":\"bob\"}", la.next());
            assertEquals(List.of("alice", "bob"), alice.members("lobby").get(10, TimeUnit.SECONDS));

            ExecutionException outsider = assertThrows(ExecutionException.class,
                    () -> carol.members("lobby").get(10, TimeUnit.SECONDS));
            assertEquals(SignalingErrorCode.NOT_A_MEMBER, ((SignalingException) outsider.getCause()).code());

            bob.leave("lobby").get(10, TimeUnit.SECONDS);
            assertEquals("{\"type\":\"member-left\",\"session\":\"lobby\",\"user\":\"bob\"}", la.next());
            assertEquals(List.of("alice"), alice.members("lobby").get(10, TimeUnit.SECONDS));

            carol.join("lobby").get(10, TimeUnit.SECONDS);
            assertEquals("{\"type\":\"member-joined\",\"session\":\"lobby\",\"user\":\"carol\"}", la.next());
            carol.close();
            assertEquals("{\"type\":\"member-left\",\"session\":\"lobby\",\"user\":\"carol\"}", la.next());
            assertEquals(List.of("alice"), alice.members("lobby").get(10, TimeUnit.SECONDS));
            alice.close();
            bob.close();
        }
    }

    @Test
    void unregisteredUsersBadNamesAndTooManySessionsAreRefused() throws Exception {
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.defaults())) {
            SignalingClient anonymous = SignalingClient.connect(server.websocketUri(),
                    SignalingClientOptions.builder(new RecordingListener()).build()).get(10, TimeUnit.SECONDS);
            assertEquals(SignalingErrorCode.NOT_REGISTERED, code(() -> anonymous.join("lobby").get(10, TimeUnit.SECONDS)));
            SignalingClient dave = user(server, "dave", new RecordingListener());
            assertEquals(SignalingErrorCode.INVALID_MESSAGE, code(() -> dave.join("").get(10, TimeUnit.SECONDS)));
            assertEquals(SignalingErrorCode.INVALID_MESSAGE, code(() -> dave.join("x".repeat(65)).get(10, TimeUnit.SECONDS)));
            for (int i = 0; i < Lobbies.MAX_SESSIONS_PER_USER; i++) {
                dave.join("s" + i).get(10, TimeUnit.SECONDS);
            }
            assertEquals(SignalingErrorCode.TOO_MANY_SESSIONS, code(() -> dave.join("one-more").get(10, TimeUnit.SECONDS)));
            assertEquals(List.of("dave"), dave.join("s0").get(10, TimeUnit.SECONDS), "joining again is harmless");
            assertEquals(SignalingErrorCode.NOT_A_MEMBER, code(() -> dave.leave("never").get(10, TimeUnit.SECONDS)));
            anonymous.close();
            dave.close();
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private static SignalingErrorCode code(Call call) {
        ExecutionException e = assertThrows(ExecutionException.class, call::run);
        return ((SignalingException) e.getCause()).code();
    }
}
