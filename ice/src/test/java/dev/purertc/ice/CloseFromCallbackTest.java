package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class CloseFromCallbackTest {

    @Test
    void closingInsideTheConnectedCallbackDoesNotDeadlock() throws Exception {
        CountDownLatch closedInCallback = new CountDownLatch(1);
        AgentPair.Side b = new AgentPair.Side();
        AgentPair.Side a = new AgentPair.Side() {
            @Override
            public void onStateChange(IceConnectionState state) {
                super.onStateChange(state);
                if (state == IceConnectionState.CONNECTED) {
                    agent.close();   // on ice4j's thread, inside its state-change notification
                    closedInCallback.countDown();
                }
            }
        };
        try (IceAgent y = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLED, b)) {
            a.agent = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, a);
            IceAgent x = a.agent;
            x.setRemoteCredentials(y.localCredentials());
            y.setRemoteCredentials(x.localCredentials());
            x.startGathering();
            y.startGathering();
            AgentPair.feed(y, a.localCandidates);
            AgentPair.feed(x, b.localCandidates);
            assertTrue(closedInCallback.await(20, TimeUnit.SECONDS));
            a.awaitState(IceConnectionState.CLOSED);
            assertEquals(IceConnectionState.CLOSED, x.state());
            assertEquals(0, x.openSocketCount());
        }
    }
}
