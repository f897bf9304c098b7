package dev.purertc.signaling;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A plain TCP socket to the server for what no WebSocket client does on purpose: send half an upgrade,
 * send nothing, complete the handshake and then never answer a ping, or spoof the {@code Host} header.
 */
final class RawTcp implements AutoCloseable {

    /** What {@link #readUntilClosed} saw. */
    record Outcome(boolean closedByPeer, byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    final Socket socket;

    RawTcp(InetSocketAddress server) throws IOException {
        this(server, null);
    }

    /** Connects from {@code local} (e.g. 127.0.0.2, another loopback address) or the default when null. */
    RawTcp(InetSocketAddress server, InetAddress local) throws IOException {
        socket = new Socket();
        if (local != null) {
            socket.bind(new InetSocketAddress(local, 0));
        }
        socket.connect(server, 10_000);
    }

    void send(String ascii) throws IOException {
        socket.getOutputStream().write(ascii.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** A WebSocket upgrade request for {@code /ws}, without the blank line that ends it when {@code complete} is false. */
    static String upgrade(String host, String origin, boolean complete) {
        String key = Base64.getEncoder().encodeToString("purertc-raw-key!".getBytes(StandardCharsets.US_ASCII));
        return "GET /ws HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + (origin == null ? "" : "Origin: " + origin + "\r\n") + (complete ? "\r\n" : "");
    }

    /** Reads the HTTP response head (up to the blank line) and returns it. */
    String readResponseHead(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads everything until the peer closes (or resets) the connection, or {@code timeoutMillis} passes
     * without it closing.
     */
    Outcome readUntilClosed(long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        InputStream in = socket.getInputStream();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return new Outcome(false, got.toByteArray());
            }
            socket.setSoTimeout((int) Math.max(1, left));
            try {
                int n = in.read(buf);
                if (n < 0) {
                    return new Outcome(true, got.toByteArray());
                }
                got.write(buf, 0, n);
            } catch (SocketTimeoutException e) {
                return new Outcome(false, got.toByteArray());
            } catch (SocketException e) {
                return new Outcome(true, got.toByteArray()); // reset by the peer
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
