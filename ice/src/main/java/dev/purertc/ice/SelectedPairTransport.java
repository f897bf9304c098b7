package dev.purertc.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link IceTransport} over the selected pair of whichever ICE generation is current. Also the inbound
 * sink of every host candidate socket: DTLS datagrams reach it on ice4j's socket reader threads.
 */
final class SelectedPairTransport implements IceTransport, DemultiplexingDatagramSocket.InboundDatagramSink {

    /**
     * The socket and remote address datagrams go to, with the pair's candidate types ({@code host},
     * {@code srflx}, {@code prflx}, {@code relay}) and transport ({@code udp}, {@code tcp}) for stats.
     */
    record Route(DatagramSocket socket, InetSocketAddress local, InetSocketAddress remote,
                 String localType, String remoteType, String protocol) {
    }

    private record Queued(ByteBuffer data, InetSocketAddress source) {
    }

    private final Object lock = new Object();
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private volatile DatagramReceiver receiver;
    private volatile Route route;
    private volatile boolean closed;
    /** Why sends are refused (RFC 7675 consent expiry, or no pair found in time), or null. */
    private volatile String refusal;

    void select(Route newRoute) {
        refusal = null;
        route = newRoute;
    }

    /**
     * RFC 7675 §5.1: once consent expires the agent must stop sending on the pair; after the connect
     * timeout there is no pair to send on. Either way sends fail with {@code reason}.
     */
    void refuseSends(String reason) {
        refusal = reason;
    }

    Route route() {
        return route;
    }

    void close() {
        closed = true;
        synchronized (lock) {
            queue.clear();
        }
    }

    @Override
    public void send(byte[] data, int offset, int length) throws IOException {
        Route r = route;
        if (closed) {
            throw new IOException("ICE transport is closed");
        }
        String refused = refusal;
        if (refused != null) {
            throw new IOException(refused);
        }
        if (r == null) {
            throw new IOException("ICE has not selected a candidate pair yet");
        }
        r.socket().send(new DatagramPacket(data, offset, length, r.remote()));
    }

    @Override
    public void send(ByteBuffer datagram) throws IOException {
        int length = datagram.remaining();
        if (datagram.hasArray()) {
            send(datagram.array(), datagram.arrayOffset() + datagram.position(), length);
        } else {
            byte[] copy = new byte[length];
            datagram.duplicate().get(copy);
            send(copy, 0, length);
        }
        datagram.position(datagram.limit());
    }

    @Override
    public void setReceiver(DatagramReceiver newReceiver) {
        synchronized (lock) {
            if (newReceiver != null) {
                Queued queued;
                while ((queued = queue.poll()) != null) {
                    ByteBuffer b = queued.data();
                    newReceiver.onDatagram(b.array(), b.arrayOffset() + b.position(), b.remaining(),
                            queued.source());
                }
            }
            receiver = newReceiver;
        }
    }

    @Override
    public ByteBuffer poll() {
        synchronized (lock) {
            Queued queued = queue.poll();
            return queued == null ? null : queued.data();
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        Route r = route;
        return r == null ? null : r.local();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        Route r = route;
        return r == null ? null : r.remote();
    }

    @Override
    public long droppedDatagrams() {
        return dropped.get();
    }

    @Override
    public long receivedDatagrams() {
        return received.get();
    }

    @Override
    public int receiveBufferBytes() {
        Route r = route;
        return r != null && r.socket() instanceof DemultiplexingDatagramSocket host
                ? host.grantedReceiveBufferBytes() : -1;
    }

    @Override
    public int sendBufferBytes() {
        Route r = route;
        return r != null && r.socket() instanceof DemultiplexingDatagramSocket host
                ? host.grantedSendBufferBytes() : -1;
    }

    @Override
    public void onDtls(DemultiplexingDatagramSocket socket, byte[] data, int offset, int length,
                       InetSocketAddress source) {
        if (closed) {
            return;
        }
        received.incrementAndGet();
        DatagramReceiver r = receiver;
        if (r != null) {
            r.onDatagram(data, offset, length, source);
            return;
        }
        synchronized (lock) {
            r = receiver;
            if (r != null) {
                r.onDatagram(data, offset, length, source);
                return;
            }
            if (queue.size() >= MAX_QUEUED_DATAGRAMS) {
                queue.poll();
                dropped.incrementAndGet();
            }
            byte[] copy = new byte[length];
            System.arraycopy(data, offset, copy, 0, length);
            queue.add(new Queued(ByteBuffer.wrap(copy), source));
        }
    }

    @Override
    public void onDropped(DemultiplexingDatagramSocket socket) {
        dropped.incrementAndGet();
    }
}
