package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RoleConflictTest {

    /** RFC 8445 §7.3.1.1: both sides claim the same role; the tie-breakers decide and they still connect. */
    @ParameterizedTest
    @EnumSource(IceRole.class)
    void agentsClaimingTheSameRoleStillConnect(IceRole both) throws Exception {
        AgentPair.Side a = new AgentPair.Side();
        AgentPair.Side b = new AgentPair.Side();
        try (IceAgent x = IceAgent.create(AgentPair.loopbackOptions(), both, a);
             IceAgent y = IceAgent.create(AgentPair.loopbackOptions(), both, b)) {
            x.setRemoteCredentials(y.localCredentials());
            y.setRemoteCredentials(x.localCredentials());
            x.startGathering();
            y.startGathering();
            AgentPair.feed(y, a.localCandidates);
            AgentPair.feed(x, b.localCandidates);
            a.awaitState(IceConnectionState.CONNECTED);
            b.awaitState(IceConnectionState.CONNECTED);
            assertEquals(x.selectedPair().local(), y.selectedPair().remote());
            assertEquals(y.selectedPair().local(), x.selectedPair().remote());
        }
    }
}
