package dev.purertc.interop.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.ice.HostAddressFilter;
import dev.purertc.interop.InteropMatrix;
import dev.purertc.rooms.Room;
import dev.purertc.rooms.RoomOptions;
import dev.purertc.rooms.ServiceRoutes;
import dev.purertc.rooms.WebRtcRooms;
import dev.purertc.signaling.GraphscriptCalls;
import dev.purertc.signaling.SignalingClient;
import dev.purertc.signaling.SignalingClientOptions;
import dev.purertc.signaling.SignalingServer;
import dev.purertc.signaling.SignalingServerOptions;

/**
 * Issue 6 acceptance: graphscript 0.3.12's own browser bundle (Router + WSSfrontend + WebRTCfrontend,
 * from {@code interop-tests/graphscript-page}, {@code npm ci} there) in Chromium calls a Java room
 * through the PureRTC signaling server ({@link GraphscriptCalls}), in the messages graphscript's webrtc
 * examples send.
 */
@InteropMatrix(peer = "chromium", direction = "graphscript 0.3.12 page")
@Timeout(120)
class GraphscriptPageChromiumTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    private static SignalingServer server;
    private static HttpServer pages;
    private static PeerConnectionFactory factory;
    private static ServiceRoutes routes;
    private static WebRtcRooms rooms;
    private static SignalingClient client;
    private static GraphscriptCalls calls;
    private static CdpChromium chromium;

    static Path bundle() {
        Path dir;
        String configured = System.getProperty("purertc.interop.graphscriptPageDir");
        if (configured != null) {
            dir = Path.of(configured);
        } else {
            try {
                Path classes = Path.of(GraphscriptPageChromiumTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                dir = classes.getParent().getParent().resolve("graphscript-page");
            } catch (java.net.URISyntaxException e) {
                dir = Path.of("graphscript-page");
            }
        }
        return dir.resolve("node_modules/graphscript/dist/index.esm.js").toAbsolutePath();
    }

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(CdpChromium.isInstalled(), "chromium is not installed (apt-get install -y chromium)");
        Path bundle = bundle();
        Assumptions.assumeTrue(Files.isRegularFile(bundle), "graphscript is not installed: (cd interop-tests/graphscript-page && npm ci)");
        pages = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        // The page comes from another port than the signaling server: its origin must be allowed.
        server = SignalingServer.start(SignalingServerOptions.builder()
                .allowedOrigins(Set.of("http://127.0.0.1:" + pages.getAddress().getPort())).build());
        byte[] html;
        try (InputStream in = GraphscriptPageChromiumTest.class.getResourceAsStream("/dev/purertc/interop/rooms/graphscript.html")) {
            html = in.readAllBytes();
        }
        byte[] js = Files.readAllBytes(bundle);
        pages.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            byte[] body = path.equals("/") ? html : path.equals("/graphscript.esm.js") ? js : null;
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.getResponseHeaders().set("Content-Type", path.equals("/") ? "text/html; charset=utf-8" : "text/javascript");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
            ex.close();
        });
        pages.start();
        factory = new PeerConnectionFactory(1);
        routes = new ServiceRoutes();
        routes.remote("add", call -> call.arg(0, Double.class) + call.arg(1, Double.class));
        routes.remote("echo", String.class, text -> "java: " + text);
        routes.topic("news");
        rooms = new WebRtcRooms(factory, RtcConfiguration.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly()).build(),
                routes);
        client = SignalingClient.connect(server.websocketUri(), SignalingClientOptions.builder(m -> { }).build())
                .get(30, TimeUnit.SECONDS);
        calls = new GraphscriptCalls(client, rooms, kept -> RoomOptions.builder().build());
        client.register("javapeer").get(30, TimeUnit.SECONDS);
        chromium = CdpChromium.launch();
    }

    @AfterAll
    static void stop() {
        try {
            if (chromium != null) {
                chromium.close();
                assertEquals(List.of(), chromium.groupMembers(), "every chromium process is gone");
            }
        } finally {
            if (rooms != null) {
                rooms.close();
                calls.close();
                client.close();
                factory.close();
            }
            if (pages != null) {
                pages.stop(0);
            }
            if (server != null) {
                server.close();
            }
        }
    }

    /**
     * The page's graphscript side: a Router over a WSSfrontend and a WebRTCfrontend, the socket opened with
     * {@code openWS} (its id comes from the server's {@code setId}), and the user registered with the
     * {@code addUser} message {@code Router.addUser} is written to send.
     *
     * <p>graphscript 0.3.12 bug, checked here: {@code Router.addUser(info, {wss: {connection: socket}})} sends
     * nothing. {@code openWS} returns the socket as a GraphNode, and {@code Router.addConnection} treats every
     * GraphNode as a local node (its {@code send} calls the node's operator), so neither the {@code addUser}
     * message nor any later {@code user.run} reaches the socket. The page therefore sends Router's message
     * and its {@code runConnection} calls on the socket's own {@code send}/{@code run} (WSSfrontend's wire
     * format, the same bytes {@code user.send}/{@code user.run} would produce over a working connection).
     */
    private static CdpPage graphscriptUser(String user) throws Exception {
        CdpPage page = chromium.open("http://127.0.0.1:" + pages.getAddress().getPort() + "/");
        page.waitFor("window.ready === true", BOUND);
        JsonNode r = page.eval("(async () => {"
                + " try { (await navigator.mediaDevices.getUserMedia({ audio: true })).getTracks().forEach((t) => t.stop()); } catch (e) {}"
                + " const router = new gs.Router({ graph: { wss: gs.WSSfrontend, webrtc: gs.WebRTCfrontend } });"
                + " const wss = router.services.wss, webrtc = router.services.webrtc;"
                + " webrtc.iceServers = [];"
                + " const socket = wss.openWS({ host: '127.0.0.1', port: " + server.localAddress().getPort() + ", path: 'ws' });"
                + " await new Promise((res, rej) => { const t0 = Date.now(); (function f() { if (socket._id) return res();"
                + "   if (Date.now() - t0 > 10000) return rej(new Error('no setId')); setTimeout(f, 20); })(); });"
                + " const sent = []; const rawSend = socket.socket.send.bind(socket.socket);"
                + " socket.socket.send = (d) => { sent.push(String(d)); return rawSend(d); };"
                + " const user = await router.addUser({ _id: '" + user + "' }, { wss: { connection: socket } });"
                + " const sentByRouter = sent.slice();"
                + " socket.send({ route: 'addUser', args: [{ _id: user._id }, { 0: socket._id }, undefined, true] });"
                + " window.router = router; window.wss = wss; window.webrtc = webrtc; window.socket = socket; window.user = user;"
                + " return { socketId: socket._id, userId: user._id, sentByRouter, sent }; })()");
        assertEquals(user, r.get("userId").asText());
        assertEquals("[]", r.get("sentByRouter").toString(), "graphscript 0.3.12's Router.addUser writes nothing to the socket");
        String socketId = r.get("socketId").asText();
        assertEquals("[\"{\\\"route\\\":\\\"addUser\\\",\\\"args\\\":[{\\\"_id\\\":\\\"" + user + "\\\"},{\\\"0\\\":\\\""
                + socketId + "\\\"},null,true]}\"]", r.get("sent").toString());
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!socketId.equals(server.connectionOf(user)) && System.nanoTime() < deadline) {
            Thread.sleep(20); // the server handles the page's frame on its own loop
        }
        assertEquals(socketId, server.connectionOf(user), "the server bound the user to the page's socket");
        return page;
    }

    @Test
    void graphscriptPageCallsAJavaRoomAndBothSidesUseEachOthersRoutes() throws Exception {
        CdpPage page = graphscriptUser("gspage");
        // graphscript's call, as its webrtc examples place it: the offer in receiveCallInformation run on the
        // callee through the server's runConnection, candidates trickled with runAll receiveCallInformation.
        JsonNode answered = page.eval("(async () => {"
                + " const room = await webrtc.openRTC({ _id: 'rtcgs1', config: { iceServers: [] },"
                + "   onicecandidate: (ev) => { if (ev.candidate) socket.run('runConnection', ['javapeer', 'runAll', ['receiveCallInformation',"
                + "     { _id: 'rtcgs1', candidates: { ['candidate' + Math.floor(Math.random() * 1e15)]: ev.candidate } }]]); } });"
                + " window.room = room;"
                + " return socket.run('runConnection', ['javapeer', 'run', ['receiveCallInformation',"
                + "   { _id: 'rtcgs1', description: encodeURIComponent(JSON.stringify(room.rtc.localDescription)), caller: 'gspage', remoteId: socket._id }]]); })()");
        assertEquals("rtcgs1", answered.asText(), "GraphscriptCalls answers receiveCallInformation with the room id");
        // Java's answerPeer, run back on the page through the server, was applied by graphscript's own answerPeer node.
        page.waitFor("room.rtc.connectionState === 'connected' && room.channels.data.readyState === 'open'", BOUND);
        Room javaRoom = rooms.room("rtcgs1");
        javaRoom.opened().get(30, TimeUnit.SECONDS);
        assertEquals(1, page.awaitRemoteLoopbackHostCandidates("room.rtc", BOUND), "Java's trickled candidate reached graphscript's connection");
        assertEquals("gspage", javaRoom.property("caller"));

        // page -> Java: graphscript's room.request / room.run
        assertEquals(5, page.eval("room.request({ route: 'add', args: [2, 3] })").asInt());
        assertEquals("java: hé \\ \"x\"", page.eval("room.run('echo', 'hé \\\\ \\\"x\\\"')").asText(),
                "backslashes and quotes reach Java and come back intact");
        // page subscribes to Java's topic with graphscript's subscribeToRTC
        page.eval("window.gsCallback = []; window.rawPushes = [];"
                + " webrtc.__node.state.subscribeEvent('rtcgs1', (raw) => { if (typeof raw === 'string' && raw.includes('\"callbackId\":\"news\"')) rawPushes.push(JSON.parse(raw)); });");
        int sub = page.eval("webrtc.subscribeToRTC('news', 'rtcgs1', 'data', (v) => gsCallback.push(v))").asInt();
        assertTrue(sub >= 0, "subscription number " + sub);
        assertEquals(1, routes.publish("news", new TreeMap<>(Map.of("n", 1, "text", "first"))));
        assertEquals(1, routes.publish("news", new TreeMap<>(Map.of("n", 2, "text", "second"))));
        assertEquals("[{\"args\":{\"n\":1,\"text\":\"first\"},\"callbackId\":\"news\"},{\"args\":{\"n\":2,\"text\":\"second\"},\"callbackId\":\"news\"}]",
                page.waitFor("rawPushes.length === 2 && JSON.stringify(rawPushes)", BOUND).asText(),
                "both pushes reached the page's room state in graphscript's push format");
        // graphscript 0.3.12 bug (WebRTC.browser.ts subscribeToRTC): its state listener tests res.callbackId on
        // the raw message string, which has no such property, so the subscriber's callback is never called.
        assertEquals(0, page.eval("gsCallback.length").asInt(), "graphscript 0.3.12 never calls a data-channel subscriber");
        assertEquals(true, page.eval("room.run('unsubscribe', ['news', " + sub + "])").asBoolean());
        assertEquals(0, routes.publish("news", Map.of("n", 3)), "Java no longer pushes to the page");

        // Java -> page: routes of the page's graphscript service
        page.eval("webrtc.load({ double: (x) => x * 2, greet: (a, b) => `${a} and ${b}` }); true");
        JsonNode doubled = javaRoom.request(Map.of("route", "double", "args", 21)).get(30, TimeUnit.SECONDS);
        assertTrue(doubled.isIntegralNumber(), doubled.toString());
        assertEquals(42, doubled.asInt());
        assertEquals("salt and pepper", javaRoom.run("greet", List.of("salt", "pepper")).get(30, TimeUnit.SECONDS).asText());
        List<JsonNode> pushes = new CopyOnWriteArrayList<>();
        int javaSub = javaRoom.subscribe("double", pushes::add).get(30, TimeUnit.SECONDS);
        assertTrue(javaSub >= 0, "graphscript's subscription number " + javaSub);
        assertEquals(10, page.eval("webrtc.run('double', 5)").asInt());
        assertEquals(14, page.eval("webrtc.run('double', 7)").asInt());
        // a round trip on the same ordered channel: every push sent before its reply has arrived
        assertEquals("a and b", javaRoom.run("greet", List.of("a", "b")).get(30, TimeUnit.SECONDS).asText());
        assertEquals("[10, 14]", pushes.toString(), "graphscript's node output pushed to the Java subscriber");
        assertEquals(Boolean.TRUE, javaRoom.unsubscribe("double", javaSub).get(30, TimeUnit.SECONDS));
        assertEquals(16, page.eval("webrtc.run('double', 8)").asInt());
        assertEquals("c and d", javaRoom.run("greet", List.of("c", "d")).get(30, TimeUnit.SECONDS).asText());
        assertEquals("[10, 14]", pushes.toString(), "no push after unsubscribe");
    }

    /**
     * graphscript's renegotiation, as its examples wire it: the page's {@code onnegotiationneeded} (after
     * {@code pc.restartIce()}) runs {@code negotiateCall} on the Java side through the server and applies
     * the returned answer with its own {@code negotiateCall}; the room keeps working on new credentials.
     */
    @Test
    void graphscriptPageRestartsIceThroughNegotiateCallAndKeepsItsRoom() throws Exception {
        CdpPage page = graphscriptUser("gspage3");
        JsonNode answered = page.eval("(async () => {"
                + " const room = await webrtc.openRTC({ _id: 'rtcgs3', config: { iceServers: [] },"
                + "   onicecandidate: (ev) => { if (ev.candidate) socket.run('runConnection', ['javapeer', 'runAll', ['receiveCallInformation',"
                + "     { _id: 'rtcgs3', candidates: { ['candidate' + Math.floor(Math.random() * 1e15)]: ev.candidate } }]]); },"
                + "   onnegotiationneeded: (ev, description) => { window.renegotiations = (window.renegotiations || 0) + 1;"
                + "     socket.run('runConnection', ['javapeer', 'run', ['negotiateCall', ['rtcgs3', encodeURIComponent(JSON.stringify(description))]]])"
                + "       .then((answer) => webrtc.negotiateCall('rtcgs3', answer)).then(() => { window.renegotiated = true; },"
                + "         (e) => { window.renegotiated = String(e); }); } });"
                + " window.room3 = room;"
                + " return socket.run('runConnection', ['javapeer', 'run', ['receiveCallInformation',"
                + "   { _id: 'rtcgs3', description: encodeURIComponent(JSON.stringify(room.rtc.localDescription)), caller: 'gspage3', remoteId: socket._id }]]); })()");
        assertEquals("rtcgs3", answered.asText());
        page.waitFor("room3.rtc.connectionState === 'connected' && room3.channels.data.readyState === 'open'", BOUND);
        Room javaRoom = rooms.room("rtcgs3");
        javaRoom.opened().get(30, TimeUnit.SECONDS);
        String before = page.eval("room3.rtc.localDescription.sdp.match(/a=ice-ufrag:(\\S+)/)[1]").asText();
        String javaBefore = javaRoom.connection().localDescription().sdp();

        page.eval("room3.rtc.restartIce(); true");
        assertEquals(true, page.waitFor("window.renegotiated", BOUND).asBoolean(), "negotiateCall round trip");
        assertEquals(1, page.eval("window.renegotiations").asInt());
        page.waitFor("room3.rtc.signalingState === 'stable' && room3.rtc.iceConnectionState === 'connected'"
                + " && room3.rtc.connectionState === 'connected'", BOUND);
        String after = page.eval("room3.rtc.localDescription.sdp.match(/a=ice-ufrag:(\\S+)/)[1]").asText();
        assertTrue(before.matches("[A-Za-z0-9+/]{4,256}") && after.matches("[A-Za-z0-9+/]{4,256}"), before + " " + after);
        assertTrue(!before.equals(after), "the page's ufrag changed: " + before + " -> " + after);
        assertTrue(!javaBefore.equals(javaRoom.connection().localDescription().sdp()), "Java answered with new credentials");
        assertEquals(5, page.eval("room3.request({ route: 'add', args: [2, 3] })").asInt());
        assertEquals("java: after", page.eval("room3.run('echo', 'after')").asText());
        assertEquals(dev.purertc.channel.PeerConnectionState.CONNECTED, javaRoom.connection().connectionState());
    }

    @Test
    void javaCallsTheGraphscriptPageWhichAnswersAsGraphscriptDoes() throws Exception {
        CdpPage page = graphscriptUser("gspage2");
        page.eval("webrtc.load({ triple: (x) => x * 3 }); true");
        CompletableFuture<Room> call = calls.call("gspage2", RoomOptions.builder().id("rtcjava1").build());
        // The offer arrives as receiveCallInformation and waits in graphscript's unanswered calls.
        JsonNode kept = page.waitFor("webrtc.unanswered['rtcjava1'] && { caller: webrtc.unanswered['rtcjava1'].caller,"
                + " type: JSON.parse(decodeURIComponent(webrtc.unanswered['rtcjava1'].description)).type }", BOUND);
        assertEquals("{\"caller\":\"javapeer\",\"type\":\"offer\"}", kept.toString());
        // graphscript's answerCall, then the answer and the page's candidates back to the caller as its examples send them.
        page.eval("(async () => {"
                + " const info = webrtc.unanswered['rtcjava1'];"
                + " info.config = { iceServers: [] };"
                + " info.onicecandidate = (ev) => { if (ev.candidate) socket.run('runConnection', [info.caller, 'runAll', ['receiveCallInformation',"
                + "   { _id: 'rtcjava1', candidates: { ['candidate' + Math.floor(Math.random() * 1e15)]: ev.candidate } }]]); };"
                + " const room = await webrtc.answerCall(info);"
                + " window.answered = room;"
                + " await socket.run('runConnection', [info.caller, 'run', ['answerPeer', ['rtcjava1',"
                + "   { description: encodeURIComponent(JSON.stringify(room.rtc.localDescription)), caller: 'gspage2', remoteId: socket._id }]]]);"
                + " return true; })()");
        Room room = call.get(30, TimeUnit.SECONDS);
        room.opened().get(30, TimeUnit.SECONDS);
        page.waitFor("answered.rtc.connectionState === 'connected' && answered.channels.data.readyState === 'open'", BOUND);
        assertEquals(1, page.awaitRemoteLoopbackHostCandidates("answered.rtc", BOUND), "Java's trickled candidate reached graphscript's connection");

        assertEquals(63, room.request(Map.of("route", "triple", "args", 21)).get(30, TimeUnit.SECONDS).asInt());
        assertEquals(12, room.run("triple", 4).get(30, TimeUnit.SECONDS).asInt());
        assertEquals(7, page.eval("answered.request({ route: 'add', args: [3, 4] })").asInt());
        assertEquals("java: callee", page.eval("answered.run('echo', 'callee')").asText());
        room.terminate();
        page.waitFor("answered.rtc.connectionState === 'closed' || answered.rtc.connectionState === 'failed'"
                + " || answered.rtc.connectionState === 'disconnected' || !webrtc.rtc['rtcjava1']", BOUND);
    }
}
