package dev.purertc.signaling.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.purertc.signaling.RedisServerProcess;
import dev.purertc.signaling.SignalingClient;
import dev.purertc.signaling.SignalingClientOptions;
import dev.purertc.signaling.SignalingListener;
import dev.purertc.signaling.SignalingMessage;
import dev.purertc.signaling.SignalingServerMain;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/**
 * {@code BENCH signaling_cluster_msgs_per_s}, {@code signaling_single_msgs_per_s} and
 * {@code signaling_cluster_p99_ms}: 10,000 users (WebSocket clients in this JVM) relay candidate-sized
 * messages in a ring, each to the next user. Once against one signaling server process; once against a
 * cluster of three server processes sharing a {@code redis-server} started here on 127.0.0.1, users
 * spread over the nodes so that every message goes to a user on another node (and its ack comes back
 * across too). Servers are {@link SignalingServerMain} processes (the command an operator runs), one event
 * loop thread each. Each rate is {@value #ROUNDS} rounds (after 3 not counted) of {@value #PER_USER}
 * messages per user with at most {@value #WINDOW} unacknowledged sends; min and median are printed, the
 * median as the BENCH figure. The p99 is of send-to-delivery times while {@value #PACED_RATE} messages/s
 * are offered for {@value #PACED_SECONDS} s (the first second not counted), median of {@value #PACED_RUNS}
 * runs, on the cluster and, for comparison, on one node.
 * Bounded in count and time; prints figures and never fails on speed.
 *
 * <p>Arguments: {@code [users] [perUser]} (default 10000, 5).
 */
public final class SignalingClusterBench {

    private static final int USERS = 10_000;
    private static final int PER_USER = 5;
    private static final int ROUNDS = 5;
    private static final int PACED_RUNS = 3;
    private static final int WINDOW = 2_000;
    private static final int PACED_RATE = 5_000;
    private static final int PACED_SECONDS = 6;

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : USERS;
        int perUser = args.length > 1 ? Integer.parseInt(args[1]) : PER_USER;
        if (RedisServerProcess.binary() == null) {
            throw new IllegalStateException("redis-server is not installed (Debian package redis-server)");
        }
        double[] single;
        double singleP99;
        try (Servers s = Servers.single(users)) {
            try (Ring ring = Ring.connect(s.uris, users)) {
                single = ring.rates(perUser);
                singleP99 = ring.pacedP99();
            }
        }
        double[] cluster;
        double clusterP99;
        try (RedisServerProcess redis = RedisServerProcess.start(); Servers s = Servers.cluster(users, redis.uri())) {
            try (Ring ring = Ring.connect(s.uris, users)) {
                long commandsBefore = redisCommands(redis.port());
                cluster = ring.rates(perUser);
                long commands = redisCommands(redis.port()) - commandsBefore;
                System.out.printf("Redis commands per relayed message (publishes, batched): %.3f%n",
                        commands / (double) ((long) ROUNDS * users * perUser));
                clusterP99 = ring.pacedP99();
            }
        }
        System.out.printf("single node, %d users: %s msgs/s (min %.0f, median %.0f)%n", users, Arrays.toString(round(single)),
                single[0], median(single));
        System.out.printf("3-node cluster through Redis, %d users, every message to another node: %s msgs/s (min %.0f, "
                + "median %.0f); ratio of medians %.2f%n", users, Arrays.toString(round(cluster)), cluster[0],
                median(cluster), median(cluster) / median(single));
        System.out.printf("BENCH signaling_single_msgs_per_s %.0f msgs/s%n", median(single));
        System.out.printf("BENCH signaling_cluster_msgs_per_s %.0f msgs/s%n", median(cluster));
        System.out.printf("BENCH signaling_single_p99_ms %.2f ms%n", singleP99);
        System.out.printf("BENCH signaling_cluster_p99_ms %.2f ms%n", clusterP99);
    }

    /** {@code total_commands_processed} of the Redis server at 127.0.0.1:port (INFO stats). */
    private static long redisCommands(int port) throws IOException {
        try (java.net.Socket sock = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            sock.setSoTimeout(5000);
            sock.getOutputStream().write("INFO stats\r\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(sock.getInputStream(), StandardCharsets.US_ASCII));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("total_commands_processed:")) {
                    return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        }
        throw new IOException("no total_commands_processed in INFO stats");
    }

    private static long[] round(double[] v) {
        return Arrays.stream(v).mapToLong(Math::round).toArray();
    }

    private static double median(double[] sorted) {
        return sorted[sorted.length / 2];
    }

    /** Signaling server processes (SignalingServerMain), stopped by their pids. */
    private static final class Servers implements AutoCloseable {
        final List<Process> processes = new ArrayList<>();
        final List<URI> uris = new ArrayList<>();

        static Servers single(int users) throws Exception {
            Servers s = new Servers();
            s.start(users, List.of());
            return s;
        }

        static Servers cluster(int users, URI redis) throws Exception {
            Servers s = new Servers();
            for (String node : List.of("n1", "n2", "n3")) {
                s.start(users, List.of("--redis", redis.toString(), "--node-id", node));
            }
            return s;
        }

        private void start(int users, List<String> extra) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-cp", System.getProperty("java.class.path"), SignalingServerMain.class.getName(), "--port", "0",
                    "--max-connections", Integer.toString(users + 16),
                    "--max-connections-per-address", Integer.toString(users + 16)));
            cmd.addAll(extra);
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            processes.add(p);
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).get(60, TimeUnit.SECONDS);
            if (line == null || !line.startsWith("listening on ")) {
                close();
                throw new IllegalStateException("server did not start: " + line);
            }
            uris.add(URI.create(line.substring("listening on ".length())));
        }

        @Override
        public void close() throws InterruptedException {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Users u0..u(n-1), user i on server i % servers, each sending to user i+1 (another server in a cluster). */
    private static final class Ring implements AutoCloseable {
        final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        final List<SignalingClient> clients = new ArrayList<>();
        final int users;
        final AtomicReference<CountDownLatch> delivered = new AtomicReference<>(new CountDownLatch(0));
        /** Send-to-delivery times of the paced phase (ns); only this phase stamps "t". */
        final long[] latencies = new long[PACED_RATE * (PACED_SECONDS + 2)];
        final AtomicInteger latencyCount = new AtomicInteger();
        volatile long countAfterNanos = Long.MAX_VALUE;

        private Ring(int users) {
            this.users = users;
        }

        static Ring connect(List<URI> servers, int users) throws Exception {
            Ring r = new Ring(users);
            SignalingListener listener = new SignalingListener() {
                @Override
                public void onMessage(SignalingMessage message) {
                    if (!"candidate".equals(message.type())) {
                        return;
                    }
                    JsonNode t = message.json().get("t");
                    if (t != null) {
                        long sent = t.asLong();
                        if (sent >= r.countAfterNanos) {
                            int i = r.latencyCount.getAndIncrement();
                            if (i < r.latencies.length) {
                                r.latencies[i] = System.nanoTime() - sent;
                            }
                        }
                    }
                    r.delivered.get().countDown();
                }
            };
            long t0 = System.nanoTime();
            List<CompletableFuture<SignalingClient>> connecting = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                connecting.add(SignalingClient.connect(servers.get(i % servers.size()),
                        SignalingClientOptions.builder(listener).eventLoopGroup(r.loops).build()));
                if (i % 200 == 199) {
                    CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                }
            }
            for (CompletableFuture<SignalingClient> f : connecting) {
                r.clients.add(f.get(120, TimeUnit.SECONDS));
            }
            List<CompletableFuture<Void>> registering = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                registering.add(r.clients.get(i).register("u" + i));
                if (i % 500 == 499) {
                    CompletableFuture.allOf(registering.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                }
            }
            CompletableFuture.allOf(registering.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            System.out.printf("%d users on %d server(s) connected and registered in %.1f s%n", users, servers.size(),
                    (System.nanoTime() - t0) / 1e9);
            // warm-up, not counted: lookups cached, the servers' code compiled
            for (int i = 0; i < 3; i++) {
                r.rate(PER_USER);
            }
            return r;
        }

        static ObjectNode candidate() {
            ObjectNode c = JsonNodeFactory.instance.objectNode();
            c.put("room", "rtc123456789");
            c.putObject("candidate")
                    .put("candidate", "candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host generation 0")
                    .put("sdpMid", "0").put("sdpMLineIndex", 0);
            return c;
        }

        /** ROUNDS measurements (printed in order), sorted. */
        double[] rates(int perUser) throws Exception {
            double[] out = new double[ROUNDS];
            for (int i = 0; i < ROUNDS; i++) {
                out[i] = rate(perUser);
            }
            System.out.println("  rounds in order: " + Arrays.toString(round(out)) + " msgs/s");
            Arrays.sort(out);
            return out;
        }

        /** PACED_RUNS paced runs: the median of their p99s (min and all printed). */
        double pacedP99() throws Exception {
            double[] p99 = new double[PACED_RUNS];
            for (int i = 0; i < PACED_RUNS; i++) {
                p99[i] = pacedRun();
            }
            Arrays.sort(p99);
            System.out.printf("  p99 of %d paced runs: %s ms (min %.2f, median %.2f)%n", PACED_RUNS, Arrays.toString(p99),
                    p99[0], median(p99));
            return median(p99);
        }

        /** Every user sends perUser messages to the next; delivered per second (at most WINDOW unacknowledged). */
        double rate(int perUser) throws Exception {
            long total = (long) users * perUser;
            CountDownLatch latch = new CountDownLatch((int) total);
            delivered.set(latch);
            Semaphore window = new Semaphore(WINDOW);
            AtomicLong failed = new AtomicLong();
            ObjectNode candidate = candidate();
            long start = System.nanoTime();
            for (int round = 0; round < perUser; round++) {
                for (int i = 0; i < users; i++) {
                    if (!window.tryAcquire(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("no ack within 60 s");
                    }
                    clients.get(i).send("u" + ((i + 1) % users), "candidate", candidate).whenComplete((v, e) -> {
                        if (e != null) {
                            failed.incrementAndGet();
                        }
                        window.release();
                    });
                }
            }
            boolean all = latch.await(60, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            long count = total - latch.getCount();
            if (!all || failed.get() > 0) {
                System.out.printf("  %d of %d delivered, %d sends refused%n", count, total, failed.get());
            }
            return count / seconds;
        }

        /** p99 (ms) of send-to-delivery while PACED_RATE messages/s are offered for PACED_SECONDS s. */
        double pacedRun() throws Exception {
            latencyCount.set(0);
            int total = PACED_RATE * PACED_SECONDS;
            CountDownLatch latch = new CountDownLatch(total);
            delivered.set(latch);
            ObjectNode base = candidate();
            ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
            AtomicInteger sent = new AtomicInteger();
            long start = System.nanoTime();
            countAfterNanos = start + TimeUnit.SECONDS.toNanos(1);
            int perTick = PACED_RATE / 1000;
            pacer.scheduleAtFixedRate(() -> {
                // catch up to the schedule if the tick was late, so the offered rate holds
                long due = Math.min(total, (System.nanoTime() - start) / 1_000_000 * perTick + perTick);
                while (sent.get() < due) {
                    int n = sent.getAndIncrement();
                    int i = (int) ((n * 7919L) % users);
                    ObjectNode m = base.deepCopy();
                    long now = System.nanoTime();
                    m.put("t", now);
                    clients.get(i).send("u" + ((i + 1) % users), "candidate", m);
                }
            }, 0, 1, TimeUnit.MILLISECONDS);
            boolean all = latch.await(PACED_SECONDS + 60, TimeUnit.SECONDS);
            pacer.shutdownNow();
            pacer.awaitTermination(10, TimeUnit.SECONDS);
            int n = Math.min(latencyCount.get(), latencies.length);
            long[] l = Arrays.copyOf(latencies, n);
            Arrays.sort(l);
            double p50 = l[n / 2] / 1e6;
            double p99 = l[(int) (n * 0.99)] / 1e6;
            System.out.printf("  paced %d msgs/s for %d s: %d counted, p50 %.2f ms, p99 %.2f ms, max %.2f ms%s%n",
                    PACED_RATE, PACED_SECONDS, n, p50, p99, l[n - 1] / 1e6, all ? "" : " (not all delivered)");
            return p99;
        }

        @Override
        public void close() {
            // the clients share the loop: stopping it closes their sockets
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
