package dev.purertc.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The page driver's HTTP server without a browser: commands out through /poll, events in through /out. */
class DriverPageServerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void serverConnectionsUseTcpNoDelay() throws Exception {
        try (DriverPageServer ignored = new DriverPageServer(json, m -> { })) {
            // read by the JDK when its first HttpServer starts; without it every response waits ~40 ms for a delayed ACK
            assertEquals("true", System.getProperty(DriverPageServer.NODELAY_PROPERTY));
        }
    }

    @Test
    void queuedCommandsReachThePollAndOutBatchesReachTheSinkInOrder() throws Exception {
        List<JsonNode> sunk = new CopyOnWriteArrayList<>();
        try (DriverPageServer server = new DriverPageServer(json, sunk::add)) {
            ObjectNode first = json.createObjectNode().put("id", 1).put("cmd", "createOffer");
            ObjectNode second = json.createObjectNode().put("id", 2).put("cmd", "createAnswer");
            server.enqueue(first);
            server.enqueue(second);
            String base = server.pageUrl().replace("/driver.html", "");
            HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

            HttpResponse<String> poll = http.send(HttpRequest.newBuilder(URI.create(base + "/poll")).timeout(TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, poll.statusCode());
            assertEquals("[{\"id\":1,\"cmd\":\"createOffer\"},{\"id\":2,\"cmd\":\"createAnswer\"}]", poll.body());

            HttpResponse<String> out = http.send(HttpRequest.newBuilder(URI.create(base + "/out")).timeout(TIMEOUT)
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("[{\"kind\":\"reply\",\"id\":1},{\"kind\":\"event\",\"type\":\"ready\"}]"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, out.statusCode());
            assertEquals("[{\"kind\":\"reply\",\"id\":1},{\"kind\":\"event\",\"type\":\"ready\"}]", json.writeValueAsString(sunk));
        }
    }
}
