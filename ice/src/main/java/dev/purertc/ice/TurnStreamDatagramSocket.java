package dev.purertc.ice;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A TCP or TLS connection to one TURN server seen as a {@link DatagramSocket} (RFC 8656 §3.1, "TURN over
 * TCP/TLS"), so that ice4j's TURN client, which only knows datagrams, runs over it unchanged: every datagram
 * sent to the server is written to the stream as it is, and {@link #receive} cuts the stream back into the
 * messages the server sent, each reported as coming from the server.
 *
 * <p>The stream carries no length prefix of its own (unlike ICE-TCP's RFC 4571 framing, which is what
 * ice4j's TCP sockets speak and why ice4j's own TURN-over-TCP does not talk to coturn): a STUN message
 * carries its length in its header, and so does ChannelData, which over a stream is padded to a multiple of
 * four bytes (RFC 8656 §12.5).
 *
 * <p>Only the TURN server is reachable: a datagram to any other address is dropped and counted. It owns the
 * connection's file descriptor and no thread; ice4j's STUN reader reads it. One writer at a time
 * (sends are serialised), one reader at a time.
 */
final class TurnStreamDatagramSocket extends DatagramSocketView {

    /** RFC 8489 §5: the fixed STUN header. */
    private static final int STUN_HEADER = 20;
    /** RFC 8656 §12.4: channel number and length. */
    private static final int CHANNEL_DATA_HEADER = 4;
    private static final int MAX_FRAME = STUN_HEADER + 0xFFFF + 3;

    private final Socket connection;
    private final InetSocketAddress server;
    private final InputStream in;
    private final OutputStream out;
    private final Object writeLock = new Object();
    private final Object readLock = new Object();
    /** A frame read in part when a read timed out; the next receive goes on with it. Guarded by readLock. */
    private final byte[] frame = new byte[MAX_FRAME];
    private int have;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    private TurnStreamDatagramSocket(Socket connection, InetSocketAddress server) throws IOException {
        super((InetSocketAddress) connection.getLocalSocketAddress());
        this.connection = connection;
        this.server = server;
        this.in = connection.getInputStream();
        this.out = connection.getOutputStream();
    }

    /**
     * Connects to {@code server} over TCP, and for {@code turns:} completes a TLS handshake that checks the
     * certificate against {@code trust} and the URL's host name.
     *
     * @param url            the TURN URL: its scheme picks TLS, its host is the name the certificate must bear
     * @param server         the address {@code url}'s host resolved to
     * @param timeoutMillis  bound on the TCP connect and, separately, on the TLS handshake
     * @throws IOException if the server cannot be reached or its certificate is not trusted for the host name
     */
    static TurnStreamDatagramSocket connect(IceServerUrl url, InetSocketAddress server, TurnTlsTrust trust,
                                            int timeoutMillis) throws IOException {
        Socket tcp = new Socket();
        try {
            tcp.setTcpNoDelay(true);
            tcp.connect(server, timeoutMillis);
            Socket stream = tcp;
            if (url.isSecure()) {
                SSLSocket tls = (SSLSocket) trust.socketFactory().createSocket(tcp, url.host(), server.getPort(), true);
                SSLParameters parameters = tls.getSSLParameters();
                // RFC 8656 §3.1 / RFC 6125: the server is identified by the URL's host, as HTTPS does it.
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
                tls.setSoTimeout(timeoutMillis);
                tls.startHandshake();
                tls.setSoTimeout(0);
                stream = tls;
            }
            return new TurnStreamDatagramSocket(stream, server);
        } catch (IOException | RuntimeException e) {
            tcp.close();
            throw e;
        }
    }

    /** Writes the datagram to the stream if it is for the TURN server; drops it otherwise. */
    @Override
    public void send(DatagramPacket packet) throws IOException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        if (!server.equals(packet.getSocketAddress())) {
            dropped.incrementAndGet();
            return;
        }
        byte[] data = packet.getData();
        int offset = packet.getOffset();
        int length = packet.getLength();
        int padding = isChannelData(data[offset]) ? (4 - length % 4) % 4 : 0;
        synchronized (writeLock) {
            if (padding == 0) {
                out.write(data, offset, length);
            } else {
                byte[] padded = new byte[length + padding];
                System.arraycopy(data, offset, padded, 0, length);
                out.write(padded);
            }
            out.flush();
        }
    }

    /**
     * Blocks until the next whole STUN message or ChannelData message (without its padding) has arrived.
     * A read timeout ({@link #setSoTimeout}) keeps what was read of the message for the next call.
     *
     * @throws SocketException when the server closes the stream or sends neither STUN nor ChannelData
     */
    @Override
    public void receive(DatagramPacket packet) throws IOException {
        synchronized (readLock) {
            readUntil(CHANNEL_DATA_HEADER);
            int declared = ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF);
            int messageLength;
            int frameLength;
            if ((frame[0] & 0xC0) == 0) {
                messageLength = STUN_HEADER + declared;
                frameLength = messageLength;
            } else if (isChannelData(frame[0])) {
                messageLength = CHANNEL_DATA_HEADER + declared;
                frameLength = messageLength + (4 - declared % 4) % 4;
            } else {
                close();
                throw new SocketException("TURN server " + server + " sent neither STUN nor ChannelData (first byte 0x"
                        + Integer.toHexString(frame[0] & 0xFF) + "): stream closed");
            }
            readUntil(frameLength);
            have = 0;
            int copied = Math.min(messageLength, packet.getData().length - packet.getOffset());
            System.arraycopy(frame, 0, packet.getData(), packet.getOffset(), copied);
            packet.setLength(copied);
            packet.setSocketAddress(server);
        }
    }

    /** Reads until {@code frame} holds {@code count} bytes; called under readLock. */
    private void readUntil(int count) throws IOException {
        while (have < count) {
            int n = in.read(frame, have, count - have);
            if (n < 0) {
                closed = true;
                throw new SocketException("TURN server " + server + " closed the stream");
            }
            have += n;
        }
    }

    /** RFC 8656 §12: channel numbers 0x4000-0x4FFF, so ChannelData starts with the bits 01. */
    private static boolean isChannelData(byte first) {
        return (first & 0xC0) == 0x40;
    }

    /** Datagrams to addresses other than the TURN server, dropped since this socket was made. */
    long droppedDatagrams() {
        return dropped.get();
    }

    /** True when the stream is TLS ({@code turns:}). */
    boolean isTls() {
        return connection instanceof SSLSocket;
    }

    /** The TURN server this stream goes to. */
    InetSocketAddress server() {
        return server;
    }

    @Override
    public synchronized void setSoTimeout(int timeout) throws SocketException {
        connection.setSoTimeout(timeout);
    }

    @Override
    public synchronized int getSoTimeout() throws SocketException {
        return connection.getSoTimeout();
    }

    @Override
    public boolean isClosed() {
        return closed || connection.isClosed();
    }

    @Override
    public void close() {
        closed = true;
        try {
            connection.close();
        } catch (IOException e) {
            // closing a socket that failed is still closing it
        }
    }

    @Override
    public int getReceiveBufferSize() {
        return MAX_FRAME;
    }

    @Override
    public int getSendBufferSize() {
        return MAX_FRAME;
    }
}
