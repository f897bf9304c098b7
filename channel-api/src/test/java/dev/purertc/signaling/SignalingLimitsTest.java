package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

/** Server limits: handshake timeout, idle timeout with ping/pong, connection caps, users per connection. */
class SignalingLimitsTest {

    private static void await(String what, long timeoutMillis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeoutMillis + " ms: " + what);
            }
            Thread.sleep(10);
        }
    }

    private static SignalingClient client(SignalingServer server) throws Exception {
        return SignalingClient.connect(server.websocketUri(),
                SignalingClientOptions.builder(new RecordingListener()).build()).get(10, TimeUnit.SECONDS);
    }

    @Test
    void halfOpenUpgradesAndSilentSocketsAreDroppedAfterTheHandshakeTimeout() throws Exception {
        long timeoutMillis = 1000;
        int halfOpen = 500;
        int silent = 50;
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.builder()
                .handshakeTimeout(Duration.ofMillis(timeoutMillis))
                .maxConnections(1000).maxConnectionsPerAddress(1000).build())) {
            List<RawTcp> sockets = new ArrayList<>();
            long start = System.nanoTime();
            try {
                String host = "127.0.0.1:" + server.localAddress().getPort();
                for (int i = 0; i < halfOpen; i++) {
                    RawTcp s = new RawTcp(server.localAddress());
                    s.send(RawTcp.upgrade(host, null, false)); // the request never ends
                    sockets.add(s);
                }
                for (int i = 0; i < silent; i++) {
                    sockets.add(new RawTcp(server.localAddress())); // TCP only, not a byte sent
                }
                // A WebSocket client that completes its handshake is not affected.
                SignalingClient ok = client(server);
                ok.register("alice").get(10, TimeUnit.SECONDS);

                int closed = 0;
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis + 15_000);
                for (RawTcp s : sockets) { // one deadline for all: bounded even when nothing closes
                    long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                    RawTcp.Outcome o = s.readUntilClosed(left);
                    if (o.closedByPeer() && o.bytes().length == 0) {
                        closed++;
                    }
                }
                long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals(halfOpen + silent, closed, "sockets the server closed without answering");
                assertTrue(elapsedMillis >= timeoutMillis, "closed before the handshake timeout: " + elapsedMillis);
                await("only the WebSocket left", 10_000, () -> server.socketCount() == 1);
                assertEquals(1, server.connectionCount());
                assertEquals(Set.of("alice"), server.users());
                ok.close();
            } finally {
                for (RawTcp s : sockets) {
                    s.close();
                }
            }
        }
    }

    /** Opcodes of the unmasked server frames in {@code bytes} (RFC 6455 §5.2), and the close status if any. */
    private static List<String> frames(byte[] bytes) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i + 2 <= bytes.length) {
            int opcode = bytes[i] & 0x0f;
            int len = bytes[i + 1] & 0x7f;
            int header = 2;
            if (len == 126) {
                len = ((bytes[i + 2] & 0xff) << 8) | (bytes[i + 3] & 0xff);
                header = 4;
            }
            if (i + header + len > bytes.length) {
                break;
            }
            String name = switch (opcode) {
                case 0x1 -> "text";
                case 0x8 -> "close " + (len >= 2 ? ((bytes[i + header] & 0xff) << 8 | (bytes[i + header + 1] & 0xff)) : "");
                case 0x9 -> "ping";
                default -> "opcode " + opcode;
            };
            out.add(name);
            i += header + len;
        }
        return out;
    }

    @Test
    void aConnectionThatAnswersNothingIsClosedAfterTheIdleTimeoutAndOneThatAnswersPingsStays() throws Exception {
        long idleMillis = 1200;
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.builder()
                .idleTimeout(Duration.ofMillis(idleMillis)).pingInterval(Duration.ofMillis(300)).build())) {
            // The JDK's WebSocket answers every ping with a pong by itself.
            try (RawSocket alive = new RawSocket(server.websocketUri());
                 RawTcp dead = new RawTcp(server.localAddress())) {
                alive.send("{\"type\":\"register\",\"user\":\"alive\"}");
                assertTrue(alive.next().startsWith("{\"type\":\"registered\",\"user\":\"alive\""));
                // The project's own client (Netty answers pings) sends nothing after registering either.
                RecordingListener quietEvents = new RecordingListener();
                SignalingClient quiet = SignalingClient.connect(server.websocketUri(),
                        SignalingClientOptions.builder(quietEvents).build()).get(10, TimeUnit.SECONDS);
                quiet.register("quiet").get(10, TimeUnit.SECONDS);

                long start = System.nanoTime();
                dead.send(RawTcp.upgrade("127.0.0.1:" + server.localAddress().getPort(), null, true));
                assertTrue(dead.readResponseHead(10_000).startsWith("HTTP/1.1 101"));
                // The 101 may arrive before the server has counted the connection (it does so once the 101 is written).
                await("the raw connection is open", 10_000, () -> server.connectionCount() == 3);
                // From here the raw socket neither reads nor sends: no pong ever comes back.
                await("the silent connection is closed", idleMillis + 10_000, () -> server.connectionCount() == 2);
                long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(elapsedMillis >= idleMillis, "closed after " + elapsedMillis + " ms");
                RawTcp.Outcome o = dead.readUntilClosed(10_000);
                assertTrue(o.closedByPeer());
                List<String> frames = frames(o.bytes());
                assertEquals("text", frames.get(0), "the setId greeting: " + frames);
                assertTrue(frames.subList(1, frames.size() - 1).stream().allMatch("ping"::equals), frames.toString());
                assertTrue(frames.size() >= 4, "pings before the close: " + frames);
                assertEquals("close 1001", frames.get(frames.size() - 1));

                // Meanwhile the connections that answered pings (and sent nothing else) are still here, well
                // past the idle timeout.
                await("several pings answered", 10_000, () -> alive.pings.get() >= 6);
                assertFalse(alive.closed.isDone());
                assertFalse(quiet.closeFuture().isDone());
                assertEquals(Set.of("alive", "quiet"), server.users());
                quiet.send("alive", "message", null).get(10, TimeUnit.SECONDS);
                assertEquals("{\"type\":\"message\",\"from\":\"quiet\",\"to\":\"alive\"}", alive.next());
                quiet.close();
                alive.send("{\"type\":\"message\",\"to\":\"nobody\",\"id\":1}");
                assertEquals("{\"type\":\"error\",\"code\":\"unknown-user\",\"message\":\"no user nobody\",\"id\":1}",
                        alive.next());
            }
        }
    }

    @Test
    void connectionCapsInAllAndPerAddressAreEnforcedFromAccept() throws Exception {
        InetAddress second = InetAddress.getByName("127.0.0.2");
        InetAddress third = InetAddress.getByName("127.0.0.3");
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.builder()
                .maxConnections(6).maxConnectionsPerAddress(4)
                .handshakeTimeout(Duration.ofSeconds(60)).build())) {
            List<SignalingClient> clients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                clients.add(client(server));
            }
            // The fifth from 127.0.0.1 is refused at once (a 503 and the socket closed, well before the
            // 60 s handshake timeout), through the client API and on a raw socket alike.
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> SignalingClient.connect(server.websocketUri(),
                            SignalingClientOptions.builder(new RecordingListener()).build()).get(10, TimeUnit.SECONDS));
            assertFalse(refused.getCause() instanceof java.util.concurrent.TimeoutException, refused.toString());
            try (RawTcp fifth = new RawTcp(server.localAddress())) {
                RawTcp.Outcome o = fifth.readUntilClosed(10_000);
                assertTrue(o.closedByPeer());
                assertTrue(o.text().isEmpty() || o.text().startsWith("HTTP/1.1 503"), o.text());
            }
            assertEquals(4, server.socketCount());

            // Two more from another address fill the total (held before any handshake: they count too) ...
            try (RawTcp a = new RawTcp(server.localAddress(), second);
                 RawTcp b = new RawTcp(server.localAddress(), second)) {
                await("six sockets held", 10_000, () -> server.socketCount() == 6);
                // ... so a third address is refused at once as well.
                try (RawTcp c = new RawTcp(server.localAddress(), third)) {
                    RawTcp.Outcome o = c.readUntilClosed(10_000);
                    assertTrue(o.closedByPeer(), "not refused");
                }
                assertEquals(6, server.socketCount());
            }
            // Closing frees the slots: the per-address cap admits one more from 127.0.0.1 after a close.
            await("the raw sockets released", 10_000, () -> server.socketCount() == 4);
            clients.remove(0).close();
            await("one client released", 10_000, () -> server.socketCount() == 3);
            SignalingClient again = client(server);
            again.register("again").get(10, TimeUnit.SECONDS);
            assertEquals(4, server.connectionCount());
            again.close();
            clients.forEach(SignalingClient::close);
        }
    }

    @Test
    void aSecondRegisterOnOneConnectionIsRefusedByDefaultAndTheLimitIsConfigurable() throws Exception {
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.defaults())) {
            SignalingClient c = client(server);
            c.register("alice").get(10, TimeUnit.SECONDS);
            ExecutionException e = assertThrows(ExecutionException.class, () -> c.register("bob").get(10, TimeUnit.SECONDS));
            assertEquals(SignalingErrorCode.ALREADY_REGISTERED, assertInstanceOf(SignalingException.class, e.getCause()).code());
            assertEquals(Set.of("alice"), server.users());
            c.register("alice").get(10, TimeUnit.SECONDS); // the same id again is harmless
            c.close();
        }
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.builder()
                .maxUsersPerConnection(2).build())) {
            RecordingListener lc = new RecordingListener();
            SignalingClient two = client(server);
            SignalingClient carol = SignalingClient.connect(server.websocketUri(),
                    SignalingClientOptions.builder(lc).build()).get(10, TimeUnit.SECONDS);
            carol.register("carol").get(10, TimeUnit.SECONDS);
            two.register("alice").get(10, TimeUnit.SECONDS);
            two.register("bob").get(10, TimeUnit.SECONDS);
            ExecutionException e = assertThrows(ExecutionException.class, () -> two.register("dave").get(10, TimeUnit.SECONDS));
            assertEquals(SignalingErrorCode.ALREADY_REGISTERED, ((SignalingException) e.getCause()).code());
            assertEquals(Set.of("alice", "bob", "carol"), server.users());
            ObjectNode asBob = SignalingJson.object();
            asBob.put("from", "bob");
            two.send("carol", "message", asBob).get(10, TimeUnit.SECONDS);
            two.send("carol", "message", null).get(10, TimeUnit.SECONDS);
            assertEquals("{\"type\":\"message\",\"from\":\"bob\",\"to\":\"carol\"}", lc.next());
            assertEquals("{\"type\":\"message\",\"from\":\"alice\",\"to\":\"carol\"}", lc.next());
            two.close();
            await("both ids freed", 10_000, () -> server.users().equals(Set.of("carol")));
            carol.close();
        }
    }
}
