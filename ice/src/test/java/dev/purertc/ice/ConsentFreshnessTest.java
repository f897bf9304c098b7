package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class ConsentFreshnessTest {

    private static IceOptions fastConsent() {
        return IceOptions.builder()
                .hostAddresses(HostAddressFilter.ipv4LoopbackOnly())
                .consentInterval(Duration.ofMillis(200))
                // Generous against a loaded CI machine: a live peer answers every ~200 ms, so a
                // 2.5 s silence only happens once it is gone.
                .disconnectedTimeout(Duration.ofMillis(2500))
                .consentTimeout(Duration.ofMillis(5000))
                .build();
    }

    @Test
    void peerThatVanishesIsReportedDisconnectedThenFailed() throws Exception {
        // ice4j reads consent settings from process-wide configuration; an agent built first with the
        // 2 s default must not leave its settings to the fast agents below.
        IceAgent.create(IceOptions.defaults(), IceRole.CONTROLLING, new IceAgentListener() { }).close();
        AgentPair.Side a = new AgentPair.Side();
        AgentPair.Side b = new AgentPair.Side();
        IceAgent survivor = IceAgent.create(fastConsent(), IceRole.CONTROLLING, a);
        IceAgent vanishing = IceAgent.create(fastConsent(), IceRole.CONTROLLED, b);
        try {
            survivor.startGathering();
            vanishing.startGathering();
            survivor.setRemoteCredentials(vanishing.localCredentials());
            vanishing.setRemoteCredentials(survivor.localCredentials());
            AgentPair.feed(vanishing, a.localCandidates);
            AgentPair.feed(survivor, b.localCandidates);
            a.awaitState(IceConnectionState.CONNECTED);
            b.awaitState(IceConnectionState.CONNECTED);

            // Consent responses keep arriving at this agent's own pace while the peer lives. At 200 ms
            // (randomised 160-240 ms) two more responses follow the first within about 0.5 s; at the
            // 2 s default they could not come within 3.2 s. Bound: 3 s.
            long first = awaitConsentAfter(survivor, 0);
            long second = awaitConsentAfter(survivor, first);
            long third = awaitConsentAfter(survivor, second);
            assertTrue(third > second && second > first);
            assertTrue(third - first < 3000, "consent responses " + (third - first) + " ms apart for two intervals");
            assertFalse(a.states.contains(IceConnectionState.DISCONNECTED), a.states.toString());

            vanishing.close();   // sockets gone: consent requests go unanswered from now on

            a.awaitState(IceConnectionState.DISCONNECTED, Duration.ofSeconds(10));
            a.awaitState(IceConnectionState.FAILED, Duration.ofSeconds(10));
            int disconnected = a.states.indexOf(IceConnectionState.DISCONNECTED);
            int failed = a.states.indexOf(IceConnectionState.FAILED);
            assertTrue(disconnected < failed, a.states.toString());
            assertEquals(IceConnectionState.FAILED, survivor.state());
            // RFC 7675 §5.1: no more data on a pair without consent.
            IOException refused = assertThrows(IOException.class, () -> survivor.transport().send(new byte[] {23}, 0, 1));
            assertTrue(refused.getMessage().startsWith("RFC 7675 consent expired"), refused.getMessage());
        } finally {
            survivor.close();
            vanishing.close();
        }
    }

    private static long awaitConsentAfter(IceAgent agent, long after) throws InterruptedException {
        assertTrue(AgentPair.eventually(agent, x -> x.lastConsentMillis() > after, Duration.ofSeconds(5)),
                "no consent response after " + after);
        return agent.lastConsentMillis();
    }
}
