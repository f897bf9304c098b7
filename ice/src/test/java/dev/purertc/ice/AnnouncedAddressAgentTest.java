package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.purertc.ice.mux.UdpMux;
import dev.purertc.sdp.IceCandidate;

/**
 * A server agent behind a 1:1 NAT announces 127.0.0.2 for its 127.0.0.1 host candidate (REPLACE). The NAT is a
 * relay in the test: what reaches 127.0.0.2:P goes on to 127.0.0.1:P and answers come back from 127.0.0.2:P.
 * The client knows only the announced address, its checks arrive at the server's real socket (per-connection
 * or the UDP mux) and are answered, and data flows both ways through the announced address.
 */
class AnnouncedAddressAgentTest {

    private static final InetAddress ANNOUNCED = IpLiteral.parse("127.0.0.2");
    private static final InetAddress REAL = IpLiteral.parse("127.0.0.1");

    @ParameterizedTest(name = "udpMux={0}")
    @ValueSource(booleans = {false, true})
    void theClientChecksAndUsesTheAnnouncedAddressOnly(boolean muxed) throws Exception {
        UdpMux mux = muxed ? UdpMux.open(List.of(REAL), 0, 0) : null;
        AgentPair.Side server = new AgentPair.Side();
        AgentPair.Side client = new AgentPair.Side();
        OneToOneNat nat = null;
        try {
            IceOptions serverOptions = AgentPair.loopbackOptions().toBuilder().udpMux(mux)
                    .announcedAddresses(AnnouncedAddresses.of(AnnouncedAddresses.Mode.REPLACE, "127.0.0.2/127.0.0.1"))
                    .build();
            server.agent = IceAgent.create(serverOptions, IceRole.CONTROLLED, server);
            client.agent = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, client);
            server.agent.setRemoteCredentials(client.agent.localCredentials());
            client.agent.setRemoteCredentials(server.agent.localCredentials());
            server.agent.startGathering();
            // The server learns the client only from its checks (peer-reflexive, through the NAT), as a server
            // behind a NAT does: a direct check to the client would reveal the real address.
            assertEquals(1, server.localCandidates.size());
            IceCandidate announced = IceCandidate.parse(server.localCandidates.get(0));
            assertEquals("127.0.0.2", announced.address());
            assertEquals(dev.purertc.sdp.CandidateType.HOST, announced.type());
            if (muxed) {
                assertEquals(mux.port(), announced.port());
            }
            nat = new OneToOneNat(new InetSocketAddress(ANNOUNCED, announced.port()),
                    new InetSocketAddress(REAL, announced.port()));
            client.agent.addRemoteCandidate(announced);
            client.agent.startGathering();

            client.awaitState(IceConnectionState.CONNECTED);
            server.awaitState(IceConnectionState.CONNECTED);
            assertEquals(new InetSocketAddress(ANNOUNCED, announced.port()), client.agent.selectedPair().remote());
            assertEquals(new InetSocketAddress(REAL, announced.port()), server.agent.selectedPair().local());
            assertEquals(nat.insideAddress(), server.agent.selectedPair().remote());

            BlockingQueue<byte[]> atServer = new LinkedBlockingQueue<>();
            BlockingQueue<byte[]> atClient = new LinkedBlockingQueue<>();
            server.agent.transport().setReceiver((d, off, len, src) -> atServer.add(Arrays.copyOfRange(d, off, off + len)));
            client.agent.transport().setReceiver((d, off, len, src) -> atClient.add(Arrays.copyOfRange(d, off, off + len)));
            byte[] up = {23, (byte) 0xFE, (byte) 0xFD, 0, 1, 2, 3};
            byte[] down = {23, (byte) 0xFE, (byte) 0xFD, 0, 4, 5, 6};
            client.agent.transport().send(up, 0, up.length);
            assertArrayEquals(up, atServer.poll(20, TimeUnit.SECONDS));
            server.agent.transport().send(down, 0, down.length);
            assertArrayEquals(down, atClient.poll(20, TimeUnit.SECONDS));
        } finally {
            if (client.agent != null) {
                client.agent.close();
            }
            if (server.agent != null) {
                server.agent.close();
            }
            if (nat != null) {
                nat.close();
            }
            if (mux != null) {
                mux.close();
            }
        }
    }

    /**
     * A 1:1 NAT for one peer: datagrams to {@code outside} leave {@code inside}'s socket for the server, the
     * server's answers leave {@code outside} for the last peer seen.
     */
    private static final class OneToOneNat implements AutoCloseable {
        private final DatagramSocket outside;
        private final DatagramSocket inside;
        private final InetSocketAddress server;
        private volatile InetSocketAddress peer;
        private final Thread in;
        private final Thread out;

        OneToOneNat(InetSocketAddress outsideAddress, InetSocketAddress server) throws SocketException {
            this.outside = new DatagramSocket(outsideAddress);
            this.inside = new DatagramSocket(new InetSocketAddress(REAL, 0));
            this.server = server;
            this.in = pump(outside, true);
            this.out = pump(inside, false);
        }

        InetSocketAddress insideAddress() {
            return (InetSocketAddress) inside.getLocalSocketAddress();
        }

        private Thread pump(DatagramSocket from, boolean towardsServer) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[2048];
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                while (!from.isClosed()) {
                    p.setData(buffer, 0, buffer.length);
                    try {
                        from.receive(p);
                        if (towardsServer) {
                            peer = (InetSocketAddress) p.getSocketAddress();
                            inside.send(new DatagramPacket(buffer, p.getLength(), server));
                        } else if (peer != null) {
                            outside.send(new DatagramPacket(buffer, p.getLength(), peer));
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "test-nat-" + (towardsServer ? "in" : "out"));
            t.setDaemon(true);
            t.start();
            return t;
        }

        @Override
        public void close() throws InterruptedException {
            outside.close();
            inside.close();
            in.join(5_000);
            out.join(5_000);
        }
    }
}
