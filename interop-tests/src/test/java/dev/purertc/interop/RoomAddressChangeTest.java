package dev.purertc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.PeerConnectionState;
import dev.purertc.channel.RTCDataChannel;
import dev.purertc.channel.RTCSessionDescription;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.rooms.Room;
import dev.purertc.rooms.RoomOptions;
import dev.purertc.rooms.ServiceRoutes;
import dev.purertc.rooms.WebRtcRooms;
import dev.purertc.signaling.GraphscriptCalls;
import dev.purertc.signaling.RoomSignaling;
import dev.purertc.signaling.SignalingClient;
import dev.purertc.signaling.SignalingClientOptions;
import dev.purertc.signaling.SignalingListener;
import dev.purertc.signaling.SignalingMessage;
import dev.purertc.signaling.SignalingServer;
import dev.purertc.signaling.SignalingServerOptions;

/**
 * A room restarts ICE by itself when its path goes away (issue 12): a Java client room calls a Java "server"
 * room (its own JVM in its own namespace, {@link RoomServerMain}) through the signaling server, in PureRTC's
 * dialect ({@link RoomSignaling}) and in graphscript's ({@link GraphscriptCalls}), and sends it 64 MiB with per-message sequence numbers. A quarter of the
 * way in, the server's media address changes ({@link AddressChangeTopology#moveServer()}: the old address is
 * removed from its veth, a new one added, so the old path is gone while signaling stays up). Consent freshness
 * (RFC 7675) turns the client's connection {@code disconnected}; the client, the impolite caller, restarts ICE
 * (RFC 8445 §9) through the relay; the server's new generation gathers on its new address; the transfer goes on
 * over the new pair. Expected: every message once and in order, the SHA-256 of the whole matching, both sides
 * {@code connected} again on new credentials, the data path on the new address.
 */
class RoomAddressChangeTest {

    private static final int MESSAGE = 16 * 1024;
    private static final int MESSAGES = 4096; // 64 MiB
    private static final long BUFFER_HIGH = 1 << 20;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @ParameterizedTest(name = "{0} dialect")
    @ValueSource(strings = {"purertc", "graphscript"})
    void theServersAddressChangesMidTransferAndTheRoomsRestartIceByThemselves(String dialect) throws Exception {
        AddressChangeTopology.assumeInstalled();
        try (AddressChangeTopology topology = AddressChangeTopology.build();
             SignalingServer server = SignalingServer.start(SignalingServerOptions.builder()
                     .bindAddress(InetAddress.getByName(AddressChangeTopology.CLIENT_SIGNALING))
                     .allowUnauthenticatedNonLoopback(true) // reachable only inside this test's namespaces
                     .build());
             PeerConnectionFactory factory = new PeerConnectionFactory(1);
             WebRtcRooms rooms = new WebRtcRooms(factory, RtcConfiguration.builder()
                     .hostAddresses(RoomServerMain.onLink(AddressChangeTopology.CLIENT_MEDIA_LINK)).build(),
                     new ServiceRoutes());
             NamespacedJvm remote = new NamespacedJvm("room-server", topology.inServer(), RoomServerMain.class,
                     server.websocketUri().toString(), "server", AddressChangeTopology.SERVER_MEDIA_LINK,
                     Integer.toString(MESSAGES), Integer.toString(MESSAGE), dialect);
             Caller caller = Caller.connect(dialect, server, rooms)) {
            remote.awaitLine("REGISTERED", WAIT);

            List<PeerConnectionState> states = new CopyOnWriteArrayList<>();
            List<Long> stateTimes = new CopyOnWriteArrayList<>();
            Room room = caller.call("server", RoomOptions.builder().id("move1").channel("file")
                    .onConnectionStateChange((r, state) -> {
                        stateTimes.add(System.nanoTime());
                        states.add(state);
                    }).build())
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            RTCDataChannel channel = firstOpen(room, states, remote);
            String[] serverBefore = now(remote);
            assertEquals(List.of("NOW", "CONNECTED", serverBefore[2], AddressChangeTopology.SERVER_MEDIA),
                    List.of(serverBefore));
            assertEquals(AddressChangeTopology.SERVER_MEDIA, remoteAddress(room));
            String clientUfrag = ufrag(room.connection().localDescription());

            Semaphore moved = new Semaphore(0);
            CountDownLatch quarter = new CountDownLatch(1);
            AtomicReference<Throwable> sendFailure = new AtomicReference<>();
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            Thread sender = new Thread(() -> {
                try {
                    Random random = new Random(12);
                    for (int seq = 0; seq < MESSAGES; seq++) {
                        if (seq == MESSAGES / 4) {
                            quarter.countDown();
                            assertTrue(moved.tryAcquire(30, TimeUnit.SECONDS));
                        }
                        byte[] m = new byte[MESSAGE];
                        random.nextBytes(m);
                        ByteBuffer.wrap(m).putInt(seq);
                        sent.update(m);
                        long deadline = System.nanoTime() + WAIT.toNanos();
                        while (channel.bufferedAmount() > BUFFER_HIGH) {
                            if (System.nanoTime() > deadline) {
                                throw new AssertionError("bufferedAmount did not drain within " + WAIT
                                        + " at message " + seq + "; states " + states);
                            }
                            Thread.sleep(1);
                        }
                        channel.send(m);
                    }
                } catch (Throwable t) {
                    sendFailure.set(t);
                }
            }, "address-change-sender");
            long transferStart = System.nanoTime();
            sender.start();

            assertTrue(quarter.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            long movedAt = System.nanoTime();
            topology.moveServer();
            assertTrue(topology.serverMediaAddresses().contains(" " + AddressChangeTopology.SERVER_MEDIA_MOVED + "/24"),
                    topology.serverMediaAddresses());
            assertTrue(!topology.serverMediaAddresses().contains(" " + AddressChangeTopology.SERVER_MEDIA + "/24"),
                    topology.serverMediaAddresses());
            moved.release();

            sender.join(TimeUnit.SECONDS.toMillis(180));
            assertNull(sendFailure.get(), () -> String.valueOf(sendFailure.get()));
            String received = remote.awaitLine("RECEIVED ", Duration.ofSeconds(120));
            assertEquals("RECEIVED " + MESSAGES + " " + HexFormat.of().formatHex(sent.digest()) + " 0 -", received);

            int disconnected = states.indexOf(PeerConnectionState.DISCONNECTED);
            assertTrue(disconnected >= 0, "the client's room never saw disconnected: " + states);
            assertEquals(PeerConnectionState.CONNECTED, states.get(states.size() - 1), states.toString());
            assertEquals(PeerConnectionState.CONNECTED, room.connection().connectionState());
            assertEquals(RTCSessionDescription.Type.ANSWER, room.connection().remoteDescription().type());
            assertNotEquals(clientUfrag, ufrag(room.connection().localDescription()), "the client restarted ICE");
            assertEquals(AddressChangeTopology.SERVER_MEDIA_MOVED, remoteAddress(room));
            String[] serverAfter = now(remote);
            assertEquals("CONNECTED", serverAfter[1]);
            assertNotEquals(serverBefore[2], serverAfter[2], "the server answered with new credentials");
            assertEquals(AddressChangeTopology.SERVER_MEDIA_MOVED, serverAfter[3]);
            System.out.printf("RoomAddressChangeTest (" + dialect + "): disconnected %d ms after the address change, connected again"
                    + " %d ms after it; %d MiB in %d ms from the start of the transfer%n",
                    (stateTimes.get(disconnected) - movedAt) / 1_000_000,
                    (stateTimes.get(states.size() - 1) - movedAt) / 1_000_000, (long) MESSAGES * MESSAGE >> 20,
                    (System.nanoTime() - transferStart) / 1_000_000);
        }
    }

    /** The client side's signaling in one dialect: {@link RoomSignaling} or {@link GraphscriptCalls}. */
    private record Caller(SignalingClient client, AutoCloseable bridge,
                          java.util.function.BiFunction<String, RoomOptions, CompletableFuture<Room>> calls)
            implements AutoCloseable {

        static Caller connect(String dialect, SignalingServer server, WebRtcRooms rooms) throws Exception {
            SignalingClient client;
            Caller caller;
            if (dialect.equals("graphscript")) {
                client = SignalingClient.connect(server.websocketUri(), SignalingClientOptions.builder(
                        new SignalingListener() {
                            @Override
                            public void onMessage(SignalingMessage message) {
                            }

                            @Override
                            public void onClose(int statusCode, String reason) {
                            }
                        }).build()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                GraphscriptCalls calls = new GraphscriptCalls(client, rooms, null);
                caller = new Caller(client, calls, calls::call);
            } else {
                RoomSignaling signaling = new RoomSignaling(rooms, call -> null);
                client = SignalingClient.connect(server.websocketUri(), SignalingClientOptions.builder(signaling).build())
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
                signaling.bind(client);
                caller = new Caller(client, signaling, signaling::call);
            }
            client.register("client").get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return caller;
        }

        CompletableFuture<Room> call(String user, RoomOptions options) {
            return calls.apply(user, options);
        }

        @Override
        public void close() throws Exception {
            bridge.close();
            client.close();
        }
    }

    /**
     * The room's channel on the first connection. Two CI runs timed out here (before any address change) with
     * nothing to say which layer stalled; a timeout now prints the client's states, getStats and descriptions,
     * and the server JVM's own state and output.
     */
    private static RTCDataChannel firstOpen(Room room, List<PeerConnectionState> states, NamespacedJvm remote)
            throws Exception {
        try {
            return room.channelOpen("file").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            var pc = room.connection();
            StringBuilder sb = new StringBuilder("the first connection's channel did not open within " + WAIT)
                    .append("\n--- client states ").append(states)
                    .append("\n--- client now: ").append(PeerConnectionReport.of(pc));
            sb.append("\n--- client local description:\n").append(pc.localDescription() == null ? "none" : pc.localDescription().sdp())
                    .append("\n--- client remote description:\n").append(pc.remoteDescription() == null ? "none" : pc.remoteDescription().sdp());
            try {
                remote.send("NOW");
                sb.append("\n--- server ").append(remote.awaitLine("NOW ", Duration.ofSeconds(10)));
            } catch (AssertionError | Exception noAnswer) {
                sb.append("\n--- server NOW unanswered: ").append(noAnswer.getMessage());
            }
            sb.append("\n--- server stdout ").append(remote.linesSoFar())
                    .append("\n--- server stderr:\n").append(remote.stderrTail());
            throw new AssertionError(sb.toString(), e);
        }
    }

    /** The server's {@code NOW} line, split: state, local ufrag, the selected pair's local address. */
    private static String[] now(NamespacedJvm remote) throws Exception {
        remote.send("NOW");
        return remote.awaitLine("NOW ", WAIT).split(" ");
    }

    /** The address of the remote candidate of the client's selected pair. */
    private static String remoteAddress(Room room) {
        return room.connection().getStats().join().get("CR").map(c -> c.getString("address")).orElse("none");
    }

    private static String ufrag(RTCSessionDescription d) {
        for (String line : d.sdp().split("\r\n")) {
            if (line.startsWith("a=ice-ufrag:")) {
                return line.substring("a=ice-ufrag:".length());
            }
        }
        throw new AssertionError("no a=ice-ufrag in " + d.sdp());
    }
}
