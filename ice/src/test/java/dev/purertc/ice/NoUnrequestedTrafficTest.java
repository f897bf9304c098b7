package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.security.Permission;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;

import org.ice4j.ice.harvest.HarvestConfig;
import org.ice4j.ice.harvest.MappingCandidateHarvesters;
import org.junit.jupiter.api.Test;

/**
 * Constructing agents and gathering must not contact anything the user did not name: ice4j's AWS
 * harvester (HTTP to 169.254.169.254), STUN mapping and UPnP harvesters stay off, and no DNS lookup
 * happens. A recording security manager sees every connect, send, resolve and multicast the JDK checks.
 */
class NoUnrequestedTrafficTest {

    /** Records every network destination the JDK asks permission for, then allows it. */
    @SuppressWarnings("removal")
    private static final class NetworkTripwire extends SecurityManager {
        /** host:port of every datagram sent or connection opened. */
        final Set<String> destinations = new ConcurrentSkipListSet<>();
        /** Every name or address the JDK was asked to resolve or list (port -1 checks). */
        final Set<String> lookups = new ConcurrentSkipListSet<>();

        @Override
        public void checkConnect(String host, int port) {
            if (port == -1) {
                lookups.add(host);
            } else {
                destinations.add(host + ":" + port);
            }
        }

        @Override
        public void checkConnect(String host, int port, Object context) {
            checkConnect(host, port);
        }

        @Override
        public void checkMulticast(InetAddress address) {
            destinations.add("multicast " + address.getHostAddress());
        }

        @Override
        public void checkPermission(Permission perm) {
        }

        @Override
        public void checkPermission(Permission perm, Object context) {
        }
    }

    @Test
    void ice4jGlobalHarvestersAreOffAndAnAgentRunsNoServerHarvester() throws Exception {
        AgentPair.Side side = new AgentPair.Side();
        try (IceAgent agent = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, side)) {
            assertEquals(0, MappingCandidateHarvesters.getHarvesters().length);
            assertEquals(false, HarvestConfig.config.enableAwsHarvester());
            assertEquals(List.of(), HarvestConfig.config.stunMappingCandidateHarvesterAddresses());
            assertEquals(List.of(), agent.serverHarvesters());
            assertEquals(0, agent.openSocketCount());
            agent.startGathering();
            assertTrue(side.endOfCandidates.await(20, TimeUnit.SECONDS));
            assertEquals(1, side.localCandidates.size());
            assertTrue(side.localCandidates.get(0).contains(" 127.0.0.1 "), side.localCandidates.get(0));
            assertEquals(1, agent.openSocketCount());
        }
    }

    @Test
    @SuppressWarnings("removal")
    void constructingGatheringAndConnectingTouchesOnlyTheLoopbackPeer() throws Exception {
        NetworkTripwire tripwire = new NetworkTripwire();
        try {
            System.setSecurityManager(tripwire);
        } catch (UnsupportedOperationException notAllowed) {
            assumeTrue(false, "this JDK forbids a security manager; the harvester assertions above still run");
        }
        Set<String> duringGathering;
        Set<String> lookupsDuringGathering;
        try {
            AgentPair.Side a = new AgentPair.Side();
            AgentPair.Side b = new AgentPair.Side();
            try (IceAgent x = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, a);
                 IceAgent y = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLED, b)) {
                x.startGathering();
                y.startGathering();
                assertTrue(a.endOfCandidates.await(20, TimeUnit.SECONDS));
                assertTrue(b.endOfCandidates.await(20, TimeUnit.SECONDS));
                duringGathering = new TreeSet<>(tripwire.destinations);
                lookupsDuringGathering = new TreeSet<>(tripwire.lookups);

                x.setRemoteCredentials(y.localCredentials());
                y.setRemoteCredentials(x.localCredentials());
                AgentPair.feed(y, a.localCandidates);
                AgentPair.feed(x, b.localCandidates);
                a.awaitState(IceConnectionState.CONNECTED);
                b.awaitState(IceConnectionState.CONNECTED);
                byte[] dtls = {23, 1};
                x.transport().send(dtls, 0, 2);
            }
        } finally {
            System.setSecurityManager(null);
        }
        assertEquals(Set.of(), duringGathering, "network access while constructing and gathering");
        // Listing interface addresses is checked as a lookup of each address literal; a DNS query would
        // show up as a host name here.
        for (String lookup : lookupsDuringGathering) {
            assertTrue(IpLiteral.parse(lookup) != null, "name resolved while gathering: " + lookup);
        }
        for (String lookup : tripwire.lookups) {
            assertTrue(IpLiteral.parse(lookup) != null, "name resolved: " + lookup);
        }
        for (String destination : tripwire.destinations) {
            assertTrue(destination.startsWith("127.0.0.1:"), "traffic to " + destination + " in "
                    + tripwire.destinations);
        }
        assertTrue(!tripwire.destinations.isEmpty(), "the tripwire saw the connectivity checks");
    }
}
