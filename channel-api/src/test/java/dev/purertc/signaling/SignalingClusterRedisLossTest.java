package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * What a cluster node does without its Redis: refuses to start with a clear message, reports a lost
 * Redis on {@code /healthz} and refuses (never drops silently) what needs it; and the default server
 * never loads a Redis client class.
 */
class SignalingClusterRedisLossTest {

    private static final long WAIT_S = 30;

    private static void requireRedis() {
        assumeTrue(RedisServerProcess.binary() != null, "redis-server is not installed (Debian package redis-server)");
    }

    private static SignalingServerOptions node(URI redis, String id) {
        return SignalingServerOptions.builder().cluster(ClusterOptions.of(redis, id)).build();
    }

    @Test
    void aNodeWhoseRedisIsUnreachableRefusesToStartWithTheReason() throws Exception {
        int port = RedisServerProcess.freePort(); // nothing listens there
        ClusterUnavailableException e = assertThrows(ClusterUnavailableException.class,
                () -> SignalingServer.start(node(URI.create("redis://127.0.0.1:" + port), "A")));
        assertTrue(e.getMessage().startsWith("cannot reach Redis at 127.0.0.1:" + port), e.getMessage());

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SignalingServerMain.class.getName(), "--port", "0", "--redis", "redis://127.0.0.1:" + port,
                "--node-id", "A").redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(WAIT_S, TimeUnit.SECONDS));
            assertEquals(1, p.exitValue());
            assertTrue(out.contains("signaling server: cannot reach Redis at 127.0.0.1:" + port), out);
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theCommandsClusterFlagsGoTogetherAndAreChecked() throws Exception {
        SignalingServerOptions o = SignalingServerMain.parse(new String[] {"--redis", "redis://127.0.0.1:6379", "--node-id", "n-1"});
        assertEquals(ClusterOptions.of(URI.create("redis://127.0.0.1:6379"), "n-1"), o.cluster());
        assertEquals(null, SignalingServerMain.parse(new String[0]).cluster(), "no Redis unless asked for");
        IllegalArgumentException alone = assertThrows(IllegalArgumentException.class,
                () -> SignalingServerMain.parse(new String[] {"--redis", "redis://127.0.0.1:6379"}));
        assertEquals("--redis and --node-id go together", alone.getMessage());
        IllegalArgumentException badId = assertThrows(IllegalArgumentException.class,
                () -> SignalingServerMain.parse(new String[] {"--redis", "redis://127.0.0.1:6379", "--node-id", "a b"}));
        assertEquals("--redis/--node-id: a node id is 1-32 characters of [A-Za-z0-9._-], got a b", badId.getMessage());
        IllegalArgumentException badScheme = assertThrows(IllegalArgumentException.class,
                () -> SignalingServerMain.parse(new String[] {"--redis", "http://127.0.0.1:6379", "--node-id", "a"}));
        assertEquals("--redis/--node-id: the Redis URI must be redis://host:port or rediss://host:port, got "
                + "http://127.0.0.1:6379", badScheme.getMessage());
    }

    @Test
    void closingANodeStopsEveryThreadItStarted() throws Exception {
        requireRedis();
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            SignalingServer a = SignalingServer.start(node(redis.uri(), "A"));
            SignalingClient alice = SignalingClient.connect(a.websocketUri(),
                    SignalingClientOptions.builder(new RecordingListener()).build()).get(WAIT_S, TimeUnit.SECONDS);
            alice.register("alice").get(WAIT_S, TimeUnit.SECONDS);
            assertTrue(clusterThreads().size() > 0, "a node runs Lettuce and heartbeat threads");
            a.close();
            alice.close();
            assertEquals(List.of(), clusterThreads(), "after close()");
            assertEquals(":0", redis.command("EXISTS", "purertc:node:A"), "the node gave its lease back");
        }
    }

    private static List<String> clusterThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("lettuce-") || n.startsWith("purertc-cluster-")).sorted().toList();
    }

    @Test
    void aSecondLiveNodeWithTheSameIdIsRefused() throws Exception {
        requireRedis();
        try (RedisServerProcess redis = RedisServerProcess.start();
             SignalingServer a = SignalingServer.start(node(redis.uri(), "same"))) {
            ClusterUnavailableException e = assertThrows(ClusterUnavailableException.class,
                    () -> SignalingServer.start(node(redis.uri(), "same")));
            assertEquals("node id same is in use by a live node of the cluster at 127.0.0.1:" + redis.port(), e.getMessage());
            assertEquals(":1", redis.command("EXISTS", "purertc:node:same"), "the refused node left the live node's lease alone");
            assertEquals("same", a.clusterNodeId());
        }
    }

    @Test
    void lostRedisTurnsHealthzNotOkAndCrossNodeMessagesAreRefusedNotDropped() throws Exception {
        requireRedis();
        RedisServerProcess redis = RedisServerProcess.start();
        HttpClient http = HttpClient.newHttpClient();
        try (SignalingServer a = SignalingServer.start(node(redis.uri(), "A"));
             SignalingServer b = SignalingServer.start(node(redis.uri(), "B"))) {
            RecordingListener lb = new RecordingListener();
            SignalingClient alice = SignalingClient.connect(a.websocketUri(),
                    SignalingClientOptions.builder(new RecordingListener()).build()).get(WAIT_S, TimeUnit.SECONDS);
            alice.register("alice").get(WAIT_S, TimeUnit.SECONDS);
            SignalingClient bob = SignalingClient.connect(b.websocketUri(), SignalingClientOptions.builder(lb).build())
                    .get(WAIT_S, TimeUnit.SECONDS);
            bob.register("bob").get(WAIT_S, TimeUnit.SECONDS);
            alice.send("bob", "message", null).get(WAIT_S, TimeUnit.SECONDS);
            assertEquals("{\"type\":\"message\",\"from\":\"alice\",\"to\":\"bob\"}", lb.next());
            assertTrue(a.metrics().scrape().contains("purertc_signaling_cluster_sent_messages_total 1.0"),
                    a.metrics().scrape());
            assertTrue(b.metrics().scrape().contains("purertc_signaling_cluster_delivered_messages_total 1.0"),
                    b.metrics().scrape());
            assertEquals(200, http.send(HttpRequest.newBuilder(a.httpUri("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());

            redis.close();

            HttpResponse<String> health = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while (System.nanoTime() < deadline) {
                health = http.send(HttpRequest.newBuilder(a.httpUri("/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() != 200) {
                    break;
                }
                Thread.sleep(50);
            }
            assertNotNull(health);
            assertEquals(503, health.statusCode());
            assertTrue(health.body().startsWith("not ok: "), health.body());
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> alice.send("bob", "message", null).get(WAIT_S, TimeUnit.SECONDS));
            assertEquals(SignalingErrorCode.CLUSTER_UNAVAILABLE, ((SignalingException) e.getCause()).code());
            SignalingClient carol = SignalingClient.connect(a.websocketUri(),
                    SignalingClientOptions.builder(new RecordingListener()).build()).get(WAIT_S, TimeUnit.SECONDS);
            e = assertThrows(ExecutionException.class, () -> carol.register("carol").get(WAIT_S, TimeUnit.SECONDS));
            assertEquals(SignalingErrorCode.CLUSTER_UNAVAILABLE, ((SignalingException) e.getCause()).code());
            alice.close();
            bob.close();
            carol.close();
        } finally {
            redis.close();
        }
    }

    @Test
    void aNodeWhoseLeaseRanOutRenewsItAndPutsItsMembersBack() throws Exception {
        requireRedis();
        try (RedisServerProcess redis = RedisServerProcess.start();
             SignalingServer a = SignalingServer.start(node(redis.uri(), "A"));
             SignalingServer b = SignalingServer.start(node(redis.uri(), "B"))) {
            RecordingListener lb = new RecordingListener();
            SignalingClient alice = SignalingClient.connect(a.websocketUri(),
                    SignalingClientOptions.builder(new RecordingListener()).build()).get(WAIT_S, TimeUnit.SECONDS);
            alice.register("alice").get(WAIT_S, TimeUnit.SECONDS);
            SignalingClient bob = SignalingClient.connect(b.websocketUri(), SignalingClientOptions.builder(lb).build())
                    .get(WAIT_S, TimeUnit.SECONDS);
            bob.register("bob").get(WAIT_S, TimeUnit.SECONDS);
            bob.join("lobby").get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(List.of("alice", "bob"), alice.join("lobby").get(WAIT_S, TimeUnit.SECONDS));
            assertEquals("{\"type\":\"member-joined\",\"session\":\"lobby\",\"user\":\"alice\"}", lb.next());

            // what a node B that saw A's lease end does, as if A had paused for longer than its lease
            assertEquals(":1", redis.command("DEL", "purertc:node:A"));
            assertEquals(":1", redis.command("HDEL", "purertc:session:lobby", "alice"));
            assertEquals("{\"type\":\"member-joined\",\"session\":\"lobby\",\"user\":\"alice\"}", lb.next(),
                    "A found its lease gone, renewed it and joined alice again");
            assertEquals(List.of("alice", "bob"), bob.members("lobby").get(WAIT_S, TimeUnit.SECONDS));
            bob.send("alice", "message", null).get(WAIT_S, TimeUnit.SECONDS);
            alice.close();
            bob.close();
        }
    }

    @Test
    void afterRedisRestartsEmptyTheNodesRecordTheirUsersAndMembersAgain() throws Exception {
        requireRedis();
        RedisServerProcess redis = RedisServerProcess.start();
        try (SignalingServer a = SignalingServer.start(node(redis.uri(), "A"));
             SignalingServer b = SignalingServer.start(node(redis.uri(), "B"))) {
            RecordingListener la = new RecordingListener();
            SignalingClient alice = SignalingClient.connect(a.websocketUri(), SignalingClientOptions.builder(la).build())
                    .get(WAIT_S, TimeUnit.SECONDS);
            alice.register("alice").get(WAIT_S, TimeUnit.SECONDS);
            SignalingClient bob = SignalingClient.connect(b.websocketUri(),
                    SignalingClientOptions.builder(new RecordingListener()).build()).get(WAIT_S, TimeUnit.SECONDS);
            bob.register("bob").get(WAIT_S, TimeUnit.SECONDS);
            alice.join("lobby").get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(List.of("alice", "bob"), bob.join("lobby").get(WAIT_S, TimeUnit.SECONDS));
            assertEquals("{\"type\":\"member-joined\",\"session\":\"lobby\",\"user\":\"bob\"}", la.next());

            int port = redis.port();
            redis.close();
            redis = RedisServerProcess.start(port); // empty: no users, no sessions, no scripts
            boolean delivered = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while (!delivered && System.nanoTime() < deadline) {
                try {
                    bob.send("alice", "message", null).get(WAIT_S, TimeUnit.SECONDS);
                    delivered = true;
                } catch (ExecutionException e) {
                    SignalingErrorCode c = ((SignalingException) e.getCause()).code();
                    assertTrue(c == SignalingErrorCode.UNKNOWN_USER || c == SignalingErrorCode.CLUSTER_UNAVAILABLE
                            || c == SignalingErrorCode.RATE_LIMITED, c.toString());
                    Thread.sleep(100);
                }
            }
            assertTrue(delivered, "alice never reachable again");
            assertEquals("{\"type\":\"message\",\"from\":\"bob\",\"to\":\"alice\"}",
                    awaitMatching(la, m -> m.contains("\"type\":\"message\"")));
            long membersDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            List<String> members = bob.members("lobby").get(WAIT_S, TimeUnit.SECONDS);
            while (!members.equals(List.of("alice", "bob")) && System.nanoTime() < membersDeadline) {
                Thread.sleep(100); // each node puts its own members back at its first heartbeat after the restart
                members = bob.members("lobby").get(WAIT_S, TimeUnit.SECONDS);
            }
            assertEquals(List.of("alice", "bob"), members);
            assertEquals("ok\n", HttpClient.newHttpClient().send(HttpRequest.newBuilder(a.httpUri("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            alice.close();
            bob.close();
        } finally {
            redis.close();
        }
    }

    private static String awaitMatching(RecordingListener l, java.util.function.Predicate<String> p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (true) {
            String m = l.messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertNotNull(m, "no matching message");
            if (p.test(m)) {
                return m;
            }
        }
    }

    @Test
    void aMessageReachingANodeItsTargetIsNotOnIsSentOnOrRefusedNeverDropped() throws Exception {
        requireRedis();
        try (RedisServerProcess redis = RedisServerProcess.start();
             SignalingServer a = SignalingServer.start(node(redis.uri(), "A"));
             SignalingServer b = SignalingServer.start(node(redis.uri(), "B"));
             SignalingServer c = SignalingServer.start(node(redis.uri(), "C"))) {
            RecordingListener la = new RecordingListener();
            SignalingClient alice = SignalingClient.connect(a.websocketUri(), SignalingClientOptions.builder(la).build())
                    .get(WAIT_S, TimeUnit.SECONDS);
            alice.register("alice").get(WAIT_S, TimeUnit.SECONDS);
            try (RawSocket carol = new RawSocket(c.websocketUri())) {
                carol.send("{\"type\":\"register\",\"user\":\"carol\"}");
                assertTrue(carol.next().startsWith("{\"type\":\"registered\""));
                // what node C sends with a stale cache saying alice is on node B: B sends it on to A
                String body = "{\"type\":\"message\",\"from\":\"carol\",\"to\":\"alice\",\"n\":1}";
                assertEquals(":1", redis.command("PUBLISH", "purertc:to:B",
                        "d\talice\tC\t" + carol.connectionId + "\t0\t\"x1\"\t\t" + body));
                assertEquals(body, la.next());
                assertEquals("{\"type\":\"ack\",\"id\":\"x1\"}", carol.next());
                // nobody holds "nobody": refused to the sender with its id
                assertEquals(":1", redis.command("PUBLISH", "purertc:to:B",
                        "d\tnobody\tC\t" + carol.connectionId + "\t0\t7\t\t" + body));
                assertEquals("{\"type\":\"error\",\"code\":\"unknown-user\",\"message\":\"no user nobody\",\"id\":7}",
                        carol.next());
            }
            alice.close();
        }
    }

    @Test
    void theDefaultServerLoadsNoRedisClassAndAClusterNodeDoes() throws Exception {
        assertEquals(List.of(), lettuceClassesLoadedUntilListening());
        requireRedis();
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            List<String> loaded = lettuceClassesLoadedUntilListening("--redis", redis.uri().toString(), "--node-id", "V");
            assertTrue(loaded.stream().anyMatch(l -> l.contains("io.lettuce.core.RedisClient ")), loaded.toString());
        }
    }

    /** Runs SignalingServerMain with -verbose:class until it listens; the io.lettuce classes it loaded. */
    private static List<String> lettuceClassesLoadedUntilListening(String... extra) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-verbose:class", "-cp", System.getProperty("java.class.path"),
                SignalingServerMain.class.getName(), "--port", "0"));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            return CompletableFuture.supplyAsync(() -> {
                List<String> lettuce = new ArrayList<>();
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.startsWith("listening on ")) {
                            return lettuce;
                        }
                        if (line.contains("io.lettuce.")) {
                            lettuce.add(line);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                throw new IllegalStateException("the server ended before listening");
            }).get(60, TimeUnit.SECONDS);
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
