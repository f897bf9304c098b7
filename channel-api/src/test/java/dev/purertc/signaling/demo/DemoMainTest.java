package dev.purertc.signaling.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

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

import org.junit.jupiter.api.Test;

/**
 * The demo's Java side, driven by a Java peer doing what the page does (the page itself is for the
 * headless-Chromium tests in interop-tests): page served, chat, request/run, ticks, file + SHA-256.
 */
class DemoMainTest {

    private static final long WAIT_S = 30;

    @Test
    void thePageIsServedAndTheJavaPeerAnswersEverythingThePageDoes() throws Exception {
        try (DemoMain.Demo demo = DemoMain.Demo.start(0)) {
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(demo.server.httpUri("/"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("content-type").orElseThrow());
            assertTrue(page.body().contains("import { SignalingClient, WebRtcRooms, callUser, answerCalls } from '/purertc-signaling.js'"));

            PeerConnectionFactory factory = new PeerConnectionFactory(1);
            WebRtcRooms rooms = new WebRtcRooms(factory, RtcConfiguration.builder()
                    .hostAddresses(HostAddressFilter.ipv4LoopbackOnly()).build(), new ServiceRoutes());
            RoomSignaling signaling = new RoomSignaling(rooms, call -> null);
            SignalingClient client = SignalingClient.connect(demo.server.websocketUri(),
                    SignalingClientOptions.builder(signaling).build()).get(WAIT_S, TimeUnit.SECONDS);
            try {
                signaling.bind(client);
                client.register("browser1").get(WAIT_S, TimeUnit.SECONDS);
                Room room = signaling.call(DemoMain.JAVA_PEER, RoomOptions.builder().id("demo1")
                        .channel("data").channel("file").build()).get(WAIT_S, TimeUnit.SECONDS);
                room.opened().get(WAIT_S, TimeUnit.SECONDS);
                RTCDataChannel file = room.channelOpen("file").get(WAIT_S, TimeUnit.SECONDS);

                assertEquals("\"javapeer got \\\"hello\\\"\"", room.run("chat", "hello").get(WAIT_S, TimeUnit.SECONDS).toString());
                assertEquals(5.0, room.request(java.util.Map.of("route", "add", "args", List.of(2, 3)))
                        .get(WAIT_S, TimeUnit.SECONDS).asDouble());
                assertTrue(room.run("time", null).get(WAIT_S, TimeUnit.SECONDS).asText().endsWith("Z"));

                BlockingQueue<JsonNode> ticks = new LinkedBlockingQueue<>();
                int sub = room.subscribe("ticks", ticks::add).get(WAIT_S, TimeUnit.SECONDS);
                JsonNode first = ticks.poll(WAIT_S, TimeUnit.SECONDS);
                JsonNode second = ticks.poll(WAIT_S, TimeUnit.SECONDS);
                assertEquals(first.get("n").asLong() + 1, second.get("n").asLong());
                assertTrue(room.unsubscribe("ticks", sub).get(WAIT_S, TimeUnit.SECONDS));

                byte[] bytes = new byte[300_000];
                new Random(7).nextBytes(bytes);
                String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
                assertEquals("true", room.run("fileStart", List.of("x.bin", bytes.length)).get(WAIT_S, TimeUnit.SECONDS).toString());
                for (int off = 0; off < bytes.length; off += 16384) {
                    file.send(java.util.Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + 16384)));
                }
                JsonNode done = room.run("fileDone", List.of("x.bin", bytes.length, hex)).get(WAIT_S, TimeUnit.SECONDS);
                assertEquals(bytes.length, done.get("bytes").asLong());
                assertEquals(hex, done.get("sha256").asText());
                assertTrue(done.get("match").asBoolean());
            } finally {
                rooms.close();
                signaling.close();
                client.close();
                factory.close();
            }
        }
    }
}
