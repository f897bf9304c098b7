package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.ice.HostAddressFilter;
import dev.purertc.rooms.Room;
import dev.purertc.rooms.RoomOptions;
import dev.purertc.rooms.ServiceRoutes;
import dev.purertc.rooms.WebRtcRooms;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A signaling cluster of three server processes (separate JVMs started from {@link SignalingServerMain}
 * with {@code --redis} and {@code --node-id}) sharing a real {@code redis-server} on 127.0.0.1: calls,
 * graphscript requests and presence across nodes, and a node killed with SIGKILL whose client resumes
 * its id on another node.
 */
class SignalingClusterTest {

    private static final long WAIT_S = 30;

    private static RedisServerProcess redis;
    private static ClusterNodeProcess nodeA;
    private static ClusterNodeProcess nodeB;
    private static ClusterNodeProcess nodeC;

    @BeforeAll
    static void startCluster() throws Exception {
        assumeTrue(RedisServerProcess.binary() != null, "redis-server is not installed (Debian package redis-server)");
        redis = RedisServerProcess.start();
        nodeA = ClusterNodeProcess.start(redis.uri(), "A");
        nodeB = ClusterNodeProcess.start(redis.uri(), "B");
        nodeC = ClusterNodeProcess.start(redis.uri(), "C");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (ClusterNodeProcess n : new ClusterNodeProcess[] {nodeA, nodeB, nodeC}) {
            if (n != null) {
                n.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static SignalingClient user(ClusterNodeProcess node, String name, SignalingListener l) throws Exception {
        SignalingClient c = SignalingClient.connect(node.websocketUri(), SignalingClientOptions.builder(l).build())
                .get(WAIT_S, TimeUnit.SECONDS);
        c.register(name).get(WAIT_S, TimeUnit.SECONDS);
        return c;
    }

    private static ObjectNode fields(String json) throws Exception {
        return (ObjectNode) SignalingJson.parse(json);
    }

    private static SignalingErrorCode code(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT_S, TimeUnit.SECONDS));
        return ((SignalingException) e.getCause()).code();
    }

    /** The first message matching {@code p} within {@code seconds} (others are skipped), or a failure. */
    private static String await(RecordingListener l, Predicate<String> p, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String m = l.messages.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            assertNotNull(m, "no matching message within " + seconds + " s");
            if (p.test(m)) {
                return m;
            }
        }
    }

    @Test
    void callOfferAnswerAndCandidatesAreRelayedBetweenNodesAndIdsAreUniqueClusterWide() throws Exception {
        RecordingListener la = new RecordingListener();
        RecordingListener lc = new RecordingListener();
        SignalingClient alice = user(nodeA, "alice1", la);
        SignalingClient carol = user(nodeC, "carol1", lc);
        try {
            alice.send("carol1", "call", fields("{\"room\":\"rtc1\",\"description\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}"))
                    .get(WAIT_S, TimeUnit.SECONDS);
            assertEquals("{\"type\":\"call\",\"from\":\"alice1\",\"to\":\"carol1\",\"room\":\"rtc1\","
                    + "\"description\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}", lc.next());
            carol.send("alice1", "answer", fields("{\"room\":\"rtc1\",\"description\":{\"type\":\"answer\",\"sdp\":\"v=0\"}}"))
                    .get(WAIT_S, TimeUnit.SECONDS);
            assertEquals("{\"type\":\"answer\",\"from\":\"carol1\",\"to\":\"alice1\",\"room\":\"rtc1\","
                    + "\"description\":{\"type\":\"answer\",\"sdp\":\"v=0\"}}", la.next());
            for (int i = 0; i < 20; i++) {
                alice.send("carol1", "candidate", fields("{\"room\":\"rtc1\",\"n\":" + i + "}"));
            }
            for (int i = 0; i < 20; i++) {
                assertEquals("{\"type\":\"candidate\",\"from\":\"alice1\",\"to\":\"carol1\",\"room\":\"rtc1\",\"n\":" + i + "}",
                        lc.next(), "candidates arrive in order");
            }
            // ids are one namespace: taken on another node, unknown everywhere when nobody holds them
            SignalingClient eve = SignalingClient.connect(nodeB.websocketUri(),
                    SignalingClientOptions.builder(new RecordingListener()).build()).get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(SignalingErrorCode.USER_TAKEN, code(eve.register("alice1")));
            eve.register("eve1").get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(SignalingErrorCode.UNKNOWN_USER, code(eve.send("nobody", "message", null)));
            assertEquals(SignalingErrorCode.IMPERSONATION,
                    code(eve.send("carol1", "message", fields("{\"from\":\"alice1\"}"))));
            eve.close();
        } finally {
            alice.close();
            carol.close();
        }
    }

    @Test
    void aJavaPeerOnNodeAOpensADataChannelToAJavaPeerOnNodeC() throws Exception {
        RtcConfiguration loopback = RtcConfiguration.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly()).build();
        ServiceRoutes routesC = new ServiceRoutes();
        routesC.remote("add", call -> call.arg(0, Integer.class) + call.arg(1, Integer.class));
        BlockingQueue<String> callsAtC = new LinkedBlockingQueue<>();
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1);
             WebRtcRooms roomsA = new WebRtcRooms(factory, loopback, new ServiceRoutes());
             WebRtcRooms roomsC = new WebRtcRooms(factory, loopback, routesC);
             RoomSignaling sigA = new RoomSignaling(roomsA, call -> null);
             RoomSignaling sigC = new RoomSignaling(roomsC, call -> {
                 callsAtC.add(call.from() + " " + call.get("room").asText());
                 return RoomOptions.builder().build();
             })) {
            SignalingClient alice = SignalingClient.connect(nodeA.websocketUri(), SignalingClientOptions.builder(sigA).build())
                    .get(WAIT_S, TimeUnit.SECONDS);
            sigA.bind(alice);
            alice.register("alice2").get(WAIT_S, TimeUnit.SECONDS);
            SignalingClient carol = SignalingClient.connect(nodeC.websocketUri(), SignalingClientOptions.builder(sigC).build())
                    .get(WAIT_S, TimeUnit.SECONDS);
            sigC.bind(carol);
            carol.register("carol2").get(WAIT_S, TimeUnit.SECONDS);
            try {
                Room a = sigA.call("carol2", RoomOptions.builder().id("xnode1").build()).get(WAIT_S, TimeUnit.SECONDS);
                assertEquals("alice2 xnode1", callsAtC.poll(WAIT_S, TimeUnit.SECONDS));
                a.opened().get(WAIT_S, TimeUnit.SECONDS);
                roomsC.room("xnode1").opened().get(WAIT_S, TimeUnit.SECONDS);
                assertEquals("5", a.run("add", List.of(2, 3)).get(WAIT_S, TimeUnit.SECONDS).toString(),
                        "a request over the data channel opened through two nodes");
            } finally {
                alice.close();
                carol.close();
            }
        }
    }

    @Test
    void graphscriptRunsWaitingOnAnotherNodeAreAnsweredOrFailedThere() throws Exception {
        SignalingClient alice = user(nodeA, "alice3", new RecordingListener());
        SignalingClient carol = user(nodeC, "carol3", new RecordingListener());
        SignalingClient dave = user(nodeB, "dave3", new RecordingListener());
        try {
            carol.handle("receiveCallInformation", (args, from) -> {
                ObjectNode r = SignalingJson.object();
                r.put("seen", from + ":" + args.get("_id").asText());
                return CompletableFuture.completedFuture(r);
            });
            CompletableFuture<Void> never = new CompletableFuture<>();
            CompletableFuture<String> daveCalled = new CompletableFuture<>();
            dave.handle("slow", (args, from) -> {
                daveCalled.complete(from);
                return never.thenApply(v -> null);
            });

            JsonNode result = alice.run("carol3", "receiveCallInformation", fields("{\"_id\":\"rtc42\"}"))
                    .get(WAIT_S, TimeUnit.SECONDS);
            assertEquals("{\"seen\":\"alice3:rtc42\"}", result.toString());

            CompletableFuture<JsonNode> pending = alice.run("dave3", "slow", null);
            // the request waits on node B for a caller on node A; then dave disconnects without answering
            assertEquals("alice3", daveCalled.get(WAIT_S, TimeUnit.SECONDS));
            assertFalse(pending.isDone());
            dave.close();
            assertEquals(SignalingErrorCode.USER_GONE, code(pending));
            assertEquals(SignalingErrorCode.UNKNOWN_USER, code(alice.run("dave3", "slow", null)),
                    "gone from the whole cluster");
        } finally {
            alice.close();
            carol.close();
        }
    }

    /** A raw graphscript socket registered as {@code user} through {@code addUser} (as WSSfrontend's run). */
    private static RawSocket graphscriptPage(ClusterNodeProcess node, String user) throws Exception {
        RawSocket page = new RawSocket(node.websocketUri());
        page.send("{\"route\":\"runRequest\",\"args\":[{\"route\":\"addUser\",\"args\":[{\"_id\":\"" + user + "\"},{\"0\":\""
                + page.connectionId + "\"},null,true]},\"" + page.connectionId + "\",\"r0\"]}");
        assertEquals("{\"args\":{\"_id\":\"" + user + "\"},\"callbackId\":\"r0\"}", page.next());
        return page;
    }

    @Test
    void graphscriptWireFormatAcrossNodesNumericCallbackIdsRunAllAndPostAll() throws Exception {
        try (RawSocket caller = graphscriptPage(nodeA, "gs-caller7"); RawSocket callee = graphscriptPage(nodeC, "gs-callee7")) {
            assertTrue(callee.connectionId.endsWith("@C"), callee.connectionId);
            caller.send("{\"route\":\"runRequest\",\"args\":[{\"route\":\"runConnection\",\"args\":[\"gs-callee7\",\"runAll\","
                    + "[\"receiveCallInformation\",{\"_id\":\"rtc7\",\"caller\":\"gs-caller7\",\"remoteId\":\""
                    + caller.connectionId + "\"}]]},\"" + caller.connectionId + "\",0.12345678901234567]}");
            String relayed = callee.next();
            String relayId = SignalingJson.parse(relayed).get("args").get(2).asText();
            assertTrue(relayId.startsWith("relayA."), relayId);
            assertEquals("{\"route\":\"runRequest\",\"args\":[{\"route\":\"receiveCallInformation\",\"args\":{\"_id\":\"rtc7\","
                    + "\"caller\":\"gs-caller7\",\"remoteId\":\"" + caller.connectionId + "\"}},\"" + callee.connectionId + "\",\""
                    + relayId + "\"],\"from\":\"gs-caller7\"}", relayed);
            callee.send("{\"args\":\"rtc7\",\"callbackId\":\"" + relayId + "\"}"); // WSSfrontend.runRequest's reply
            assertEquals("{\"args\":[\"rtc7\"],\"callbackId\":0.12345678901234567,\"from\":\"gs-callee7\"}", caller.next());

            caller.send("{\"route\":\"runRequest\",\"args\":[{\"route\":\"runConnection\",\"args\":[\"gs-callee7\",\"postAll\","
                    + "[\"cleanupCallInfo\",\"rtc7\"]]},\"" + caller.connectionId + "\",5]}");
            assertEquals("{\"route\":\"cleanupCallInfo\",\"args\":\"rtc7\",\"from\":\"gs-caller7\"}", callee.next());
            assertEquals("{\"callbackId\":5}", caller.next());

            // a forged caller is refused on the caller's node, before anything crosses
            caller.send("{\"route\":\"runRequest\",\"args\":[{\"route\":\"runConnection\",\"args\":[\"gs-callee7\",\"run\","
                    + "[\"receiveCallInformation\",{\"caller\":\"someone-else\"}]]},\"" + caller.connectionId + "\",6]}");
            assertEquals("impersonation", SignalingJson.parse(caller.next()).get("code").asText());
            assertTrue(callee.idle());
        }
    }

    @Test
    void presenceListsAndEventsSpanTheNodes() throws Exception {
        RecordingListener la = new RecordingListener();
        RecordingListener lc = new RecordingListener();
        SignalingClient alice = user(nodeA, "alice4", la);
        SignalingClient bob = user(nodeB, "bob4", new RecordingListener());
        SignalingClient carol = user(nodeC, "carol4", lc);
        try {
            assertEquals(List.of("alice4"), alice.join("lobby4").get(WAIT_S, TimeUnit.SECONDS));
            assertEquals(List.of("alice4", "bob4"), bob.join("lobby4").get(WAIT_S, TimeUnit.SECONDS));
            assertEquals("{\"type\":\"member-joined\",\"session\":\"lobby4\",\"user\":\"bob4\"}", la.next());
            assertEquals(List.of("alice4", "bob4", "carol4"), carol.join("lobby4").get(WAIT_S, TimeUnit.SECONDS));
            assertEquals("{\"type\":\"member-joined\",\"session\":\"lobby4\",\"user\":\"carol4\"}", la.next());
            assertEquals(List.of("alice4", "bob4", "carol4"), alice.members("lobby4").get(WAIT_S, TimeUnit.SECONDS));
            bob.leave("lobby4").get(WAIT_S, TimeUnit.SECONDS);
            assertEquals("{\"type\":\"member-left\",\"session\":\"lobby4\",\"user\":\"bob4\"}", la.next());
            assertEquals("{\"type\":\"member-left\",\"session\":\"lobby4\",\"user\":\"bob4\"}", lc.next());
            carol.close();
            assertEquals("{\"type\":\"member-left\",\"session\":\"lobby4\",\"user\":\"carol4\"}", la.next());
            assertEquals(List.of("alice4"), alice.members("lobby4").get(WAIT_S, TimeUnit.SECONDS));
            assertEquals(SignalingErrorCode.NOT_A_MEMBER, code(bob.members("lobby4")));
        } finally {
            alice.close();
            bob.close();
        }
    }

    @Test
    void aKilledNodesClientResumesItsIdOnAnotherNodeWithin5sAndItsLobbyMembersLeave() throws Exception {
        try (ClusterNodeProcess nodeK = ClusterNodeProcess.start(redis.uri(), "K")) {
            RecordingListener lc = new RecordingListener();
            RecordingListener lb = new RecordingListener();
            SignalingClient carol = user(nodeC, "carol5", lc);
            SignalingClient dave = user(nodeK, "dave5", new RecordingListener()); // no resume: leaves with K
            BlockingQueue<URI> resumed = new LinkedBlockingQueue<>();
            ResumingSignalingClient bob = ResumingSignalingClient.connect(List.of(nodeK.websocketUri(), nodeB.websocketUri()),
                    "bob5", SignalingClientOptions.builder(lb).build(), new ResumingSignalingClient.Events() {
                        @Override
                        public void onResumed(URI server) {
                            resumed.add(server);
                        }
                    }).get(WAIT_S, TimeUnit.SECONDS);
            try {
                carol.join("lobby5").get(WAIT_S, TimeUnit.SECONDS);
                dave.join("lobby5").get(WAIT_S, TimeUnit.SECONDS);
                assertEquals("{\"type\":\"member-joined\",\"session\":\"lobby5\",\"user\":\"dave5\"}", lc.next());
                carol.send("bob5", "message", fields("{\"n\":1}")).get(WAIT_S, TimeUnit.SECONDS);
                assertEquals("{\"type\":\"message\",\"from\":\"carol5\",\"to\":\"bob5\",\"n\":1}", lb.next());

                long killed = System.nanoTime();
                nodeK.kill9();
                // from node C, bob is reachable again as soon as it resumed on node B
                boolean delivered = false;
                while (!delivered && System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(WAIT_S)) {
                    try {
                        carol.send("bob5", "message", fields("{\"n\":2}")).get(WAIT_S, TimeUnit.SECONDS);
                        delivered = true;
                    } catch (ExecutionException e) {
                        SignalingErrorCode c = ((SignalingException) e.getCause()).code();
                        assertTrue(c == SignalingErrorCode.UNKNOWN_USER || c == SignalingErrorCode.RATE_LIMITED, c.toString());
                        Thread.sleep(50);
                    }
                }
                double seconds = (System.nanoTime() - killed) / 1e9;
                assertTrue(delivered, "bob5 never reachable again");
                assertTrue(seconds <= 5.0, "reachable again after " + seconds + " s");
                assertEquals(nodeB.websocketUri(), resumed.poll(WAIT_S, TimeUnit.SECONDS));
                assertEquals("{\"type\":\"message\",\"from\":\"carol5\",\"to\":\"bob5\",\"n\":2}",
                        await(lb, m -> m.contains("\"n\":2"), WAIT_S));
                // dave's node is gone: the members of its lobby hear that dave left
                await(lc, m -> m.equals("{\"type\":\"member-left\",\"session\":\"lobby5\",\"user\":\"dave5\"}"), WAIT_S);
                assertEquals(List.of("carol5"), carol.members("lobby5").get(WAIT_S, TimeUnit.SECONDS));
                // nobody else takes bob5's id, and dave5 is reserved for its own client
                SignalingClient eve = SignalingClient.connect(nodeA.websocketUri(),
                        SignalingClientOptions.builder(new RecordingListener()).build()).get(WAIT_S, TimeUnit.SECONDS);
                assertEquals(SignalingErrorCode.USER_TAKEN, code(eve.register("bob5")));
                assertEquals(SignalingErrorCode.USER_RESERVED, code(eve.register("dave5")));
                eve.close();
                System.out.printf("bob5 reachable from node C %.2f s after node K was killed%n", seconds);
            } finally {
                bob.close();
                carol.close();
            }
        }
    }

    @Test
    void anIdResumedOnAnotherNodeWithItsSecretMovesThereAndItsOldConnectionIsClosed() throws Exception {
        RecordingListener oldListener = new RecordingListener();
        RecordingListener newListener = new RecordingListener();
        SignalingClient carol = user(nodeC, "carol6", new RecordingListener());
        SignalingClient bobOld = user(nodeB, "bob6", oldListener);
        SignalingClient bobNew = SignalingClient.connect(nodeA.websocketUri(),
                SignalingClientOptions.builder(newListener).build()).get(WAIT_S, TimeUnit.SECONDS);
        SignalingClient eve = SignalingClient.connect(nodeA.websocketUri(),
                SignalingClientOptions.builder(new RecordingListener()).build()).get(WAIT_S, TimeUnit.SECONDS);
        try {
            carol.send("bob6", "message", fields("{\"n\":1}")).get(WAIT_S, TimeUnit.SECONDS); // node C caches: B
            assertEquals("{\"type\":\"message\",\"from\":\"carol6\",\"to\":\"bob6\",\"n\":1}", oldListener.next());
            assertEquals(SignalingErrorCode.USER_TAKEN, code(eve.register("bob6", "not-the-secret")));

            bobNew.register("bob6", bobOld.secret()).get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(bobOld.secret(), bobNew.secret(), "the client keeps its secret");
            assertEquals(4001, oldListener.closeStatus.get(WAIT_S, TimeUnit.SECONDS), "the old connection is closed");
            carol.send("bob6", "message", fields("{\"n\":2}")).get(WAIT_S, TimeUnit.SECONDS);
            assertEquals("{\"type\":\"message\",\"from\":\"carol6\",\"to\":\"bob6\",\"n\":2}", newListener.next());
        } finally {
            carol.close();
            bobOld.close();
            bobNew.close();
            eve.close();
        }
    }

    @Test
    void healthzOfEveryNodeIsOk() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        for (ClusterNodeProcess n : List.of(nodeA, nodeB, nodeC)) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(n.httpUri("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("ok\n", r.body());
        }
        assertFalse(nodeA.websocketUri().equals(nodeC.websocketUri()));
    }
}
