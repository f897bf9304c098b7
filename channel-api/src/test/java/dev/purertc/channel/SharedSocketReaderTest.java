package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.purertc.ice.mux.SharedUdpReader;

/**
 * {@link RtcConfiguration.Builder#sharedSocketReader(boolean)}: 50 client connections, each with its own
 * socket and port, read by the client factory's one {@link SharedUdpReader} thread instead of an ice4j
 * reader thread each, against a server factory on one UDP port; every channel echoes.
 */
class SharedSocketReaderTest {

    private static final int CONNECTIONS = 50;

    @Test
    void fiftyClientConnectionsEchoWithOneReaderThreadAndASocketEach() throws Exception {
        ThreadCensus census = new ThreadCensus();
        RtcConfiguration clientConfig = Peer.loopback().sharedSocketReader(true).build();
        RtcConfiguration serverConfig = Peer.loopback().udpMux(0).build();
        CountDownLatch echoes = new CountDownLatch(CONNECTIONS);
        AtomicInteger wrong = new AtomicInteger();
        List<Peer> clients = new ArrayList<>();
        try (PeerConnectionFactory clientFactory = new PeerConnectionFactory(2);
             PeerConnectionFactory serverFactory = new PeerConnectionFactory(2)) {
            assertNull(clientFactory.sharedUdpReader(), "opened at the first connection that needs it");
            for (int i = 0; i < CONNECTIONS; i++) {
                Peer client = Signaling.create(clientFactory, clientConfig);
                Peer server = Signaling.create(serverFactory, serverConfig);
                server.remoteChannelListener = new RTCDataChannelListener() {
                    @Override
                    public void onMessage(RTCDataChannel channel, String text) {
                        channel.send("echo:" + text);
                    }
                };
                String label = "pc-" + i;
                RTCDataChannel channel = client.pc.createDataChannel(label);
                channel.setListener(new RTCDataChannelListener() {
                    @Override
                    public void onOpen(RTCDataChannel c) {
                        c.send(label);
                    }

                    @Override
                    public void onMessage(RTCDataChannel c, String text) {
                        if (!text.equals("echo:" + label)) {
                            wrong.incrementAndGet();
                        }
                        echoes.countDown();
                    }
                });
                Signaling.negotiate(client, server);
                clients.add(client);
            }
            assertTrue(echoes.await(60, TimeUnit.SECONDS), echoes.getCount() + " echoes missing");
            assertEquals(0, wrong.get());
            SharedUdpReader reader = clientFactory.sharedUdpReader();
            assertEquals(CONNECTIONS, reader.openSockets(), "one socket per client connection (127.0.0.1 only)");
            assertEquals(0, UdpMuxScale.threadsNamed("IceConnector@"), "no ice4j reader thread on either side");
            assertEquals(2, UdpMuxScale.threadsNamed("purertc-udpread-"), "the reader and its STUN thread");
            assertNull(serverFactory.sharedUdpReader(), "a udpMux configuration opens no shared reader");

            // A closed connection's socket is closed (agents are released on the factory's pool: poll, bounded).
            clients.get(0).pc.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (reader.openSockets() != CONNECTIONS - 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(CONNECTIONS - 1, reader.openSockets());
        }
        Set<String> left = census.awaitNoNewThreads(Duration.ofSeconds(30));
        assertEquals(Set.of(), left, "threads left after both factories closed");
    }
}
