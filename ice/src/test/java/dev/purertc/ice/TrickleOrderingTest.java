package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class TrickleOrderingTest {

    @Test
    void remoteCandidatesBeforeRemoteCredentialsAreBufferedThenUsed() throws Exception {
        AgentPair.Side a = new AgentPair.Side();
        AgentPair.Side b = new AgentPair.Side();
        try (IceAgent x = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, a);
             IceAgent y = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLED, b)) {
            x.startGathering();
            y.startGathering();
            // Both sides learn the peer's candidates before its credentials (the answer is late).
            for (String line : b.localCandidates) {
                assertEquals(IceAgent.RemoteCandidateOutcome.BUFFERED, x.addRemoteCandidate(line));
            }
            for (String line : a.localCandidates) {
                assertEquals(IceAgent.RemoteCandidateOutcome.BUFFERED, y.addRemoteCandidate(line));
            }
            assertEquals(IceConnectionState.NEW, x.state());
            x.setRemoteCredentials(y.localCredentials());
            y.setRemoteCredentials(x.localCredentials());
            a.awaitState(IceConnectionState.CONNECTED);
            b.awaitState(IceConnectionState.CONNECTED);
            assertEquals(x.selectedPair().remote(), y.selectedPair().local());
            // ice4j ends checking after its termination delay: the state moves on to COMPLETED.
            a.awaitState(IceConnectionState.COMPLETED);
            assertEquals(List.of(IceConnectionState.CHECKING, IceConnectionState.CONNECTED,
                    IceConnectionState.COMPLETED), a.states);
        }
    }

    @Test
    void candidatesBeforeLocalGatheringAreBufferedAndTheAddedOutcomeFollowsOnceRunning() throws Exception {
        AgentPair.Side a = new AgentPair.Side();
        AgentPair.Side b = new AgentPair.Side();
        try (IceAgent x = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLED, a);
             IceAgent y = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, b)) {
            y.startGathering();
            x.setRemoteCredentials(y.localCredentials());
            for (String line : b.localCandidates) {
                // x has credentials but no component yet: buffered, not dropped.
                assertEquals(IceAgent.RemoteCandidateOutcome.BUFFERED, x.addRemoteCandidate(line));
            }
            x.startGathering();
            y.setRemoteCredentials(x.localCredentials());
            for (String line : a.localCandidates) {
                assertEquals(IceAgent.RemoteCandidateOutcome.ADDED, y.addRemoteCandidate(line));
            }
            a.awaitState(IceConnectionState.CONNECTED);
            b.awaitState(IceConnectionState.CONNECTED);
        }
    }

    @Test
    void endOfCandidatesIsEmittedLocallyAndHonouredForRemoteCandidates() throws Exception {
        AgentPair.Side a = new AgentPair.Side();
        AgentPair.Side b = new AgentPair.Side();
        try (IceAgent x = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, a);
             IceAgent y = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLED, b)) {
            x.startGathering();
            y.startGathering();
            assertTrue(a.endOfCandidates.await(20, TimeUnit.SECONDS));
            x.setRemoteCredentials(y.localCredentials());
            y.setRemoteCredentials(x.localCredentials());
            // The empty candidate ends y's view of x's list at once: x's real candidate comes too late.
            assertEquals(IceAgent.RemoteCandidateOutcome.IGNORED_AFTER_END_OF_CANDIDATES, y.addRemoteCandidate(""));
            assertEquals(IceAgent.RemoteCandidateOutcome.IGNORED_AFTER_END_OF_CANDIDATES,
                    y.addRemoteCandidate(a.localCandidates.get(0)));
            // x still gets y's candidate and ends its list properly; y learns x as peer-reflexive.
            assertEquals(IceAgent.RemoteCandidateOutcome.ADDED, x.addRemoteCandidate(b.localCandidates.get(0)));
            assertEquals(IceAgent.RemoteCandidateOutcome.IGNORED_AFTER_END_OF_CANDIDATES,
                    x.addRemoteCandidate("a=end-of-candidates"));
            assertEquals(IceAgent.RemoteCandidateOutcome.IGNORED_AFTER_END_OF_CANDIDATES,
                    x.addRemoteCandidate(b.localCandidates.get(0)));
            a.awaitState(IceConnectionState.CONNECTED);
            b.awaitState(IceConnectionState.CONNECTED);
            assertEquals(x.selectedPair().local(), y.selectedPair().remote());
        }
    }

    @Test
    void browserMdnsCandidateIsAcceptedAndConnectionSucceedsThroughPeerReflexiveDiscovery() throws Exception {
        AgentPair.Side a = new AgentPair.Side();
        AgentPair.Side b = new AgentPair.Side();
        try (IceAgent controlling = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, a);
             IceAgent controlled = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLED, b)) {
            controlling.startGathering();
            controlled.startGathering();
            controlling.setRemoteCredentials(controlled.localCredentials());
            controlled.setRemoteCredentials(controlling.localCredentials());
            // The controlled side hides its address behind an mDNS name, as Chrome does; the controlling
            // side cannot resolve it and must learn the address from the controlled side's checks.
            String real = b.localCandidates.get(0);
            String[] f = real.split(" ");
            String mdns = "a=candidate:" + f[0].substring("candidate:".length()) + " 1 udp " + f[3]
                    + " 6f1c2a4e-5b3d-4e2f-9a8b-7c6d5e4f3a2b.local " + f[5]
                    + " typ host generation 0 ufrag " + controlled.localCredentials().ufrag() + " network-cost 999";
            assertEquals(IceAgent.RemoteCandidateOutcome.LEFT_TO_PEER_REFLEXIVE, controlling.addRemoteCandidate(mdns));
            controlling.endOfRemoteCandidates();
            assertEquals(IceAgent.RemoteCandidateOutcome.ADDED, controlled.addRemoteCandidate(a.localCandidates.get(0)));
            a.awaitState(IceConnectionState.CONNECTED);
            b.awaitState(IceConnectionState.CONNECTED);
            assertEquals(controlled.selectedPair().local(), controlling.selectedPair().remote());
            assertNotEquals(List.of(), a.states);
        }
    }
}
