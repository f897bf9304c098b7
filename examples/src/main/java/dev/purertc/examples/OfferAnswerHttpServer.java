package dev.purertc.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.purertc.channel.IceGatheringState;
import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.PeerConnectionListener;
import dev.purertc.channel.PeerConnectionState;
import dev.purertc.channel.RTCDataChannel;
import dev.purertc.channel.RTCDataChannelListener;
import dev.purertc.channel.RTCPeerConnection;
import dev.purertc.channel.RTCSessionDescription;
import dev.purertc.channel.RtcConfiguration;

/**
 * Signaling in one HTTP request, as WHIP-style servers do: a client POSTs its complete offer (every
 * candidate in it) to {@code /offer} and receives the complete answer in the response. No WebSocket,
 * no trickle. Every data channel the client opens echoes what it receives.
 *
 * <p>Run: {@code mvn -q -pl examples exec:java -Dexec.mainClass=dev.purertc.examples.OfferAnswerHttpServer
 * -Dexec.args=8081}, then POST an offer to {@code http://127.0.0.1:8081/offer}.
 *
 * <p>Limits, as for anything reachable from a network: bodies over 64 KiB are refused (413), at most
 * {@value #MAX_CONNECTIONS} connections live at once (503 beyond), a connection that has not
 * connected 30 s after its answer is closed, and the server binds loopback unless told otherwise.
 */
public final class OfferAnswerHttpServer implements AutoCloseable {

    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_CONNECTIONS = 100;
    private static final long GATHERING_SECONDS = 10;
    private static final long CONNECT_SECONDS = 30;

    private final PeerConnectionFactory factory = new PeerConnectionFactory();
    private final RtcConfiguration configuration;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private final ExecutorService handlers = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor();
    private final HttpServer http;

    public OfferAnswerHttpServer(InetSocketAddress address, RtcConfiguration configuration) throws IOException {
        this.configuration = configuration;
        this.http = HttpServer.create(address, 64);
        http.createContext("/offer", this::handle);
        http.setExecutor(handlers);
        http.start();
    }

    /** The port the server listens on. */
    public int port() {
        return http.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                reply(exchange, 405, "POST an SDP offer");
                return;
            }
            byte[] body = readAtMost(exchange.getRequestBody(), MAX_BODY_BYTES);
            if (body == null) {
                reply(exchange, 413, "an offer is at most " + MAX_BODY_BYTES + " bytes");
                return;
            }
            if (!slots.tryAcquire()) {
                reply(exchange, 503, "too many connections");
                return;
            }
            try {
                reply(exchange, 201, answer(new String(body, StandardCharsets.UTF_8)));
            } catch (Exception e) {
                slots.release();
                reply(exchange, 400, "offer refused: " + e.getMessage());
            }
        }
    }

    /** Answers {@code offerSdp} with a description that carries every candidate. */
    private String answer(String offerSdp) throws Exception {
        CountDownLatch gathered = new CountDownLatch(1);
        RTCPeerConnection[] pc = new RTCPeerConnection[1];
        pc[0] = factory.createPeerConnection(configuration, new PeerConnectionListener() {
            private boolean released;

            @Override
            public void onIceGatheringStateChange(IceGatheringState state) {
                if (state == IceGatheringState.COMPLETE) {
                    gathered.countDown();
                }
            }

            @Override
            public void onDataChannel(RTCDataChannel channel) {
                channel.setListener(new RTCDataChannelListener() {
                    @Override
                    public void onMessage(RTCDataChannel c, String text) {
                        c.send(text);
                    }

                    @Override
                    public void onMessage(RTCDataChannel c, byte[] data) {
                        c.send(data);
                    }
                });
            }

            @Override
            public void onConnectionStateChange(PeerConnectionState state) {
                if ((state == PeerConnectionState.CLOSED || state == PeerConnectionState.FAILED) && !released) {
                    released = true;
                    slots.release();
                    pc[0].close();
                }
            }
        });
        try {
            pc[0].setRemoteDescription(new RTCSessionDescription(RTCSessionDescription.Type.OFFER, offerSdp))
                    .get(GATHERING_SECONDS, TimeUnit.SECONDS);
            pc[0].setLocalDescription(pc[0].createAnswer().get(GATHERING_SECONDS, TimeUnit.SECONDS))
                    .get(GATHERING_SECONDS, TimeUnit.SECONDS);
            if (!gathered.await(GATHERING_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gathering did not complete in " + GATHERING_SECONDS + " s");
            }
        } catch (Exception e) {
            pc[0].close();
            throw e;
        }
        // A client that never connects does not hold a slot for good.
        timeouts.schedule(() -> {
            if (pc[0].connectionState() != PeerConnectionState.CONNECTED) {
                pc[0].close();
            }
        }, CONNECT_SECONDS, TimeUnit.SECONDS);
        return pc[0].localDescription().sdp();
    }

    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        byte[] body = in.readNBytes(limit + 1);
        return body.length > limit ? null : body;
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status == 201 ? "application/sdp" : "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        http.stop(0);
        handlers.shutdownNow();
        timeouts.shutdownNow();
        factory.close();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8081;
        OfferAnswerHttpServer server = new OfferAnswerHttpServer(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), RtcConfiguration.defaults());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("POST an SDP offer to http://127.0.0.1:" + server.port() + "/offer");
        Thread.currentThread().join();
    }
}
