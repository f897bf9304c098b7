package dev.purertc.ice;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.zip.CRC32;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Test peer: the active side of ICE-TCP (RFC 6544) written by hand, as a browser whose UDP is blocked acts.
 * It connects to a passive candidate, sends RFC 4571-framed STUN Binding requests (USERNAME, PRIORITY,
 * ICE-CONTROLLING, USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT; RFC 8445 §7.1.1, RFC 5389 §15.4-15.5),
 * answers the agent's checks with success responses, and sends and receives DTLS-looking frames. Blocking
 * I/O on the calling thread: it starts no thread, so a test counting threads sees only the agent's.
 */
final class ActiveTcpIcePeer implements AutoCloseable {

    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final SecureRandom RANDOM = new SecureRandom();

    final IceCredentials credentials;
    private final IceCredentials agent;
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final long tieBreaker = RANDOM.nextLong();
    /** Whether checks carry USE-CANDIDATE (aggressive nomination); false: this peer never nominates. */
    volatile boolean nominate = true;
    int successResponses;
    int requestsAnswered;

    /** Connects to {@code passive}; {@code agent} are the agent's credentials (its password keys our checks). */
    ActiveTcpIcePeer(InetSocketAddress passive, IceCredentials agent) throws IOException {
        this(passive, agent, null);
    }

    /** As above, with the credentials of an earlier connection of the same peer ({@code null}: new ones). */
    ActiveTcpIcePeer(InetSocketAddress passive, IceCredentials agent, IceCredentials own) throws IOException {
        this.agent = agent;
        this.credentials = own != null ? own : new IceCredentials("tcpp" + Integer.toHexString(RANDOM.nextInt()),
                "pass" + Long.toHexString(RANDOM.nextLong()) + Long.toHexString(RANDOM.nextLong()));
        this.socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(20_000);
        socket.connect(passive, 5_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
    }

    /** The candidate line a browser would trickle for this peer (port 9: RFC 6544 §4.5). */
    String activeCandidateLine() {
        return "candidate:9 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active ufrag " + credentials.ufrag();
    }

    /** Reads until the agent's side closes the connection; true if it did (within the socket timeout). */
    boolean closedByPeer() throws IOException {
        try {
            while (true) {
                int length = in.readUnsignedShort();
                in.readFully(new byte[length]);
            }
        } catch (java.io.EOFException | java.net.SocketException e) {
            return true;
        }
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Sends a connectivity check (with USE-CANDIDATE: aggressive nomination by this controlling peer). */
    void sendCheck() throws IOException {
        frame(bindingRequest(agent.ufrag() + ":" + credentials.ufrag(), agent.password()));
    }

    /** Sends one frame as it is (a DTLS record, or anything a test wants on the wire). */
    void frame(byte[] payload) throws IOException {
        synchronized (out) {
            out.writeShort(payload.length);
            out.write(payload);
            out.flush();
        }
    }

    /**
     * Reads frames, answering the agent's Binding requests and counting success responses, until a frame
     * that is neither arrives (returned: data, or a STUN error response) or {@code done} holds (null).
     */
    byte[] pump(java.util.function.BooleanSupplier done) throws IOException {
        while (!done.getAsBoolean()) {
            int length = in.readUnsignedShort();
            byte[] data = new byte[length];
            in.readFully(data);
            if (length < 20 || (data[0] & 0xC0) != 0 || ByteBuffer.wrap(data).getInt(4) != MAGIC_COOKIE) {
                return data;
            }
            int type = ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
            if (type == 0x0001) {
                frame(successResponse(data));
                requestsAnswered++;
            } else if (type == 0x0101) {
                successResponses++;
            } else {
                return data;
            }
        }
        return null;
    }

    /** Pumps until the agent answered our check and we answered its triggered check (RFC 8445 §7.3.1.4). */
    void completeChecks() throws IOException {
        byte[] other = pump(() -> successResponses >= 1 && requestsAnswered >= 1);
        if (other != null) {
            throw new IOException("unexpected frame before the checks completed: " + Arrays.toString(other));
        }
    }

    /** Reads until the next frame that is not a check or a success response (answering checks on the way). */
    byte[] receiveData() throws IOException {
        return pump(() -> false);
    }

    private byte[] bindingRequest(String username, String key) {
        byte[] name = username.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(256);
        b.putShort((short) 0x0001).putShort((short) 0).putInt(MAGIC_COOKIE);
        byte[] tid = new byte[12];
        RANDOM.nextBytes(tid);
        b.put(tid);
        b.putShort((short) 0x0006).putShort((short) name.length).put(name);
        pad(b);
        b.putShort((short) 0x0024).putShort((short) 4).putInt(1_518_280_447);      // PRIORITY
        b.putShort((short) 0x802A).putShort((short) 8).putLong(tieBreaker);        // ICE-CONTROLLING
        if (nominate) {
            b.putShort((short) 0x0025).putShort((short) 0);                        // USE-CANDIDATE
        }
        return integrityAndFingerprint(b, key);
    }

    /** RFC 5389 §7.3.1: a success response with XOR-MAPPED-ADDRESS of the request's source (the agent's). */
    private byte[] successResponse(byte[] request) {
        ByteBuffer b = ByteBuffer.allocate(128);
        b.putShort((short) 0x0101).putShort((short) 0).putInt(MAGIC_COOKIE);
        b.put(request, 8, 12);
        InetSocketAddress source = (InetSocketAddress) socket.getRemoteSocketAddress();
        byte[] address = source.getAddress().getAddress();
        b.putShort((short) 0x0020).putShort((short) 8).put((byte) 0).put((byte) 1)   // XOR-MAPPED-ADDRESS, IPv4
                .putShort((short) (source.getPort() ^ (MAGIC_COOKIE >>> 16)))
                .putInt(ByteBuffer.wrap(address).getInt() ^ MAGIC_COOKIE);
        return integrityAndFingerprint(b, credentials.password());
    }

    private static byte[] integrityAndFingerprint(ByteBuffer b, String key) {
        // RFC 5389 §15.4: the HMAC covers the message with a length that includes MESSAGE-INTEGRITY.
        b.putShort(2, (short) (b.position() - 20 + 24));
        byte[] hmac;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            mac.update(b.array(), 0, b.position());
            hmac = mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        b.putShort((short) 0x0008).putShort((short) 20).put(hmac);
        // RFC 5389 §15.5: CRC-32 of the message up to FINGERPRINT, length including it, XOR 0x5354554e.
        b.putShort(2, (short) (b.position() - 20 + 8));
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putShort((short) 0x8028).putShort((short) 4).putInt((int) (crc.getValue() ^ 0x5354554eL));
        return Arrays.copyOf(b.array(), b.position());
    }

    private static void pad(ByteBuffer b) {
        while (b.position() % 4 != 0) {
            b.put((byte) 0);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
