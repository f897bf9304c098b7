package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;

import org.junit.jupiter.api.Test;

import dev.purertc.sdp.IceCandidate;

/** ice4j's three cached pools are bounded, and agents still connect when every pool thread is busy. */
class Ice4jThreadPoolsTest {

    private static final List<String> POOLS = List.of("NetAccessManager", "Agent", "StunClientTransaction");

    @Test
    void everyPoolIsBoundedAndRunsOverflowOnTheSubmittingThread() {
        IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, new AgentPair.Side()).close();
        for (String name : POOLS) {
            ThreadPoolExecutor pool = Ice4jThreadPools.pool(name);
            assertEquals(Ice4jThreadPools.maxThreadsPerPool(), pool.getMaximumPoolSize(), name);
            assertInstanceOf(ThreadPoolExecutor.CallerRunsPolicy.class, pool.getRejectedExecutionHandler(), name);
        }
        assertThrows(IllegalArgumentException.class, () -> Ice4jThreadPools.limit(0));
    }

    /**
     * 24 pairs with sockets of their own (an ice4j reader thread each, all feeding the message pool) connect
     * at once with every pool limited to 2 threads: all connect, and no pool ever holds more than 2.
     */
    @Test
    void twentyFourPairsConnectWithTwoThreadsPerPool() throws Exception {
        int pairs = 24;
        int before = Ice4jThreadPools.maxThreadsPerPool();
        Ice4jThreadPools.limit(2);
        List<AgentPair.Side> sides = new ArrayList<>();
        try {
            for (int i = 0; i < pairs; i++) {
                AgentPair.Side a = new AgentPair.Side();
                AgentPair.Side b = new AgentPair.Side();
                a.agent = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, a);
                b.agent = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLED, b);
                a.forward = new IceAgentListener() {
                    @Override
                    public void onLocalCandidate(IceCandidate line) {
                        b.agent.addRemoteCandidate(line);
                    }
                };
                b.forward = new IceAgentListener() {
                    @Override
                    public void onLocalCandidate(IceCandidate line) {
                        a.agent.addRemoteCandidate(line);
                    }
                };
                a.agent.setRemoteCredentials(b.agent.localCredentials());
                b.agent.setRemoteCredentials(a.agent.localCredentials());
                sides.add(a);
                sides.add(b);
            }
            for (AgentPair.Side s : sides) {
                s.agent.startGathering();
            }
            int largest = 0;
            long deadline = System.nanoTime() + AgentPair.WAIT.toNanos();
            while (System.nanoTime() < deadline
                    && !sides.stream().allMatch(s -> s.states.contains(IceConnectionState.CONNECTED))) {
                for (String name : POOLS) {
                    largest = Math.max(largest, Ice4jThreadPools.pool(name).getPoolSize());
                }
                Thread.sleep(2);
            }
            for (AgentPair.Side s : sides) {
                s.awaitState(IceConnectionState.CONNECTED);
            }
            assertTrue(largest <= 2, "a pool held " + largest + " threads");
        } finally {
            sides.forEach(s -> s.agent.close());
            Ice4jThreadPools.limit(before);
        }
        for (String name : POOLS) {
            assertEquals(before, Ice4jThreadPools.pool(name).getMaximumPoolSize(), name);
        }
    }
}
