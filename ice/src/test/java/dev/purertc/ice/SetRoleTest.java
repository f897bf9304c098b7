package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link IceAgent#setRole}: the role may change until connectivity checks start. */
class SetRoleTest {

    private static IceRole other(IceRole role) {
        return role == IceRole.CONTROLLING ? IceRole.CONTROLLED : IceRole.CONTROLLING;
    }

    @ParameterizedTest
    @EnumSource(IceRole.class)
    void agentsCreatedWithTheSameRoleConnectAfterOneIsFlippedBeforeChecks(IceRole both) throws Exception {
        AgentPair.Side a = new AgentPair.Side();
        AgentPair.Side b = new AgentPair.Side();
        try (IceAgent x = IceAgent.create(AgentPair.loopbackOptions(), both, a);
             IceAgent y = IceAgent.create(AgentPair.loopbackOptions(), both, b)) {
            x.startGathering();
            y.startGathering();
            x.setRemoteCredentials(y.localCredentials());
            y.setRole(other(both));   // gathering has started, checks have not: still allowed
            assertEquals(other(both), y.role());
            assertEquals(other(both) == IceRole.CONTROLLING, y.currentIce4jAgent().isControlling());
            y.setRemoteCredentials(x.localCredentials());
            AgentPair.feed(y, a.localCandidates);
            AgentPair.feed(x, b.localCandidates);
            a.awaitState(IceConnectionState.CONNECTED);
            b.awaitState(IceConnectionState.CONNECTED);
            assertEquals(x.selectedPair().local(), y.selectedPair().remote());
            assertEquals(y.selectedPair().local(), x.selectedPair().remote());
            // No role conflict: each ice4j agent still has the role PureRTC gave it.
            assertEquals(both == IceRole.CONTROLLING, x.currentIce4jAgent().isControlling());
            assertEquals(other(both) == IceRole.CONTROLLING, y.currentIce4jAgent().isControlling());
        }
    }

    @Test
    void roleChangesTheIce4jAgentBeforeGatheringAndBackAgain() {
        try (IceAgent agent = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLED,
                new IceAgentListener() { })) {
            assertEquals(false, agent.currentIce4jAgent().isControlling());
            agent.setRole(IceRole.CONTROLLING);
            assertEquals(IceRole.CONTROLLING, agent.role());
            assertEquals(true, agent.currentIce4jAgent().isControlling());
            agent.setRole(IceRole.CONTROLLED);
            assertEquals(IceRole.CONTROLLED, agent.role());
            assertEquals(false, agent.currentIce4jAgent().isControlling());
        }
    }

    @Test
    void changingTheRoleAfterChecksStartedIsRefusedButTheSameRoleIsANoOp() throws Exception {
        AgentPair.Side a = new AgentPair.Side();
        try (IceAgent agent = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, a)) {
            agent.startGathering();
            agent.setRemoteCredentials(new IceCredentials("abcd", "0123456789abcdefghijkl"));
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> agent.setRole(IceRole.CONTROLLED));
            assertEquals("ICE role cannot change to CONTROLLED: connectivity checks already started as CONTROLLING"
                    + " (set the role before both startGathering() and setRemoteCredentials() have been called)",
                    refused.getMessage());
            agent.setRole(IceRole.CONTROLLING);
            assertEquals(IceRole.CONTROLLING, agent.role());

            // An ICE restart starts new checks: the role may change again until they start.
            agent.restart();
            agent.setRole(IceRole.CONTROLLED);
            assertEquals(IceRole.CONTROLLED, agent.role());
            assertEquals(false, agent.currentIce4jAgent().isControlling());
        }
    }

    @Test
    void settingTheRoleOfAClosedAgentIsRefused() {
        IceAgent agent = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, new IceAgentListener() { });
        agent.close();
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> agent.setRole(IceRole.CONTROLLED));
        assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
    }
}
