package dev.purertc.interop.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.purertc.channel.PeerConnectionState;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.examples.GraphscriptRoomService;
import dev.purertc.ice.HostAddressFilter;
import dev.purertc.interop.InteropMatrix;
import dev.purertc.rooms.Room;

/**
 * Runs the example {@code examples/graphscript-room} as its README says: {@link GraphscriptRoomService}
 * serves the page, and the page (graphscript 0.3.12's own WebRTCfrontend) calls the Java service and
 * uses its routes. Loopback-only candidates on the Java side, as every test here uses.
 */
@InteropMatrix(peer = "chromium", direction = "graphscript room example")
@Timeout(120)
class GraphscriptRoomExampleChromiumTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    private static Path exampleDirectory() throws Exception {
        Path classes = Path.of(GraphscriptRoomExampleChromiumTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        // interop-tests/target/test-classes -> the repository's examples/graphscript-room
        return classes.getParent().getParent().getParent().resolve("examples/graphscript-room");
    }

    @Test
    void theExamplePageCallsTheJavaServiceAndUsesItsRoutes() throws Exception {
        Assumptions.assumeTrue(CdpChromium.isInstalled(), "chromium is not installed (apt-get install -y chromium)");
        Path directory = exampleDirectory();
        Assumptions.assumeTrue(Files.isRegularFile(directory.resolve("node_modules/graphscript/dist/index.esm.js")),
                "graphscript is not installed: (cd examples/graphscript-room && npm ci)");
        RtcConfiguration loopback = RtcConfiguration.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly()).build();
        try (GraphscriptRoomService service = new GraphscriptRoomService(directory, 0, loopback);
             CdpChromium chromium = CdpChromium.launch()) {
            CdpPage page = chromium.open(service.pageUrl());
            String status = page.waitFor("['done', 'failed'].includes(document.getElementById('status').textContent)"
                    + " && document.getElementById('status').textContent", BOUND).asText();
            assertEquals("done", status, "page error: " + page.eval("document.getElementById('error').textContent").asText());
            assertEquals("5", page.eval("document.getElementById('add').textContent").asText());
            assertEquals("HELLO FROM GRAPHSCRIPT!", page.eval("document.getElementById('shout').textContent").asText());
            assertEquals("", page.eval("document.getElementById('error').textContent").asText());

            String loaded = page.eval("performance.getEntriesByType('resource')"
                    + ".map((e) => new URL(e.name).pathname).sort().join(' ')").asText();
            assertEquals("/graphscript.esm.js /signaling.json", loaded, "the page loaded only what the service serves");
            List<Room> rooms = List.copyOf(service.rooms().rooms().values());
            assertEquals(1, rooms.size(), "one room on the Java side: " + service.rooms().rooms().keySet());
            Room room = rooms.get(0);
            room.opened().get(30, TimeUnit.SECONDS);
            assertEquals(PeerConnectionState.CONNECTED, room.connection().connectionState());
            assertEquals("room-" + room.property("caller"), room.id(), "the page's room id names its caller");
        }
    }
}
