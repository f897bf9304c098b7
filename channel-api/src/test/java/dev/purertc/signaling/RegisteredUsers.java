package dev.purertc.signaling;

import java.util.concurrent.TimeUnit;

/** Test helper: a client connected to a server and registered as a user. */
final class RegisteredUsers {

    private RegisteredUsers() {
    }

    /**
     * Connects a client with {@code listener}, binds it to the listener when that is a
     * {@link RoomSignaling} (which must know its client before calls arrive), and registers {@code user};
     * waits at most 30 s for each step.
     */
    static SignalingClient connect(SignalingServer server, SignalingListener listener, String user) throws Exception {
        SignalingClient c = SignalingClient.connect(server.websocketUri(), SignalingClientOptions.builder(listener).build())
                .get(30, TimeUnit.SECONDS);
        if (listener instanceof RoomSignaling rs) {
            rs.bind(c);
        }
        c.register(user).get(30, TimeUnit.SECONDS);
        return c;
    }
}
