package dev.purertc.examples;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.rooms.RoomOptions;
import dev.purertc.rooms.ServiceRoutes;
import dev.purertc.rooms.WebRtcRooms;
import dev.purertc.signaling.GraphscriptCalls;
import dev.purertc.signaling.SignalingClient;
import dev.purertc.signaling.SignalingClientOptions;
import dev.purertc.signaling.SignalingServer;
import dev.purertc.signaling.SignalingServerOptions;

/**
 * A Java service in a room with a page written with graphscript's own {@code WebRTCfrontend}.
 *
 * <p>The program runs a PureRTC signaling server and, on it, the user {@value #SERVICE_USER}: a Java
 * peer that answers graphscript's calls ({@link GraphscriptCalls}: {@code receiveCallInformation},
 * {@code answerPeer}, {@code negotiateCall}) and serves two routes in its rooms, {@code add} and
 * {@code shout}. It also serves the page {@code examples/graphscript-room/index.html} and graphscript
 * 0.3.12's browser bundle from that folder's {@code node_modules} ({@code npm ci} there first). The page
 * opens its room with {@code openRTC}, places the call as graphscript's webrtc examples do, then
 * calls the Java routes with {@code room.request} and {@code room.run}.
 *
 * <p>Run from the repository's root: {@code (cd examples/graphscript-room && npm ci) && mvn -B -q -pl
 * examples exec:java -Dexec.mainClass=dev.purertc.examples.GraphscriptRoomService -Dexec.args=8082},
 * then open {@code http://127.0.0.1:8082/}. Both servers listen on loopback only; the signaling
 * server accepts WebSocket connections from the page's origin only.
 */
public final class GraphscriptRoomService implements AutoCloseable {

    /** The Java peer's user id on the signaling server; the page calls it. */
    public static final String SERVICE_USER = "javaservice";

    private final PeerConnectionFactory factory = new PeerConnectionFactory(1);
    private final ServiceRoutes routes = new ServiceRoutes();
    private final SignalingServer signaling;
    private final HttpServer pages;
    private final WebRtcRooms rooms;
    private final SignalingClient client;
    private final GraphscriptCalls calls;

    /**
     * @param pageDirectory the folder holding {@code index.html} and {@code node_modules/graphscript}
     * @param httpPort the page's port on 127.0.0.1 (0 for any)
     * @param configuration the Java peer's connections; {@link RtcConfiguration#defaults()} gathers
     *        every interface but loopback, as browsers do
     */
    public GraphscriptRoomService(Path pageDirectory, int httpPort, RtcConfiguration configuration) throws Exception {
        Path page = pageDirectory.resolve("index.html");
        Path bundle = pageDirectory.resolve("node_modules/graphscript/dist/index.esm.js");
        if (!Files.isRegularFile(page)) {
            throw new IllegalArgumentException("no index.html in " + pageDirectory.toAbsolutePath());
        }
        if (!Files.isRegularFile(bundle)) {
            throw new IllegalStateException("graphscript is not installed: run (cd " + pageDirectory + " && npm ci)");
        }
        pages = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpPort), 16);
        String origin = "http://127.0.0.1:" + pages.getAddress().getPort();
        signaling = SignalingServer.start(SignalingServerOptions.builder().allowedOrigins(Set.of(origin)).build());
        byte[] html = Files.readAllBytes(page);
        byte[] js = Files.readAllBytes(bundle);
        byte[] where = ("{\"port\":" + signaling.localAddress().getPort() + ",\"service\":\"" + SERVICE_USER + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        pages.createContext("/", exchange -> {
            try (exchange) {
                switch (exchange.getRequestURI().getPath()) {
                    case "/" -> reply(exchange, "text/html; charset=utf-8", html);
                    case "/graphscript.esm.js" -> reply(exchange, "text/javascript", js);
                    case "/signaling.json" -> reply(exchange, "application/json", where);
                    default -> exchange.sendResponseHeaders(404, -1);
                }
            }
        });
        pages.start();

        routes.remote("add", call -> call.arg(0, Double.class) + call.arg(1, Double.class));
        routes.remote("shout", String.class, text -> text.toUpperCase(Locale.ROOT) + "!");
        rooms = new WebRtcRooms(factory, configuration, routes);
        client = SignalingClient.connect(signaling.websocketUri(), SignalingClientOptions.builder(message -> { }).build())
                .get(30, TimeUnit.SECONDS);
        calls = new GraphscriptCalls(client, rooms, offer -> RoomOptions.builder().build());
        client.register(SERVICE_USER).get(30, TimeUnit.SECONDS);
    }

    private static void reply(HttpExchange exchange, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The page's address. */
    public String pageUrl() {
        return "http://127.0.0.1:" + pages.getAddress().getPort() + "/";
    }

    /** The Java side's rooms, one per call the page placed. */
    public WebRtcRooms rooms() {
        return rooms;
    }

    @Override
    public void close() {
        try {
            calls.close();
            rooms.close();
            client.close();
            factory.close();
        } finally {
            pages.stop(0);
            signaling.close();
        }
    }

    /** {@code GraphscriptRoomService [HTTP_PORT [PAGE_DIRECTORY]]}: 8082 and examples/graphscript-room by default. */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8082;
        Path directory = Path.of(args.length > 1 ? args[1] : "examples/graphscript-room");
        try (GraphscriptRoomService service = new GraphscriptRoomService(directory, port, RtcConfiguration.defaults())) {
            System.out.println("open " + service.pageUrl() + " (Ctrl-C stops)");
            CountDownLatch forever = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
            forever.await();
        }
    }
}
