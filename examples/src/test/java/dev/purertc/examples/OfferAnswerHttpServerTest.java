package dev.purertc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.purertc.channel.IceGatheringState;
import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.PeerConnectionListener;
import dev.purertc.channel.RTCDataChannel;
import dev.purertc.channel.RTCDataChannelInit;
import dev.purertc.channel.RTCDataChannelListener;
import dev.purertc.channel.RTCPeerConnection;
import dev.purertc.channel.RTCSessionDescription;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.ice.HostAddressFilter;
import org.junit.jupiter.api.Test;

/** One POST each way: a Java client's complete offer, the server's complete answer, then an echo. */
class OfferAnswerHttpServerTest {

    private static final RtcConfiguration LOOPBACK =
            RtcConfiguration.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly()).build();

    @Test
    void aCompleteOfferPostedOnceGetsACompleteAnswerAndAnEcho() throws Exception {
        try (OfferAnswerHttpServer server = new OfferAnswerHttpServer(
                     new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), LOOPBACK);
             PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            CountDownLatch gathered = new CountDownLatch(1);
            RTCPeerConnection client = factory.createPeerConnection(LOOPBACK, new PeerConnectionListener() {
                @Override
                public void onIceGatheringStateChange(IceGatheringState state) {
                    if (state == IceGatheringState.COMPLETE) {
                        gathered.countDown();
                    }
                }
            });
            BlockingQueue<String> echoes = new LinkedBlockingQueue<>();
            CountDownLatch open = new CountDownLatch(1);
            client.createDataChannel("echo", RTCDataChannelInit.defaults(), new RTCDataChannelListener() {
                @Override
                public void onOpen(RTCDataChannel c) {
                    open.countDown();
                    c.send("over one POST");
                }

                @Override
                public void onMessage(RTCDataChannel c, String text) {
                    echoes.add(text);
                }
            });
            client.setLocalDescription(client.createOffer().get(10, TimeUnit.SECONDS)).get(10, TimeUnit.SECONDS);
            assertTrue(gathered.await(10, TimeUnit.SECONDS), "client gathering complete");

            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/offer"))
                            .POST(HttpRequest.BodyPublishers.ofString(client.localDescription().sdp())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, response.statusCode(), response.body());
            assertEquals("application/sdp", response.headers().firstValue("Content-Type").orElse(""));
            assertTrue(response.body().contains("a=candidate:") && response.body().contains("a=end-of-candidates"),
                    response.body());

            client.setRemoteDescription(new RTCSessionDescription(RTCSessionDescription.Type.ANSWER, response.body()))
                    .get(10, TimeUnit.SECONDS);
            assertTrue(open.await(30, TimeUnit.SECONDS), "channel open without any addIceCandidate");
            assertEquals("over one POST", echoes.poll(30, TimeUnit.SECONDS));
            client.close();
        }
    }

    @Test
    void aBodyOverTheLimitOrNotAnOfferIsRefused() throws Exception {
        try (OfferAnswerHttpServer server = new OfferAnswerHttpServer(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), LOOPBACK)) {
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/offer");
            HttpResponse<String> big = http.send(HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.ofString("v".repeat(OfferAnswerHttpServer.MAX_BODY_BYTES + 1))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(413, big.statusCode());
            HttpResponse<String> junk = http.send(HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.ofString("not sdp")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, junk.statusCode());
            assertTrue(junk.body().startsWith("offer refused: "), junk.body());
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, get.statusCode());
        }
    }
}
