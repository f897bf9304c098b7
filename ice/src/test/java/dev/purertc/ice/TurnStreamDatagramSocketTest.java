package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** RFC 8656 §12.5 framing of TURN over a stream, against a plain TCP server on 127.0.0.1. */
class TurnStreamDatagramSocketTest {

    /** A STUN Binding success response header with {@code attributes} bytes of attributes after it. */
    private static byte[] stun(int attributes) {
        byte[] m = new byte[20 + attributes];
        m[0] = 0x01;
        m[1] = 0x01;
        m[3] = (byte) attributes;
        m[4] = 0x21;
        m[5] = 0x12;
        m[6] = (byte) 0xA4;
        m[7] = 0x42;
        for (int i = 20; i < m.length; i++) {
            m[i] = (byte) i;
        }
        return m;
    }

    /** ChannelData on channel 0x4001 carrying {@code payload} bytes (unpadded). */
    private static byte[] channelData(int payload) {
        byte[] m = new byte[4 + payload];
        m[0] = 0x40;
        m[1] = 0x01;
        m[3] = (byte) payload;
        for (int i = 4; i < m.length; i++) {
            m[i] = (byte) (0x60 + i);
        }
        return m;
    }

    private interface Body {
        void run(TurnStreamDatagramSocket client, Socket server, InetSocketAddress serverAddress) throws Exception;
    }

    private static void withConnection(Body body) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            IceServerUrl url = IceServerUrl.parse("turn:127.0.0.1:" + address.getPort() + "?transport=tcp");
            TurnStreamDatagramSocket client = TurnStreamDatagramSocket.connect(url, address, TurnTlsTrust.JDK_DEFAULT,
                    5000);
            try (Socket server = listener.accept()) {
                server.setSoTimeout(5000);
                body.run(client, server, address);
            } finally {
                client.close();
            }
        }
    }

    @Test
    void channelDataIsPaddedToFourBytesAndStunIsWrittenAsItIs() throws Exception {
        withConnection((client, server, address) -> {
            byte[] data = channelData(5);
            client.send(new DatagramPacket(data, data.length, address));
            byte[] message = stun(8);
            client.send(new DatagramPacket(message, message.length, address));
            byte[] wire = new byte[9 + 3 + 28];
            new DataInputStream(server.getInputStream()).readFully(wire);
            byte[] expected = new byte[wire.length];
            System.arraycopy(data, 0, expected, 0, 9);
            System.arraycopy(message, 0, expected, 12, 28);
            assertArrayEquals(expected, wire);
            assertEquals(0, server.getInputStream().available());
        });
    }

    @Test
    void datagramsForAnyoneButTheServerAreDroppedAndCounted() throws Exception {
        withConnection((client, server, address) -> {
            byte[] check = stun(0);
            client.send(new DatagramPacket(check, check.length, new InetSocketAddress(address.getAddress(), 9)));
            assertEquals(1, client.droppedDatagrams());
            client.send(new DatagramPacket(check, check.length, address));
            byte[] wire = new byte[20];
            new DataInputStream(server.getInputStream()).readFully(wire);
            assertArrayEquals(check, wire);
        });
    }

    @Test
    void receiveCutsTheStreamIntoMessagesWithoutPaddingFromTheServer() throws Exception {
        withConnection((client, server, address) -> {
            byte[] data = channelData(5);
            byte[] message = stun(4);
            byte[] wire = new byte[12 + message.length];
            System.arraycopy(data, 0, wire, 0, data.length);
            System.arraycopy(message, 0, wire, 12, message.length);
            server.getOutputStream().write(wire);
            DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
            client.receive(packet);
            assertArrayEquals(data, Arrays.copyOf(packet.getData(), packet.getLength()));
            assertEquals(address, packet.getSocketAddress());
            packet.setData(new byte[1500]);
            client.receive(packet);
            assertArrayEquals(message, Arrays.copyOf(packet.getData(), packet.getLength()));
        });
    }

    @Test
    void aReadTimeoutInTheMiddleOfAMessageKeepsWhatWasRead() throws Exception {
        withConnection((client, server, address) -> {
            byte[] message = stun(12);
            OutputStream out = server.getOutputStream();
            out.write(message, 0, 10);
            out.flush();
            client.setSoTimeout(200);
            DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
            assertThrows(SocketTimeoutException.class, () -> client.receive(packet));
            out.write(message, 10, message.length - 10);
            out.flush();
            client.receive(packet);
            assertArrayEquals(message, Arrays.copyOf(packet.getData(), packet.getLength()));
        });
    }

    @Test
    void aStreamThatIsNeitherStunNorChannelDataIsClosed() throws Exception {
        withConnection((client, server, address) -> {
            server.getOutputStream().write(new byte[] {(byte) 0x80, 0, 0, 4, 1, 2, 3, 4});
            SocketException e = assertThrows(SocketException.class,
                    () -> client.receive(new DatagramPacket(new byte[1500], 1500)));
            assertTrue(e.getMessage().contains("neither STUN nor ChannelData (first byte 0x80)"), e.getMessage());
            assertTrue(client.isClosed());
        });
    }

    @Test
    void theServerClosingTheStreamEndsReceive() throws Exception {
        withConnection((client, server, address) -> {
            server.shutdownOutput();
            SocketException e = assertThrows(SocketException.class,
                    () -> client.receive(new DatagramPacket(new byte[1500], 1500)));
            assertTrue(e.getMessage().endsWith("closed the stream"), e.getMessage());
        });
    }
}
