package dev.purertc.signaling.demo;

import java.net.InetAddress;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RTCDataChannel;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.ice.HostAddressFilter;
import dev.purertc.rooms.Room;
import dev.purertc.rooms.RoomOptions;
import dev.purertc.rooms.ServiceRoutes;
import dev.purertc.rooms.WebRtcRooms;
import dev.purertc.signaling.RoomSignaling;
import dev.purertc.signaling.SignalingClient;
import dev.purertc.signaling.SignalingClientOptions;
import dev.purertc.signaling.SignalingServer;
import dev.purertc.signaling.SignalingServerOptions;

/**
 * The demo: starts the signaling server on 127.0.0.1 (port from the first argument, default 8080),
 * serves the demo page at {@code /}, and starts a Java peer registered as {@code javapeer} that
 * answers every call. The page shows chat, {@code request}/{@code run} answered by Java routes, a
 * subscription the Java side pushes once a second, and a file sent to the Java peer with a progress
 * bar and a SHA-256 check. Runs until interrupted (Ctrl-C).
 */
public final class DemoMain {

    /** The Java peer's user id. */
    public static final String JAVA_PEER = "javapeer";

    private DemoMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        try (Demo demo = Demo.start(port)) {
            System.out.println("PureRTC demo: open " + demo.server.httpUri("/") + " (Ctrl-C stops)");
            CountDownLatch forever = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
            forever.await();
        }
    }

    /** A running demo (server + Java peer); close() stops everything. Public for tests. */
    public static final class Demo implements AutoCloseable {
        public final SignalingServer server;
        private final PeerConnectionFactory factory;
        private final WebRtcRooms rooms;
        private final RoomSignaling signaling;
        private final SignalingClient client;
        private final ScheduledExecutorService ticker;
        private final Map<String, FileReceipt> files = new ConcurrentHashMap<>();

        private Demo(SignalingServerOptions.Builder serverOptions, Path trustedChainPem) throws Exception {
            server = SignalingServer.start(serverOptions
                    .staticResources(Map.of("/", "/dev/purertc/signaling/demo/index.html",
                            "/index.html", "/dev/purertc/signaling/demo/index.html"))
                    .build());
            factory = new PeerConnectionFactory(1);
            ServiceRoutes routes = new ServiceRoutes();
            routes.remote("chat", String.class, text -> JAVA_PEER + " got \"" + text + "\"");
            routes.remote("add", call -> call.arg(0, Double.class) + call.arg(1, Double.class));
            routes.remote("time", call -> Instant.now().toString());
            routes.remote("fileStart", call -> {
                files.put(call.room().id(), new FileReceipt(call.arg(1, Long.class)));
                return true;
            });
            // The file's bytes and this call travel on different channels (SCTP streams, no order between
            // them): the answer waits until every byte announced by fileStart has arrived.
            routes.remote("fileDone", call -> {
                String roomId = call.room().id();
                FileReceipt r = files.get(roomId);
                if (r == null) {
                    throw new IllegalArgumentException("fileStart was not called");
                }
                return r.done.orTimeout(60, TimeUnit.SECONDS).whenComplete((hex, t) -> files.remove(roomId, r))
                        .thenApply(hex -> Map.of(
                        "name", call.arg(0, String.class), "bytes", r.received.get(), "sha256", hex,
                        "match", hex.equals(call.arg(2, String.class))));
            });
            routes.topic("ticks");
            // On loopback the demo is one machine talking to itself: loopback candidates only, no STUN.
            // Bound elsewhere (SignalingServerMain --demo --bind ...), the Java peer gathers as browsers do.
            RtcConfiguration peerConfiguration = server.localAddress().getAddress().isLoopbackAddress()
                    ? RtcConfiguration.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly()).build()
                    : RtcConfiguration.defaults();
            rooms = new WebRtcRooms(factory, peerConfiguration, routes);
            signaling = new RoomSignaling(rooms, call -> RoomOptions.builder()
                    .onData((message, channel, room) -> receive(message, channel, room))
                    .build());
            SignalingClientOptions.Builder clientOptions = SignalingClientOptions.builder(signaling);
            if (trustedChainPem != null) {
                clientOptions.trustedCertificates(trustedChainPem); // the server's own certificate, over wss
            }
            client = SignalingClient.connect(server.websocketUri(), clientOptions.build()).get(30, TimeUnit.SECONDS);
            signaling.bind(client);
            client.register(JAVA_PEER).get(30, TimeUnit.SECONDS);
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "purertc-demo-ticks");
                t.setDaemon(true);
                return t;
            });
            AtomicLong n = new AtomicLong();
            ticker.scheduleAtFixedRate(() -> routes.publish("ticks",
                    Map.of("n", n.incrementAndGet(), "time", Instant.now().toString())), 1, 1, TimeUnit.SECONDS);
        }

        /** The demo as {@link DemoMain#main} runs it: plain HTTP on 127.0.0.1:{@code port}. */
        public static Demo start(int port) throws Exception {
            // Loopback only and same-origin pages only (the defaults, spelled out so a copy of the demo keeps
            // them): no token validator, so the server must not be reachable from other machines, and only
            // the demo page served here may open the WebSocket from a browser.
            return start(SignalingServerOptions.builder().port(port)
                    .bindAddress(InetAddress.getLoopbackAddress())
                    .allowedOrigins(Set.of()), null);
        }

        /**
         * The demo on a server with the given options ({@code SignalingServerMain --demo}): the page is
         * added to its static resources, and the Java peer connects to it, trusting
         * {@code trustedChainPem} when the server speaks TLS (null: the JDK's CAs, or plain ws).
         */
        public static Demo start(SignalingServerOptions.Builder serverOptions, Path trustedChainPem) throws Exception {
            return new Demo(serverOptions, trustedChainPem);
        }

        private void receive(Object message, RTCDataChannel channel, Room room) {
            if (message instanceof byte[] bytes && "file".equals(channel.label())) {
                FileReceipt r = files.get(room.id());
                if (r != null) {
                    long confirm = r.add(bytes);
                    if (confirm >= 0) {
                        channel.send("have " + confirm); // the page's progress bar counts what arrived here
                    }
                }
            }
        }

        @Override
        public void close() {
            ticker.shutdownNow();
            rooms.close();
            signaling.close();
            client.close();
            factory.close();
            server.close();
        }
    }

    /** Bytes of one file arriving on the "file" channel, hashed as they come. */
    private static final class FileReceipt {
        final long expected;
        final AtomicLong received = new AtomicLong();
        final MessageDigest sha256;
        final CompletableFuture<String> done = new CompletableFuture<>();

        FileReceipt(long expected) {
            this.expected = expected;
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            if (expected == 0) {
                done.complete(HexFormat.of().formatHex(sha256.digest()));
            }
        }

        /** Confirms every {@value #CONFIRM_EVERY} bytes and the last one to the page. */
        static final long CONFIRM_EVERY = 256 * 1024;
        private long confirmed;

        /** Adds a chunk; returns the byte count to confirm to the page now, or -1. */
        synchronized long add(byte[] chunk) {
            sha256.update(chunk);
            long now = received.addAndGet(chunk.length);
            if (now >= expected && !done.isDone()) {
                done.complete(HexFormat.of().formatHex(sha256.digest()));
            }
            if (now - confirmed >= CONFIRM_EVERY || now >= expected) {
                confirmed = now;
                return now;
            }
            return -1;
        }
    }
}
