package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * RFC 8445 §12.1: data may flow on a valid pair before a pair is selected. With every nominating check
 * (USE-CANDIDATE) dropped, both agents still become CONNECTED on their first valid pair and DTLS-range
 * datagrams cross both ways; once nominations pass again, ICE selects that pair and consent runs on it.
 */
class DataBeforeNominationTest {

    /** STUN USE-CANDIDATE (RFC 8445 §16.1). */
    private static final int USE_CANDIDATE = 0x0025;

    @Test
    void firstValidPairCarriesDataUntilNominationCompletes() throws Exception {
        IceOptions options = IceOptions.builder()
                .hostAddresses(HostAddressFilter.ipv4LoopbackOnly())
                .consentInterval(Duration.ofMillis(200))
                .build();
        AgentPair.Side a = new AgentPair.Side();
        AgentPair.Side b = new AgentPair.Side();
        AtomicInteger nominationsDropped = new AtomicInteger();
        try (PausableUdpRelay relay = new PausableUdpRelay();
             IceAgent x = IceAgent.create(options, IceRole.CONTROLLING, a);
             IceAgent y = IceAgent.create(options, IceRole.CONTROLLED, b)) {
            relay.dropTowardsB(datagram -> {
                boolean nomination = isBindingRequestWith(datagram, USE_CANDIDATE);
                if (nomination) {
                    nominationsDropped.incrementAndGet();
                }
                return nomination;
            });
            x.setRemoteCredentials(y.localCredentials());
            y.setRemoteCredentials(x.localCredentials());
            x.startGathering();
            y.startGathering();
            relay.connect(portOf(a.localCandidates.get(0)), portOf(b.localCandidates.get(0)));
            x.addRemoteCandidate("candidate:1 1 udp 2122260223 127.0.0.1 " + relay.addressForA().getPort() + " typ host");
            y.addRemoteCandidate("candidate:1 1 udp 2122260223 127.0.0.1 " + relay.addressForB().getPort() + " typ host");
            a.awaitState(IceConnectionState.CONNECTED);
            b.awaitState(IceConnectionState.CONNECTED);
            assertTrue(AgentPair.eventually(nominationsDropped, n -> n.get() > 0, Duration.ofSeconds(20)),
                    "the controlling agent never nominated");
            assertEquals(0, x.lastConsentMillis(), "no pair may be selected while nominations are dropped");
            assertEquals(0, y.lastConsentMillis());
            assertEquals(relay.addressForA(), x.selectedPair().remote());
            assertEquals(relay.addressForB(), y.selectedPair().remote());

            BlockingQueue<byte[]> atX = received(x);
            BlockingQueue<byte[]> atY = received(y);
            byte[] toY = {22, 1, 2, 3};
            byte[] toX = {23, 4, 5};
            x.transport().send(toY, 0, toY.length);
            y.transport().send(toX, 0, toX.length);
            assertArrayEquals(toY, atY.poll(20, TimeUnit.SECONDS));
            assertArrayEquals(toX, atX.poll(20, TimeUnit.SECONDS));
            assertNull(atY.poll(0, TimeUnit.SECONDS));

            relay.dropTowardsB(datagram -> false);
            assertTrue(AgentPair.eventually(x, agent -> agent.lastConsentMillis() > 0, Duration.ofSeconds(20)),
                    "ICE never selected the pair once nominations passed");
            assertTrue(AgentPair.eventually(y, agent -> agent.lastConsentMillis() > 0, Duration.ofSeconds(20)));
            assertTrue(!a.states.contains(IceConnectionState.FAILED) && !b.states.contains(IceConnectionState.FAILED),
                    a.states + " / " + b.states);
        }
    }

    private static BlockingQueue<byte[]> received(IceAgent agent) {
        BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
        agent.transport().setReceiver((data, off, len, src) -> {
            byte[] copy = new byte[len];
            System.arraycopy(data, off, copy, 0, len);
            queue.add(copy);
        });
        return queue;
    }

    /** A STUN Binding request (RFC 5389 §6) carrying attribute {@code type}. */
    static boolean isBindingRequestWith(byte[] d, int type) {
        if (d.length < 20 || d[0] != 0 || d[1] != 1 || (d[4] & 0xff) != 0x21 || (d[5] & 0xff) != 0x12
                || (d[6] & 0xff) != 0xa4 || (d[7] & 0xff) != 0x42) {
            return false;
        }
        int i = 20;
        while (i + 4 <= d.length) {
            int t = ((d[i] & 0xff) << 8) | (d[i + 1] & 0xff);
            int len = ((d[i + 2] & 0xff) << 8) | (d[i + 3] & 0xff);
            if (t == type) {
                return true;
            }
            i += 4 + ((len + 3) & ~3);
        }
        return false;
    }

    private static InetSocketAddress portOf(String hostCandidate) {
        String[] f = hostCandidate.split(" ");
        return new InetSocketAddress(f[4], Integer.parseInt(f[5]));
    }
}
