package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ConsentRecoveryTest {

    @Test
    void pathThatGoesDarkIsDisconnectedAndRecoversWhenConsentResponsesReturn() throws Exception {
        IceOptions options = IceOptions.builder()
                .hostAddresses(HostAddressFilter.ipv4LoopbackOnly())
                .consentInterval(Duration.ofMillis(200))
                .disconnectedTimeout(Duration.ofMillis(1000))
                .consentTimeout(Duration.ofSeconds(60))
                .build();
        AgentPair.Side a = new AgentPair.Side();
        AgentPair.Side b = new AgentPair.Side();
        try (PausableUdpRelay relay = new PausableUdpRelay();
             IceAgent x = IceAgent.create(options, IceRole.CONTROLLING, a);
             IceAgent y = IceAgent.create(options, IceRole.CONTROLLED, b)) {
            x.setRemoteCredentials(y.localCredentials());
            y.setRemoteCredentials(x.localCredentials());
            x.startGathering();
            y.startGathering();
            relay.connect(portOf(a.localCandidates.get(0)), portOf(b.localCandidates.get(0)));
            // Each side only knows the relay's address for the other: every packet crosses the relay.
            x.addRemoteCandidate("candidate:1 1 udp 2122260223 127.0.0.1 " + relay.addressForA().getPort()
                    + " typ host");
            y.addRemoteCandidate("candidate:1 1 udp 2122260223 127.0.0.1 " + relay.addressForB().getPort()
                    + " typ host");
            a.awaitState(IceConnectionState.CONNECTED);
            b.awaitState(IceConnectionState.CONNECTED);
            assertEquals(relay.addressForA(), x.selectedPair().remote());
            // CONNECTED comes with the first valid pair; consent runs on the pair ICE then selects.
            assertTrue(AgentPair.eventually(x, agent -> agent.lastConsentMillis() > 0, Duration.ofSeconds(20)),
                    "no consent response on the selected pair");

            relay.pause(true);
            a.awaitState(IceConnectionState.DISCONNECTED, Duration.ofSeconds(20));
            relay.pause(false);
            int disconnectedAt = a.states.indexOf(IceConnectionState.DISCONNECTED);
            assertTrue(AgentPair.eventually(a, s -> s.states.lastIndexOf(IceConnectionState.CONNECTED) > disconnectedAt
                    || s.states.lastIndexOf(IceConnectionState.COMPLETED) > disconnectedAt, Duration.ofSeconds(20)),
                    a.states.toString());
            assertFalse(a.states.contains(IceConnectionState.FAILED), a.states.toString());

            BlockingQueue<byte[]> atY = new LinkedBlockingQueue<>();
            y.transport().setReceiver((data, off, len, src) -> {
                byte[] c = new byte[len];
                System.arraycopy(data, off, c, 0, len);
                atY.add(c);
            });
            byte[] dtls = {23, 42};
            x.transport().send(dtls, 0, dtls.length);
            assertArrayEquals(dtls, atY.poll(20, TimeUnit.SECONDS));
        }
    }

    private static InetSocketAddress portOf(String hostCandidate) {
        String[] f = hostCandidate.split(" ");
        return new InetSocketAddress(f[4], Integer.parseInt(f[5]));
    }

}
