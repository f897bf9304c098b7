package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** 100 peer connections at once between two factories in one JVM, each echoing messages. */
class ManyConnectionsTest {

    private static final int CONNECTIONS = 100;
    private static final int MESSAGES = 20;
    private static final int WAVE = 20;

    @Test
    void hundredConnectionsEchoMessagesThenAllCloseCleanly() throws Exception {
        warmUp();
        ThreadCensus census = new ThreadCensus();
        long heapBefore = usedHeapAfterGc();
        int threadsBefore = Thread.activeCount();

        PeerConnectionFactory offerers = new PeerConnectionFactory(2);
        PeerConnectionFactory answerers = new PeerConnectionFactory(2);
        RtcConfiguration config = Peer.loopback().build();
        List<Peer> as = new ArrayList<>();
        List<Peer> bs = new ArrayList<>();
        List<RTCDataChannel> channels = new ArrayList<>();
        List<AtomicBoolean> openFlags = new ArrayList<>();
        CountDownLatch opened = new CountDownLatch(CONNECTIONS);
        CountDownLatch echoed = new CountDownLatch(CONNECTIONS * MESSAGES);
        AtomicInteger wrongEchoes = new AtomicInteger();
        RTCDataChannelListener echo = new RTCDataChannelListener() {
            @Override
            public void onMessage(RTCDataChannel channel, String text) {
                channel.send("echo:" + text);
            }
        };

        long setupStart = System.nanoTime();
        for (int i = 0; i < CONNECTIONS; i++) {
            Peer a = Signaling.create(offerers, config);
            Peer b = Signaling.create(answerers, config);
            b.remoteChannelListener = echo;
            String label = "pc-" + i;
            AtomicBoolean isOpen = new AtomicBoolean();
            openFlags.add(isOpen);
            RTCDataChannel channel = a.pc.createDataChannel(label);
            channel.setListener(new RTCDataChannelListener() {
                @Override
                public void onOpen(RTCDataChannel c) {
                    isOpen.set(true);
                    opened.countDown();
                }

                @Override
                public void onMessage(RTCDataChannel c, String text) {
                    if (!text.startsWith("echo:" + label + "#")) {
                        wrongEchoes.incrementAndGet();
                    }
                    echoed.countDown();
                }
            });
            Signaling.negotiate(a, b);
            as.add(a);
            bs.add(b);
            channels.add(channel);
            if ((i + 1) % WAVE == 0) {
                // Pace set-ups so 2 cores are not asked for 200 handshakes at once.
                long expectedOpen = CONNECTIONS - (i + 1);
                assertTrue(awaitCount(opened, expectedOpen, Duration.ofSeconds(60)),
                        "only " + (CONNECTIONS - opened.getCount()) + " channels open after wave " + (i + 1) / WAVE
                                + "; not open:" + notOpen(as, bs, openFlags));
            }
        }
        assertTrue(opened.await(60, TimeUnit.SECONDS),
                opened.getCount() + " channels never opened:" + notOpen(as, bs, openFlags));
        double setupSeconds = (System.nanoTime() - setupStart) / 1e9;

        for (int m = 0; m < MESSAGES; m++) {
            for (RTCDataChannel c : channels) {
                c.send(c.label() + "#" + m);
            }
        }
        assertTrue(echoed.await(60, TimeUnit.SECONDS), echoed.getCount() + " echoes missing");
        assertEquals(0, wrongEchoes.get());
        assertEquals(CONNECTIONS, offerers.openConnections());
        assertEquals(CONNECTIONS, answerers.openConnections());

        int threadsDuring = Thread.activeCount();
        long heapDuring = usedHeapAfterGc();
        System.out.printf("%d connection pairs: set up in %.1f s; threads %d -> %d (%.2f per connection, both ends); "
                        + "heap %.1f MiB -> %.1f MiB (%.1f KiB per connection, both ends)%n",
                CONNECTIONS, setupSeconds, threadsBefore, threadsDuring,
                (threadsDuring - threadsBefore) / (2.0 * CONNECTIONS),
                heapBefore / 1048576.0, heapDuring / 1048576.0,
                (heapDuring - heapBefore) / 1024.0 / (2.0 * CONNECTIONS));

        for (int i = 0; i < CONNECTIONS; i++) {
            as.get(i).pc.close();
            bs.get(i).pc.close();
        }
        assertEquals(0, offerers.openConnections());
        assertEquals(0, answerers.openConnections());
        for (Peer a : as) {
            assertEquals(PeerConnectionState.CLOSED, a.pc.connectionState());
        }
        offerers.close();
        answerers.close();
        Set<String> left = census.awaitNoNewThreads(Duration.ofSeconds(30));
        assertEquals(Set.of(), left, "threads left after closing 100 connections");
    }

    /** Where each connection whose channel is not open stands, offerer and answerer. */
    private static String notOpen(List<Peer> as, List<Peer> bs, List<AtomicBoolean> open) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < as.size(); i++) {
            if (!open.get(i).get()) {
                b.append("\n  pc-").append(i).append(": offerer ").append(as.get(i).pc.transportStates())
                        .append(" | answerer ").append(bs.get(i).pc.transportStates());
            }
        }
        return b.toString();
    }

    private static boolean awaitCount(CountDownLatch latch, long count, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (latch.getCount() > count) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10); // CountDownLatch has no "wait until count <= n"
        }
        return true;
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Starts ice4j's process-wide pools before the thread baseline. */
    private static void warmUp() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            a.pc.createDataChannel("warm-up");
            Signaling.negotiate(a, b);
            a.awaitState(PeerConnectionState.CONNECTED);
            b.awaitState(PeerConnectionState.CONNECTED);
        }
    }
}
