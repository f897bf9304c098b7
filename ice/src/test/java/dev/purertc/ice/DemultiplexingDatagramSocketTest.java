package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class DemultiplexingDatagramSocketTest {

    @Test
    void returnsOnlyStunToTheReaderHandsDtlsToTheSinkAndCountsTheRest() throws Exception {
        List<byte[]> dtls = new ArrayList<>();
        AtomicInteger dropped = new AtomicInteger();
        DemultiplexingDatagramSocket.InboundDatagramSink sink = new DemultiplexingDatagramSocket.InboundDatagramSink() {
            @Override
            public void onDtls(DemultiplexingDatagramSocket socket, byte[] data, int offset, int length,
                               InetSocketAddress source) {
                byte[] copy = new byte[length];
                System.arraycopy(data, offset, copy, 0, length);
                dtls.add(copy);
            }

            @Override
            public void onDropped(DemultiplexingDatagramSocket socket) {
                dropped.incrementAndGet();
            }
        };
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DemultiplexingDatagramSocket socket = new DemultiplexingDatagramSocket(new InetSocketAddress(lo, 0), sink);
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            socket.setSoTimeout(20_000);
            InetSocketAddress to = (InetSocketAddress) socket.getLocalSocketAddress();
            byte[][] sent = {
                {23, 1, 2, 3},                  // DTLS application data
                {(byte) 0x80, 96, 0, 1},        // RTP: dropped
                {64, 0, 0, 4, 1, 2, 3, 4},      // TURN ChannelData: dropped
                {22, 9},                        // DTLS handshake
                {0, 1, 0, 0, 0x21, 0x12, (byte) 0xA4, 0x42}, // STUN binding request header start
            };
            for (byte[] d : sent) {
                peer.send(new DatagramPacket(d, d.length, to));
            }
            byte[] buffer = new byte[1500];
            DatagramPacket packet = new DatagramPacket(buffer, 10, 1490);
            socket.receive(packet);

            assertEquals(10, packet.getOffset());
            assertEquals(8, packet.getLength());
            byte[] stun = new byte[8];
            System.arraycopy(buffer, 10, stun, 0, 8);
            assertArrayEquals(sent[4], stun);
            assertEquals(peer.getLocalSocketAddress(), packet.getSocketAddress());
            assertEquals(2, dtls.size());
            assertArrayEquals(sent[0], dtls.get(0));
            assertArrayEquals(sent[3], dtls.get(1));
            assertEquals(2, dropped.get());
        }
    }
}
