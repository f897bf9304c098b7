package dev.purertc.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/** Test helper: hand-made STUN Binding requests (RFC 5389 §6) as an intruder who knows a ufrag sends them. */
final class StunProbe {

    private StunProbe() {
    }

    static void send(DatagramSocket from, InetSocketAddress to, byte[] data) throws IOException {
        from.send(new DatagramPacket(data, data.length, to));
    }

    /** The STUN message type of the next datagram (0x0101 success, 0x0111 error response). */
    static int receiveType(DatagramSocket socket) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
        socket.receive(p);
        return ((p.getData()[0] & 0xFF) << 8) | (p.getData()[1] & 0xFF);
    }

    /** A Binding request with USERNAME, PRIORITY, ICE-CONTROLLING and optionally a zeroed (wrong) MESSAGE-INTEGRITY. */
    static byte[] bindingRequest(String username, boolean withIntegrity) {
        byte[] name = username.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(200);
        b.putShort((short) 0x0001).putShort((short) 0).putInt(0x2112A442);
        byte[] tid = new byte[12];
        new SecureRandom().nextBytes(tid);
        b.put(tid);
        b.putShort((short) 0x0006).putShort((short) name.length).put(name);
        while (b.position() % 4 != 0) {
            b.put((byte) 0);
        }
        b.putShort((short) 0x0024).putShort((short) 4).putInt(1_845_501_695);       // PRIORITY
        b.putShort((short) 0x802A).putShort((short) 8).putLong(42);                  // ICE-CONTROLLING
        if (withIntegrity) {
            b.putShort((short) 0x0008).putShort((short) 20).put(new byte[20]);       // wrong HMAC
        }
        int length = b.position() - 20;
        b.putShort(2, (short) length);
        return Arrays.copyOf(b.array(), b.position());
    }
}
