package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class StunServerGatheringTest {

    /** RFC 8489 §5: magic cookie; §14.2: XOR-MAPPED-ADDRESS. */
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int XOR_MAPPED_ADDRESS = 0x0020;

    /**
     * A STUN binding responder on 127.0.0.1 that reports every client as 127.0.0.2 (a pretend NAT), so
     * the agent's server-reflexive candidate is distinct from its host candidate.
     */
    private static final class FakeStunServer implements AutoCloseable {
        final DatagramSocket socket;
        final List<InetSocketAddress> requestsFrom = new CopyOnWriteArrayList<>();
        final Thread thread;

        FakeStunServer() throws SocketException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            thread = new Thread(this::serve, "fake-stun");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            byte[] buf = new byte[1500];
            while (!socket.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (java.io.IOException closed) {
                    return;
                }
                ByteBuffer in = ByteBuffer.wrap(buf, 0, p.getLength());
                if (p.getLength() < 20 || in.getShort(0) != 0x0001 || in.getInt(4) != MAGIC_COOKIE) {
                    continue;
                }
                requestsFrom.add((InetSocketAddress) p.getSocketAddress());
                ByteBuffer out = ByteBuffer.allocate(32);
                out.putShort((short) 0x0101);             // Binding success response
                out.putShort((short) 12);                  // one attribute of 4 + 8 bytes
                out.putInt(MAGIC_COOKIE);
                out.put(buf, 8, 12);                       // transaction id
                out.putShort((short) XOR_MAPPED_ADDRESS);
                out.putShort((short) 8);
                out.put((byte) 0).put((byte) 0x01);        // IPv4
                out.putShort((short) (p.getPort() ^ (MAGIC_COOKIE >>> 16)));
                out.putInt(0x7F000002 ^ MAGIC_COOKIE);     // 127.0.0.2
                try {
                    socket.send(new DatagramPacket(out.array(), 32, p.getSocketAddress()));
                } catch (java.io.IOException closed) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            socket.close();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void stunServerFromIceServersYieldsServerReflexiveCandidateThenEndOfCandidates() throws Exception {
        try (FakeStunServer stun = new FakeStunServer()) {
            IceOptions options = AgentPair.loopbackOptions().toBuilder()
                    .iceServer(IceServer.stun("stun:127.0.0.1:" + stun.port())).build();
            AgentPair.Side side = new AgentPair.Side();
            try (IceAgent agent = IceAgent.create(options, IceRole.CONTROLLING, side)) {
                assertEquals(List.of("StunCandidateHarvester"), agent.serverHarvesters());
                agent.startGathering();
                assertTrue(side.endOfCandidates.await(20, TimeUnit.SECONDS));
                assertEquals(2, side.localCandidates.size(), side.localCandidates.toString());
                String host = side.localCandidates.get(0);
                String srflx = side.localCandidates.get(1);
                int hostPort = Integer.parseInt(host.split(" ")[5]);
                assertTrue(host.contains(" 127.0.0.1 " + hostPort + " typ host "), host);
                assertTrue(srflx.contains(" 127.0.0.2 " + hostPort + " typ srflx raddr 127.0.0.1 rport " + hostPort),
                        srflx);
                assertEquals(new InetSocketAddress(InetAddress.getLoopbackAddress(), hostPort),
                        stun.requestsFrom.get(0));
            }
        }
    }
}
