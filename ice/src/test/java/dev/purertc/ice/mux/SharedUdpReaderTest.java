package dev.purertc.ice.mux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** One thread reads many sockets, each datagram reaches its own socket's receiver, and close releases all. */
class SharedUdpReaderTest {

    private record Received(SharedUdpReader.OwnSocket socket, InetSocketAddress remote, byte[] data) {
    }

    private static long readerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("purertc-udpread-")).count();
    }

    @Test
    void fiftySocketsOnOneThreadEachGetTheirOwnDatagrams() throws Exception {
        long threadsBefore = readerThreads();
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        SharedUdpReader.OwnSocket[] sockets = new SharedUdpReader.OwnSocket[50];
        try (SharedUdpReader reader = SharedUdpReader.open();
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            for (int i = 0; i < sockets.length; i++) {
                sockets[i] = reader.bind(new InetSocketAddress(loopback, 0), 0,
                        (s, remote, data, offset, length) -> received.add(
                                new Received(s, remote, Arrays.copyOfRange(data, offset, offset + length))));
            }
            assertEquals(50, reader.openSockets());
            assertEquals(threadsBefore + 1, readerThreads(), "one reader (its control thread starts with the first task)");
            for (int i = 0; i < sockets.length; i++) {
                byte[] payload = {(byte) i, 1, 2, 3};
                peer.send(new DatagramPacket(payload, payload.length, sockets[i].localAddress()));
            }
            for (int n = 0; n < sockets.length; n++) {
                Received r = received.poll(20, TimeUnit.SECONDS);
                int i = r.data()[0];
                assertEquals(sockets[i], r.socket());
                assertArrayEquals(new byte[] {(byte) i, 1, 2, 3}, r.data());
                assertEquals(peer.getLocalSocketAddress(), r.remote());
            }
            // Sending goes out from the socket's own port.
            sockets[7].send(new byte[] {9, 8, 7}, 0, 3, (InetSocketAddress) peer.getLocalSocketAddress());
            DatagramPacket back = new DatagramPacket(new byte[16], 16);
            peer.setSoTimeout(20_000);
            peer.receive(back);
            assertEquals(sockets[7].localAddress(), back.getSocketAddress());
            assertArrayEquals(new byte[] {9, 8, 7}, Arrays.copyOf(back.getData(), back.getLength()));

            sockets[3].close();
            sockets[3].close();   // idempotent
            assertTrue(sockets[3].isClosed());
            assertEquals(49, reader.openSockets());
        }
        for (SharedUdpReader.OwnSocket s : sockets) {
            assertTrue(s.isClosed());
        }
        assertEquals(threadsBefore, readerThreads(), "close stops both threads");
    }

    @Test
    void anInterruptLeftByAReceiverDoesNotCloseTheSocket() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        try (SharedUdpReader reader = SharedUdpReader.open();
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            SharedUdpReader.OwnSocket socket = reader.bind(new InetSocketAddress(loopback, 0), 0,
                    (s, remote, data, offset, length) -> {
                        received.add(Arrays.copyOfRange(data, offset, offset + length));
                        Thread.currentThread().interrupt();
                    });
            for (int i = 0; i < 3; i++) {
                peer.send(new DatagramPacket(new byte[] {(byte) i}, 1, socket.localAddress()));
                assertArrayEquals(new byte[] {(byte) i}, received.poll(20, TimeUnit.SECONDS));
            }
            assertFalse(socket.isClosed());
        }
    }
}
