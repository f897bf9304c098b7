package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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

    /**
     * The usual trickle order: the answer (credentials, no candidate) before the candidates. The checks wait
     * for the first candidate instead of starting on an empty list, where ice4j's pacer would spend its
     * first beat (Ta, 4 s here) on nothing: the candidate is checked at once.
     */
    @Test
    void checksStartWithTheFirstTrickledCandidateInsteadOfAfterAnEmptyPacingBeat() throws Exception {
        IceOptions slowPacing = AgentPair.loopbackOptions().toBuilder().pacing(Duration.ofSeconds(4)).build();
        AgentPair.Side a = new AgentPair.Side();
        AgentPair.Side b = new AgentPair.Side();
        try (IceAgent x = IceAgent.create(slowPacing, IceRole.CONTROLLING, a);
             IceAgent y = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLED, b)) {
            y.startGathering();
            y.setRemoteCredentials(x.localCredentials());
            x.startGathering();
            x.setRemoteCredentials(y.localCredentials());
            assertEquals(IceConnectionState.NEW, x.state()); // credentials but no candidate: not checking yet
            long added = System.nanoTime();
            assertEquals(IceAgent.RemoteCandidateOutcome.ADDED, x.addRemoteCandidate(b.localCandidates.get(0)));
            a.awaitState(IceConnectionState.CHECKING);
            a.awaitState(IceConnectionState.CONNECTED);
            long connectedMillis = (System.nanoTime() - added) / 1_000_000;
            assertTrue(connectedMillis < 3_000, "connected " + connectedMillis + " ms after the candidate, Ta is 4 s");
            assertEquals(List.of(IceConnectionState.CHECKING, IceConnectionState.CONNECTED), a.states.subList(0, 2));
        }
    }

    /**
     * With credentials and no candidate the checks start after one Ta all the same: a peer known only by
     * its checks (peer-reflexive, as behind an mDNS name) is then checked back, as it was before.
     */
    @Test
    void withoutARemoteCandidateChecksStartAfterOnePacingBeat() throws Exception {
        IceOptions pacing = AgentPair.loopbackOptions().toBuilder().pacing(Duration.ofMillis(300)).build();
        AgentPair.Side a = new AgentPair.Side();
        AgentPair.Side b = new AgentPair.Side();
        try (IceAgent x = IceAgent.create(pacing, IceRole.CONTROLLING, a);
             IceAgent y = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLED, b)) {
            x.startGathering();
            long credentials = System.nanoTime();
            x.setRemoteCredentials(y.localCredentials());
            a.awaitState(IceConnectionState.CHECKING);
            long checkingMillis = (System.nanoTime() - credentials) / 1_000_000;
            assertTrue(checkingMillis >= 300, "checks started " + checkingMillis + " ms after the credentials");
            y.startGathering();
            y.setRemoteCredentials(x.localCredentials());
            assertEquals(IceAgent.RemoteCandidateOutcome.ADDED, y.addRemoteCandidate(a.localCandidates.get(0)));
            a.awaitState(IceConnectionState.CONNECTED);
            b.awaitState(IceConnectionState.CONNECTED);
            assertEquals(y.selectedPair().local(), x.selectedPair().remote());
        }
    }
}
