package dev.purertc.interop.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.ice.HostAddressFilter;
import dev.purertc.interop.InteropMatrix;
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
 * Issue 6 acceptance: PureRTC's browser module ({@code /purertc-signaling.js}: {@code SignalingClient},
 * {@code WebRtcRooms}, {@code callUser}, {@code answerCalls}) in headless Chromium against a Java room
 * behind {@link RoomSignaling}, calls placed from each side; request / run / subscribe / unsubscribe in
 * both directions with exact values; and the server's browser-facing limits (origin allow-list, frame
 * size) as a browser sees them.
 */
@InteropMatrix(peer = "chromium", direction = "JS rooms client")
@Timeout(120)
class RoomsJsClientChromiumTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    /** How soon the page's room must end after Java's room closes without a hangup signal. */
    private static final Duration PEER_CLOSE_BOUND = Duration.ofSeconds(5);
    private static final int MAX_FRAME = 64 * 1024;

    private static SignalingServer server;
    private static PeerConnectionFactory factory;
    private static ServiceRoutes routes;
    private static WebRtcRooms rooms;
    private static RoomSignaling signaling;
    private static SignalingClient client;
    private static CdpChromium chromium;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(CdpChromium.isInstalled(), "chromium is not installed (apt-get install -y chromium)");
        server = SignalingServer.start(SignalingServerOptions.builder().maxFrameBytes(MAX_FRAME)
                .staticResources(Map.of("/", "/dev/purertc/interop/rooms/js-rooms.html")).build());
        factory = new PeerConnectionFactory(1);
        routes = new ServiceRoutes();
        routes.remote("add", call -> call.arg(0, Double.class) + call.arg(1, Double.class));
        routes.remote("echo", String.class, text -> "java: " + text);
        routes.local("secret", call -> "never for remote callers");
        routes.topic("news");
        rooms = new WebRtcRooms(factory, RtcConfiguration.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly()).build(),
                routes);
        signaling = new RoomSignaling(rooms, call -> RoomOptions.builder().build());
        client = SignalingClient.connect(server.websocketUri(), SignalingClientOptions.builder(signaling).build())
                .get(30, TimeUnit.SECONDS);
        signaling.bind(client);
        client.register("java").get(30, TimeUnit.SECONDS);
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
                signaling.close();
                client.close();
                factory.close();
            }
            if (server != null) {
                server.close();
            }
        }
    }

    /** A tab registered as {@code user}, answering calls, with routes {@code double} and {@code greet}. */
    private static CdpPage pageUser(String user) throws Exception {
        CdpPage page = chromium.open(server.httpUri("/").toString());
        page.waitFor("window.ready === true", BOUND);
        assertTrue(page.eval("(async () => {"
                + " try { (await navigator.mediaDevices.getUserMedia({ audio: true })).getTracks().forEach((t) => t.stop()); } catch (e) {}"
                + " const s = await purertc.SignalingClient.connect(`ws://${location.host}/ws`);"
                + " await s.register('" + user + "');"
                + " const rooms = new purertc.WebRtcRooms({ iceServers: [] });"
                + " rooms.addRoute('double', (x) => x * 2);"
                + " rooms.addRoute('greet', (a, b) => `${a} and ${b}`);"
                + " window.pushes = [];"
                + " purertc.answerCalls(s, rooms, () => true, {});"
                + " window.signaling = s; window.rooms = rooms; return true; })()").asBoolean());
        return page;
    }

    private static final String OPEN = "(c) => new Promise((res) => c.readyState === 'open' ? res(true)"
            + " : c.addEventListener('open', () => res(true), { once: true }))";

    @Test
    void pageCallsJavaAndUsesItsRoutes() throws Exception {
        CdpPage page = pageUser("page-a");
        page.eval("(async () => { window.room = await purertc.callUser(signaling, rooms, 'java', {});"
                + " return (" + OPEN + ")(room.channels.data); })()");
        String roomId = page.eval("room._id").asText();
        Room javaRoom = rooms.room(roomId);
        assertTrue(javaRoom != null, "Java has the room the page opened: " + roomId);
        javaRoom.opened().get(30, TimeUnit.SECONDS);
        assertEquals(1, page.awaitRemoteLoopbackHostCandidates("room.rtc", BOUND), "Java's trickled candidate was applied");

        assertEquals("5", page.eval("room.request({ route: 'add', args: [2, 3] }).then(String)").asText());
        assertEquals("java: héllo \\\"quoted\\\"", page.eval("room.run('echo', 'héllo \\\\\"quoted\\\\\"')").asText());
        assertEquals("NOT_FOUND", page.eval("room.run('secret').then(() => 'answered', (e) => e.code)").asText(),
                "a local-only Java route is refused to the page");
        assertEquals("NOT_FOUND", page.eval("room.run('nosuchroute').then(() => 'answered', (e) => e.code)").asText());

        int sub = page.eval("room.subscribe('news', (v) => window.pushes.push(v))").asInt();
        assertTrue(sub >= 0, "subscription number " + sub);
        assertEquals(1, routes.publish("news", new TreeMap<>(Map.of("n", 1, "text", "first"))));
        assertEquals(1, routes.publish("news", new TreeMap<>(Map.of("n", 2, "text", "second"))));
        assertEquals("[{\"n\":1,\"text\":\"first\"},{\"n\":2,\"text\":\"second\"}]",
                page.waitFor("window.pushes.length === 2 && JSON.stringify(window.pushes)", BOUND).asText());
        assertTrue(page.eval("room.unsubscribe('news', " + sub + ")").asBoolean());
        assertEquals(0, routes.publish("news", Map.of("n", 3)), "Java no longer pushes to the page");
        assertEquals(false, page.eval("room.unsubscribe('news', " + sub + ")").asBoolean(), "a second unsubscribe finds nothing");
        assertEquals(2, page.eval("window.pushes.length").asInt());

        // Both sides count the same messages on the room's channel: the page's browser stats through the
        // module's room.getStats(), Java's through getStats(), with the same W3C names.
        java.util.List<String> javaCounts = javaRoom.connection().getStats().get(10, TimeUnit.SECONDS)
                .ofType("data-channel").stream()
                .map(x -> x.getLong("dataChannelIdentifier") + ":" + x.getLong("messagesReceived") + "/" + x.getLong("messagesSent"))
                .sorted().toList();
        String expected = javaCounts.stream().map(c -> "\"" + c + "\"").toList().toString().replace(", ", ",");
        // Chromium refreshes its data-channel counters a moment after the messages (its stats are cached):
        // ask again, bounded, until they settle on Java's figures.
        String pageStats = "room.getStats().then((r) => { const m = {}; for (const s of r.values()) {"
                + " if (s.type === 'data-channel') m[s.dataChannelIdentifier] = s.messagesSent + '/' + s.messagesReceived; }"
                + " return JSON.stringify(Object.keys(m).sort().map((k) => k + ':' + m[k])); })";
        String pageCounts = page.eval(pageStats).asText();
        for (long deadline = System.nanoTime() + 10_000_000_000L; !pageCounts.equals(expected) && System.nanoTime() < deadline; ) {
            Thread.sleep(100); // polling: getStats has no change event
            pageCounts = page.eval(pageStats).asText();
        }
        assertEquals(expected, pageCounts, "per stream id, what the page sent Java received and the other way round");
        assertTrue(javaCounts.stream().anyMatch(c -> !c.endsWith(":0/0")), "messages were counted: " + javaCounts);
        page.eval("room.terminate()");
        javaRoom.closed().get(30, TimeUnit.SECONDS);
    }

    @Test
    void javaCallsThePageAndUsesItsRoutes() throws Exception {
        CdpPage page = pageUser("page-b");
        Room room = signaling.call("page-b", RoomOptions.builder().build()).get(30, TimeUnit.SECONDS);
        room.opened().get(30, TimeUnit.SECONDS);
        page.waitFor("rooms.rooms['" + room.id() + "'] && rooms.rooms['" + room.id() + "'].channels.data"
                + " && rooms.rooms['" + room.id() + "'].channels.data.readyState === 'open'", BOUND);
        assertEquals(1, page.awaitRemoteLoopbackHostCandidates("rooms.rooms['" + room.id() + "'].rtc", BOUND),
                "Java's trickled candidate was applied (RoomSignaling.call holds early candidates until the call went out)");

        JsonNode doubled = room.request(Map.of("route", "double", "args", 21)).get(30, TimeUnit.SECONDS);
        assertTrue(doubled.isIntegralNumber(), doubled.toString());
        assertEquals(42, doubled.asInt());
        assertEquals("salt and pepper", room.run("greet", List.of("salt", "pepper")).get(30, TimeUnit.SECONDS).asText());

        List<JsonNode> pushes = new CopyOnWriteArrayList<>();
        int sub = room.subscribe("double", pushes::add).get(30, TimeUnit.SECONDS);
        assertTrue(sub > 0, "subscription number " + sub);
        assertEquals(1, page.eval("rooms.subscriptions.get('double').size").asInt());
        // The page's route runs locally and publishes its output to subscribers (graphscript's node output).
        assertEquals(10, page.eval("rooms.runRoute('double', 5)").asInt());
        assertEquals(14, page.eval("rooms.runRoute('double', 7)").asInt());
        // A round trip on the same ordered channel: every push sent before its reply has arrived.
        assertEquals("a and b", room.run("greet", List.of("a", "b")).get(30, TimeUnit.SECONDS).asText());
        assertEquals("[10, 14]", pushes.toString());

        assertEquals(Boolean.TRUE, room.unsubscribe("double", sub).get(30, TimeUnit.SECONDS));
        assertEquals(0, page.eval("rooms.subscriptions.get('double').size").asInt());
        assertEquals(16, page.eval("rooms.runRoute('double', 8)").asInt());
        assertEquals("c and d", room.run("greet", List.of("c", "d")).get(30, TimeUnit.SECONDS).asText());
        assertEquals("[10, 14]", pushes.toString(), "no push after unsubscribe");
        // A bare terminate() (no hangup signal): the page's room ends on the association's ABORT, not when
        // its connection fails after consent runs out (15 s and more).
        room.terminate();
        page.waitFor("!rooms.rooms['" + room.id() + "']", PEER_CLOSE_BOUND);
    }

    /** The ufrag of a room's local description in force on the page. */
    private static String pageUfrag(CdpPage page, String room) {
        return page.eval("/^a=ice-ufrag:(\\S+)/m.exec(" + room + ".rtc.localDescription.sdp)[1]").asText();
    }

    private static String javaUfrag(Room room) {
        return room.connection().localDescription().sdp().replaceAll("(?s).*a=ice-ufrag:([^\r\n]*).*", "$1");
    }

    /** Waits until Java's room has a local ufrag other than {@code old}, signaling stable. */
    private static void awaitJavaUfragChange(Room room, String old) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (room.connection().signalingState() != dev.purertc.channel.SignalingState.STABLE
                || javaUfrag(room).equals(old)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Java's room " + room.id() + " kept ufrag " + old + " for " + BOUND);
            }
            Thread.sleep(20); // polling: the room has no description event
        }
    }

    /**
     * Issue 12: renegotiation in PureRTC's dialect between the browser module and Java ({@code description}
     * messages through the relay): {@code restartIce()} on the page's room renegotiates by itself, and so does
     * {@code restartIce()} on Java's; both get new credentials each time and the room goes on. The page's
     * callee room is polite: fed {@code disconnected} it leaves the restart to the caller.
     */
    @Test
    void restartIceOnEitherSideRenegotiatesThroughTheRelayByItself() throws Exception {
        CdpPage page = pageUser("page-ice1");
        Room room = signaling.call("page-ice1", RoomOptions.builder().build()).get(30, TimeUnit.SECONDS);
        room.opened().get(30, TimeUnit.SECONDS);
        String r = "rooms.rooms['" + room.id() + "']";
        page.waitFor(r + " && " + r + ".channels.data && " + r + ".channels.data.readyState === 'open'", BOUND);
        assertEquals(true, page.eval(r + ".polite").asBoolean());
        assertEquals(false, page.eval("purertc.restartIceIfDisconnected(" + r + ", 'disconnected', signaling)").asBoolean(),
                "the polite callee leaves the restart to the caller");

        String pageBefore = pageUfrag(page, r);
        String javaBefore = javaUfrag(room);
        room.connection().restartIce();
        awaitJavaUfragChange(room, javaBefore);
        page.waitFor(r + ".rtc.signalingState === 'stable' && /^a=ice-ufrag:(\\S+)/m.exec(" + r
                + ".rtc.localDescription.sdp)[1] !== '" + pageBefore + "'", BOUND);
        assertEquals("salt and pepper", room.run("greet", List.of("salt", "pepper")).get(30, TimeUnit.SECONDS).asText());

        String pageSecond = pageUfrag(page, r);
        String javaSecond = javaUfrag(room);
        page.eval(r + ".rtc.restartIce(); true");
        page.waitFor(r + ".rtc.signalingState === 'stable' && /^a=ice-ufrag:(\\S+)/m.exec(" + r
                + ".rtc.localDescription.sdp)[1] !== '" + pageSecond + "'", BOUND);
        awaitJavaUfragChange(room, javaSecond);
        assertEquals(42, room.request(Map.of("route", "double", "args", 21)).get(30, TimeUnit.SECONDS).asInt());
        page.waitFor(r + ".rtc.connectionState === 'connected'", BOUND);
        assertEquals(dev.purertc.channel.PeerConnectionState.CONNECTED, room.connection().connectionState());
        signaling.hangup(room.id());
        page.waitFor("!" + r, BOUND);
    }

    /**
     * Glare between the page and Java in PureRTC's dialect: Java (the caller, impolite) holds an offer of its
     * own when the page's restart offer comes, so Java ignores it; the page's offer, never answered, is rolled
     * back after 10 s. The room goes on.
     */
    @Test
    void anOfferTheImpoliteJavaCallerIgnoresIsRolledBackByThePage() throws Exception {
        CdpPage page = pageUser("page-ice3");
        Room room = signaling.call("page-ice3", RoomOptions.builder().build()).get(30, TimeUnit.SECONDS);
        room.opened().get(30, TimeUnit.SECONDS);
        String r = "rooms.rooms['" + room.id() + "']";
        page.waitFor(r + " && " + r + ".channels.data && " + r + ".channels.data.readyState === 'open'", BOUND);
        String pageBefore = pageUfrag(page, r);
        var javaPc = room.connection();
        javaPc.setLocalDescription(javaPc.createOffer().get(10, TimeUnit.SECONDS)).get(10, TimeUnit.SECONDS);

        page.eval("window.sigStates = []; " + r + ".rtc.addEventListener('signalingstatechange',"
                + " () => sigStates.push(" + r + ".rtc.signalingState)); " + r + ".rtc.restartIce(); true");
        long sent = System.nanoTime();
        assertEquals("[\"have-local-offer\",\"stable\"]", page.waitFor("sigStates.length >= 2"
                + " && JSON.stringify(sigStates.slice(0, 2))", Duration.ofSeconds(30)).asText());
        assertTrue(System.nanoTime() - sent >= TimeUnit.SECONDS.toNanos(9), "rolled back after about 10 s");
        assertEquals(pageBefore, pageUfrag(page, r), "the rolled-back offer's credentials are not in force");
        assertEquals(dev.purertc.channel.SignalingState.HAVE_LOCAL_OFFER, javaPc.signalingState());

        javaPc.setLocalDescription(dev.purertc.channel.RTCSessionDescription.rollback()).get(10, TimeUnit.SECONDS);
        assertEquals("stable", page.eval(r + ".rtc.signalingState").asText());
        assertEquals(pageBefore, pageUfrag(page, r));
        assertEquals("salt and pepper", room.run("greet", List.of("salt", "pepper")).get(30, TimeUnit.SECONDS).asText());
        signaling.hangup(room.id());
        page.waitFor("!" + r, BOUND);
    }

    /**
     * Issue 12: the page's room restarts ICE by itself. The page calls Java; then every UDP datagram to the port
     * Java's side of the pair uses is dropped (nftables in this test's namespace), so consent fails both ways
     * and the page's connection becomes {@code disconnected}. The page, the impolite caller, restarts ICE
     * through the relay; Java answers from a new generation on new sockets, the path moves there, and the
     * room, its channel and its routes go on.
     */
    @Test
    void thePagesRoomRestartsIceByItselfWhenItsPathIsBlocked() throws Exception {
        dev.purertc.interop.NftRuleset.assumeInstalled();
        CdpPage page = pageUser("page-ice2");
        page.eval("(async () => { window.room = await purertc.callUser(signaling, rooms, 'java', {});"
                + " window.states = []; room.rtc.addEventListener('connectionstatechange',"
                + " () => states.push(room.rtc.connectionState));"
                + " return (" + OPEN + ")(room.channels.data); })()");
        assertEquals(false, page.eval("room.polite").asBoolean());
        Room javaRoom = rooms.room(page.eval("room._id").asText());
        javaRoom.opened().get(30, TimeUnit.SECONDS);
        assertEquals("5", page.eval("room.request({ route: 'add', args: [2, 3] }).then(String)").asText());
        long javaPort = javaRoom.connection().getStats().get(10, TimeUnit.SECONDS).get("CL").orElseThrow().getLong("port");
        String pageBefore = pageUfrag(page, "room");
        String javaBefore = javaUfrag(javaRoom);

        try (var block = dev.purertc.interop.NftRuleset.apply("ip", "purertc_block_pair",
                "chain out { type filter hook output priority 0; udp dport " + javaPort + " drop; }")) {
            page.waitFor("states.includes('disconnected')", Duration.ofSeconds(60));
            page.waitFor("room.rtc.connectionState === 'connected' && room.rtc.signalingState === 'stable'"
                    + " && /^a=ice-ufrag:(\\S+)/m.exec(room.rtc.localDescription.sdp)[1] !== '" + pageBefore + "'",
                    Duration.ofSeconds(60));
            awaitJavaUfragChange(javaRoom, javaBefore);
            assertEquals("9", page.eval("room.request({ route: 'add', args: [4, 5] }).then(String)").asText());
            long javaPortAfter = javaRoom.connection().getStats().get(10, TimeUnit.SECONDS).get("CL").orElseThrow()
                    .getLong("port");
            assertTrue(javaPortAfter != javaPort, "the path moved off the blocked port " + javaPort);
        }
        assertEquals(dev.purertc.channel.PeerConnectionState.CONNECTED, javaRoom.connection().connectionState());
        page.eval("room.terminate()");
        javaRoom.closed().get(30, TimeUnit.SECONDS);
    }

    /** Issue 12: the page's module answers the built-in ping and echo, and pushes only the subscribed key of a route. */
    @Test
    void javaUsesThePagesBuiltInRoutesAndAKeySubscription() throws Exception {
        CdpPage page = pageUser("page-k");
        Room room = signaling.call("page-k", RoomOptions.builder().build()).get(30, TimeUnit.SECONDS);
        room.opened().get(30, TimeUnit.SECONDS);
        page.waitFor("rooms.rooms['" + room.id() + "'] && rooms.rooms['" + room.id() + "'].channels.data"
                + " && rooms.rooms['" + room.id() + "'].channels.data.readyState === 'open'", BOUND);
        assertEquals("\"pong\"", room.run("ping", null).get(30, TimeUnit.SECONDS).toString());
        assertEquals("[1,\"two\",{\"3\":true}]",
                room.run("echo", List.of(1, "two", Map.of("3", true))).get(30, TimeUnit.SECONDS).toString());
        assertEquals("[\"solo\"]", room.run("echo", "solo").get(30, TimeUnit.SECONDS).toString());

        List<JsonNode> scores = new CopyOnWriteArrayList<>();
        int sub = room.subscribe("player", scores::add, null, "score", null, null).get(30, TimeUnit.SECONDS);
        page.eval("rooms.publishKey('player', 'score', 10); rooms.publishKey('player', 'name', 'bob');"
                + " rooms.publish('player', { score: 11, name: 'ann' }); rooms.publish('player', 'no key in it'); true");
        // A round trip on the same ordered channel: every push sent before its reply has arrived.
        assertEquals("\"pong\"", room.run("ping", null).get(30, TimeUnit.SECONDS).toString());
        assertEquals("[10, 11]", scores.toString());
        assertEquals(Boolean.TRUE, room.unsubscribe("player", sub).get(30, TimeUnit.SECONDS));

        // Asked for by name, the page's ondata takes service messages and its engine answers none.
        page.eval("(() => { const r = rooms.rooms['" + room.id() + "']; window.taken = [];"
                + " r.ondata = (ev) => taken.push(ev.data); r.ondataTakesServiceMessages = true; return true; })()");
        room.post("greet", List.of("x", "y"), null);
        room.send("plain");
        assertEquals("[\"{\\\"route\\\":\\\"greet\\\",\\\"args\\\":[\\\"x\\\",\\\"y\\\"]}\",\"plain\"]",
                page.waitFor("taken.length === 2 && JSON.stringify(taken)", BOUND).asText());
        room.terminate();
        page.waitFor("!rooms.rooms['" + room.id() + "']", BOUND);
    }

    /**
     * A third user who learnt the room id sends the page every room signal (renegotiation offer included) for
     * Java's call to it: the
     * browser module acts only on the peer bound to the room, so the call goes on, her call reusing the
     * id is refused as room-in-use, and her candidate draws no STUN check to the port she chose.
     */
    @Test
    void aThirdUserCannotEndTakeOverOrRedirectThePagesCall() throws Exception {
        CdpPage page = pageUser("page-d");
        Room room = signaling.call("page-d", RoomOptions.builder().build()).get(30, TimeUnit.SECONDS);
        room.opened().get(30, TimeUnit.SECONDS);
        String id = room.id();
        assertTrue(id.matches("rtc[0-9a-f]{32}"), id);
        page.waitFor("rooms.rooms['" + id + "'] && rooms.rooms['" + id + "'].channels.data"
                + " && rooms.rooms['" + id + "'].channels.data.readyState === 'open'", BOUND);
        java.util.concurrent.BlockingQueue<JsonNode> malloryIn = new java.util.concurrent.LinkedBlockingQueue<>();
        SignalingClient mallory = SignalingClient.connect(server.websocketUri(), SignalingClientOptions.builder(
                new dev.purertc.signaling.SignalingListener() {
                    @Override
                    public void onMessage(dev.purertc.signaling.SignalingMessage m) {
                        malloryIn.add(m.json());
                    }

                    @Override
                    public void onClose(int statusCode, String reason) {
                    }
                }).build()).get(30, TimeUnit.SECONDS);
        try (java.net.DatagramSocket trap = new java.net.DatagramSocket(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0))) {
            mallory.register("mallory").get(30, TimeUnit.SECONDS);
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            com.fasterxml.jackson.databind.node.ObjectNode candidate = json.createObjectNode().put("room", id);
            candidate.putObject("candidate").put("candidate", "candidate:1 1 udp 2130706431 127.0.0.1 "
                    + trap.getLocalPort() + " typ host").put("sdpMid", "0").put("sdpMLineIndex", 0);
            mallory.send("page-d", "candidate", candidate).get(30, TimeUnit.SECONDS);
            mallory.send("page-d", "hangup", json.createObjectNode().put("room", id)).get(30, TimeUnit.SECONDS);
            mallory.send("page-d", "reject", json.createObjectNode().put("room", id)).get(30, TimeUnit.SECONDS);
            com.fasterxml.jackson.databind.node.ObjectNode call = json.createObjectNode().put("room", id);
            call.set("description", dev.purertc.rooms.GraphscriptJson.descriptionJson(room.localDescription()));
            // A renegotiation offer from her would be answered to her ("description") before the reject below.
            mallory.send("page-d", "description", call.deepCopy()).get(30, TimeUnit.SECONDS);
            mallory.send("page-d", "call", call).get(30, TimeUnit.SECONDS);
            JsonNode refusal = malloryIn.poll(30, TimeUnit.SECONDS);
            assertTrue(refusal != null, "the page answered the reused room id");
            assertEquals("reject", refusal.get("type").asText());
            assertEquals("page-d", refusal.get("from").asText());
            assertEquals("room-in-use", refusal.get("reason").asText());

            trap.setSoTimeout(3000);
            org.junit.jupiter.api.Assertions.assertThrows(java.net.SocketTimeoutException.class,
                    () -> trap.receive(new java.net.DatagramPacket(new byte[1500], 1500)),
                    "a STUN check reached the port the third user chose");
            assertEquals("java", page.eval("rooms.rooms['" + id + "'].peer").asText());
            assertEquals("salt and pepper", room.run("greet", List.of("salt", "pepper")).get(30, TimeUnit.SECONDS).asText());
            assertTrue(!room.closed().isDone());
        } finally {
            mallory.close();
        }
        signaling.hangup(id);
        page.waitFor("!rooms.rooms['" + id + "']", BOUND);
    }

    /**
     * The server keeps a freed user id for its last holder: a reloaded tab registers its id again with
     * the secret the module kept in sessionStorage, while another tab is refused with user-reserved.
     */
    @Test
    void aReloadedTabGetsItsUserIdBackAndAnotherTabCannotTakeIt() throws Exception {
        CdpPage tab = pageUser("page-r");
        // Mark the old document: until the reload has replaced it, its window.ready is still true.
        tab.eval("window.beforeReload = true; location.reload(); true");
        tab.waitFor("window.ready === true && window.beforeReload === undefined", BOUND);
        assertEquals("page-r", tab.eval("(async () => { const s = await purertc.SignalingClient.connect(`ws://${location.host}/ws`);"
                + " await s.register('page-r'); window.signaling = s; return s.user; })()").asText());
        CdpPage other = chromium.open(server.httpUri("/").toString());
        other.waitFor("window.ready === true", BOUND);
        tab.eval("signaling.close()");
        assertEquals("user-reserved", other.eval("(async () => { const s = await purertc.SignalingClient.connect(`ws://${location.host}/ws`);"
                + " try { await s.register('page-r'); return 'registered'; } catch (e) { return e.code; } })()").asText());
    }

    /**
     * A page of another origin (another port) cannot open the WebSocket of a server with the default
     * same-origin policy; it can once its origin is on the allow-list.
     */
    @Test
    void aPageOfAnotherOriginCannotOpenTheWebSocketUnlessAllowListed() throws Exception {
        CdpPage page = chromium.open(server.httpUri("/").toString());
        page.waitFor("window.ready === true", BOUND);
        String pageOrigin = "http://127.0.0.1:" + server.localAddress().getPort();
        try (SignalingServer sameOrigin = SignalingServer.start(SignalingServerOptions.defaults());
             SignalingServer allowing = SignalingServer.start(SignalingServerOptions.builder()
                     .allowedOrigins(Set.of(pageOrigin)).build())) {
            JsonNode r = page.eval("new Promise((res) => { const ws = new WebSocket('" + sameOrigin.websocketUri() + "');"
                    + " const seen = []; ws.onopen = () => seen.push('open'); ws.onerror = () => seen.push('error');"
                    + " ws.onclose = (e) => res({ seen, code: e.code, wasClean: e.wasClean }); })");
            assertEquals("[\"error\"]", r.get("seen").toString());
            assertEquals(1006, r.get("code").asInt(), "handshake refused (403): abnormal closure");
            assertEquals(false, r.get("wasClean").asBoolean());
            assertEquals(0, sameOrigin.connectionCount());
            // The browser module reports it as a failed connect.
            assertEquals("failed", page.eval("purertc.SignalingClient.connect('" + sameOrigin.websocketUri()
                    + "').then(() => 'connected', (e) => 'failed')").asText());
            assertEquals("connected", page.eval("purertc.SignalingClient.connect('" + allowing.websocketUri()
                    + "').then((c) => { c.close(); return 'connected'; }, (e) => 'failed')").asText());
        }
    }

    /** Opens a socket to {@code server}, sends one register frame whose id has {@code idChars} characters after the greeting. */
    private static JsonNode sendOneFrame(CdpPage page, int idChars) {
        return page.eval("new Promise((res) => { const ws = new WebSocket(`ws://${location.host}/ws`);"
                + " const got = []; ws.onmessage = (m) => { const msg = JSON.parse(m.data); got.push(msg.route || msg.type);"
                + "   if (got.length === 1) ws.send(JSON.stringify({ type: 'register', user: 'big', id: 'x'.repeat(" + idChars + ") }));"
                + "   else ws.close(); };"
                + " ws.onclose = (e) => res({ got, code: e.code }); })");
    }

    @Test
    void frameOverTheLimitClosesTheBrowsersSocketWith1009() throws Exception {
        // The smallest limit, and a frame that arrives in one read of the server's socket.
        try (SignalingServer small = SignalingServer.start(SignalingServerOptions.builder().maxFrameBytes(1024)
                .staticResources(Map.of("/", "/dev/purertc/interop/rooms/js-rooms.html")).build())) {
            CdpPage page = chromium.open(small.httpUri("/").toString());
            page.waitFor("window.ready === true", BOUND);
            int overhead = "{\"type\":\"register\",\"user\":\"big\",\"id\":\"\"}".length();
            JsonNode over = sendOneFrame(page, 1025 - overhead);
            assertEquals("[\"setId\"]", over.get("got").toString(), "the greeting arrived, no answer to the big frame");
            assertEquals(1009, over.get("code").asInt());
            assertTrue(!small.users().contains("big"), "the oversized register changed nothing");
            JsonNode fits = sendOneFrame(page, 1024 - overhead);
            assertEquals("[\"setId\",\"registered\"]", fits.get("got").toString(), "exactly the limit is accepted");
        }
    }

    /**
     * A frame far over the limit (64 KiB + 1): refused, nothing registered, the connection closed. Chromium
     * sees 1009 in most runs and 1006 in some: Netty's WebSocketServerProtocolHandler closes the channel as
     * soon as the decoder reports the violation, right after the 1009 close frame was written, while most of
     * the frame is still unread; the kernel then resets the connection and Chromium may drop the close frame.
     * (Delaying the close until the peer answered made Chromium report 1006 every time in a quick trial, so
     * the race is left documented, not fixed.) A frame that arrives whole (the 1 KiB test) gets 1009 always.
     */
    @Test
    void frameFarOverTheLimitIsRefused() throws Exception {
        CdpPage page = chromium.open(server.httpUri("/").toString());
        page.waitFor("window.ready === true", BOUND);
        JsonNode r = sendOneFrame(page, MAX_FRAME + 1);
        assertEquals("[\"setId\"]", r.get("got").toString(), "the greeting arrived, no answer to the big frame");
        int code = r.get("code").asInt();
        assertTrue(code == 1009 || code == 1006, "closed by the server after refusing the frame: " + code);
        assertTrue(!server.users().contains("big"), "the oversized register changed nothing");
    }
}
