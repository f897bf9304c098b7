package dev.purertc.ice.mux;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP port shared by many ICE agents (pion's {@code UDPMux}, ice4j's {@code SinglePortUdpHarvester}):
 * one {@link DatagramSocket} per local address, all bound to the same port, and a fixed set of threads
 * whatever the number of connections.
 *
 * <p>Demultiplexing of an inbound datagram on local address L from remote address R:
 * <ol>
 *   <li>if (L, R) is a route, the datagram goes to that route's connection (STUN, DTLS, anything: the
 *       connection's own RFC 7983 demux sorts it);</li>
 *   <li>otherwise, if it is a STUN Binding request whose USERNAME names a registered local ufrag
 *       (RFC 8445 §7.2.2), it goes to that connection marked unrouted, and no route is created: the
 *       connection's ICE agent verifies MESSAGE-INTEGRITY and only then calls
 *       {@link UdpMuxConnection#addRoute};</li>
 *   <li>everything else is dropped and counted ({@link #droppedDatagrams()}): a request for an unknown
 *       ufrag costs a bounded parse and one string of at most {@link StunUfrag#MAX_UFRAG_BYTES} bytes, and
 *       creates nothing.</li>
 * </ol>
 * Routing is by remote address, so two connections cannot share one remote address on one local address
 * (a browser's peer connections each have their own port; two muxed Java peers talking to each other
 * through one port on each side cannot be told apart and are not supported).
 *
 * <p>Threads: one reader thread per local address ({@code purertc-udpmux-<port>-<address>}), blocked in
 * {@link DatagramSocket#receive}; it runs the receivers (for PureRTC: the DTLS datagram sink) inline. One
 * control thread ({@code purertc-udpmux-<port>-control}, see {@link #controlExecutor()}) for work that
 * must not stall the readers (ice4j's STUN processing). All methods may be called from any thread.
 *
 * <p>Ownership: whoever {@linkplain #open opens} the mux closes it ({@code PeerConnectionFactory} closes its
 * muxes with itself); connections are closed by their agents, and {@link #close()} closes those left.
 */
public final class UdpMux implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UdpMux.class);

    /** Largest UDP payload; the reader's buffer holds any datagram whole. */
    private static final int MAX_DATAGRAM_BYTES = 65_535;
    /** Control tasks queued beyond this are dropped (STUN is retransmitted, RFC 8445 §14.3). */
    static final int CONTROL_QUEUE_CAPACITY = 4096;

    /** A route: a remote address as seen on one local address of the mux. */
    record RouteKey(InetSocketAddress local, InetSocketAddress remote) {
    }

    /** One bound local address: its socket, its reader and the routes of datagrams arriving on it. */
    private final class LocalSocket {
        final InetSocketAddress address;
        final DatagramSocket socket;
        final Map<InetSocketAddress, UdpMuxConnection> routes = new ConcurrentHashMap<>();
        final Thread reader;

        LocalSocket(InetSocketAddress address, DatagramSocket socket) {
            this.address = address;
            this.socket = socket;
            this.reader = new Thread(this::readLoop, "purertc-udpmux-" + address.getPort() + "-"
                    + address.getAddress().getHostAddress());
            this.reader.setDaemon(true);
        }

        private void readLoop() {
            byte[] array = new byte[MAX_DATAGRAM_BYTES];
            DatagramPacket packet = new DatagramPacket(array, array.length);
            while (!closed) {
                packet.setData(array, 0, array.length);
                try {
                    socket.receive(packet);
                } catch (IOException e) {
                    if (closed || socket.isClosed()) {
                        if (!closed) {
                            LOG.error("{}: the shared socket closed under the mux: {}", address, e.toString());
                        }
                        return;
                    }
                    // ICMP port unreachable and the like surface here on Linux; the socket stays usable.
                    LOG.debug("{}: receive failed: {}", address, e.toString());
                    continue;
                }
                try {
                    dispatch(this, (InetSocketAddress) packet.getSocketAddress(), array, packet.getLength());
                } catch (RuntimeException e) {
                    LOG.warn("{}: a receiver threw; datagram dropped", address, e);
                }
                // Receivers run on this thread; an interrupt one of them leaves behind must not end the
                // reader of every connection (a DatagramSocket is not closed by interrupts, unlike an
                // interruptible DatagramChannel, which is why this is a DatagramSocket).
                if (Thread.interrupted()) {
                    clearedInterrupts.incrementAndGet();
                    LOG.debug("{}: cleared an interrupt left on the reader thread", address);
                }
            }
        }
    }

    private final int port;
    private final List<LocalSocket> sockets;
    private final Map<String, UdpMuxConnection> ufrags = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor control;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong droppedControlTasks = new AtomicLong();
    private final AtomicLong clearedInterrupts = new AtomicLong();
    private volatile boolean closed;

    private UdpMux(int port, List<InetSocketAddress> bound, List<DatagramSocket> channels) {
        this.port = port;
        List<LocalSocket> built = new ArrayList<>();
        for (int i = 0; i < bound.size(); i++) {
            built.add(new LocalSocket(bound.get(i), channels.get(i)));
        }
        this.sockets = List.copyOf(built);
        this.control = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(CONTROL_QUEUE_CAPACITY), r -> {
                    Thread t = new Thread(r, "purertc-udpmux-" + port + "-control");
                    t.setDaemon(true);
                    return t;
                }, (task, executor) -> droppedControlTasks.incrementAndGet());
    }

    /**
     * Binds one UDP socket per address, all on the same port, and starts their readers.
     *
     * @param addresses         local addresses (host candidates will carry these with the one port)
     * @param port              the port, or 0: the first address gets an ephemeral port and the others bind
     *                          the same number
     * @param socketBufferBytes SO_RCVBUF/SO_SNDBUF to request, 0 for the kernel's defaults (shared by every
     *                          connection, so larger than one connection's is sensible)
     * @throws BindException if the port is taken on one of the addresses
     * @throws IOException   if a socket cannot be opened
     */
    public static UdpMux open(List<InetAddress> addresses, int port, int socketBufferBytes) throws IOException {
        Objects.requireNonNull(addresses, "addresses");
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("a UDP mux needs at least one local address");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (socketBufferBytes < 0) {
            throw new IllegalArgumentException("socketBufferBytes must be 0 or positive, got " + socketBufferBytes);
        }
        List<DatagramSocket> opened = new ArrayList<>();
        List<InetSocketAddress> bound = new ArrayList<>();
        int chosen = port;
        try {
            for (InetAddress address : addresses) {
                DatagramSocket socket = new DatagramSocket(null);
                opened.add(socket);
                if (socketBufferBytes > 0) {
                    socket.setReceiveBufferSize(socketBufferBytes);
                    socket.setSendBufferSize(socketBufferBytes);
                }
                try {
                    socket.bind(new InetSocketAddress(address, chosen));
                } catch (BindException e) {
                    BindException named = new BindException("UDP port " + chosen + " is taken on "
                            + address.getHostAddress() + ": " + e.getMessage());
                    named.initCause(e);
                    throw named;
                }
                InetSocketAddress local = (InetSocketAddress) socket.getLocalSocketAddress();
                chosen = local.getPort();
                bound.add(new InetSocketAddress(address, chosen));
            }
        } catch (IOException | RuntimeException e) {
            for (DatagramSocket c : opened) {
                c.close();
            }
            throw e;
        }
        UdpMux mux = new UdpMux(chosen, bound, opened);
        for (LocalSocket s : mux.sockets) {
            s.reader.start();
        }
        LOG.debug("UDP mux on port {}: {}", chosen, bound);
        return mux;
    }

    /** The port every local address is bound to. */
    public int port() {
        return port;
    }

    /** The bound local addresses, all with {@link #port()}. */
    public List<InetSocketAddress> localAddresses() {
        List<InetSocketAddress> result = new ArrayList<>();
        for (LocalSocket s : sockets) {
            result.add(s.address);
        }
        return result;
    }

    /**
     * Registers an ICE agent's local ufrag: first STUN requests naming it reach {@code receiver}.
     *
     * @throws IllegalStateException if the ufrag is registered already or the mux is closed
     */
    public UdpMuxConnection register(String localUfrag, UdpMuxConnection.Receiver receiver) {
        Objects.requireNonNull(localUfrag, "localUfrag");
        Objects.requireNonNull(receiver, "receiver");
        if (closed) {
            throw new IllegalStateException("UDP mux on port " + port + " is closed");
        }
        UdpMuxConnection connection = new UdpMuxConnection(this, localUfrag, receiver);
        if (ufrags.putIfAbsent(localUfrag, connection) != null) {
            throw new IllegalStateException("ufrag " + localUfrag + " is registered on the UDP mux already");
        }
        if (closed) {
            connection.close();
            throw new IllegalStateException("UDP mux on port " + port + " is closed");
        }
        return connection;
    }

    /**
     * The executor for work that must not run on a reader thread: one thread, at most
     * {@value #CONTROL_QUEUE_CAPACITY} queued tasks; tasks beyond are dropped and counted
     * ({@link #droppedControlTasks()}).
     */
    public Executor controlExecutor() {
        return task -> {
            try {
                control.execute(task);
            } catch (RejectedExecutionException e) {
                droppedControlTasks.incrementAndGet();
            }
        };
    }

    /** Connections registered and not closed. */
    public int connectionCount() {
        return ufrags.size();
    }

    /** Routes across all local addresses. */
    public int routeCount() {
        int n = 0;
        for (LocalSocket s : sockets) {
            n += s.routes.size();
        }
        return n;
    }

    /** UDP sockets the mux holds open: one per local address, whatever the number of connections. */
    public int openSocketCount() {
        int n = 0;
        for (LocalSocket s : sockets) {
            if (!s.socket.isClosed()) {
                n++;
            }
        }
        return n;
    }

    /** Threads the mux runs now: its readers and, while it exists, the control thread. */
    public int threadCount() {
        int n = control.getPoolSize();
        for (LocalSocket s : sockets) {
            if (s.reader.isAlive()) {
                n++;
            }
        }
        return n;
    }

    /** Datagrams dropped: neither routed nor a Binding request for a registered ufrag. */
    public long droppedDatagrams() {
        return dropped.get();
    }

    /** Interrupts found on a reader thread after a receiver ran, and cleared. */
    public long clearedInterrupts() {
        return clearedInterrupts.get();
    }

    /** Control tasks dropped because the queue was full. */
    public long droppedControlTasks() {
        return droppedControlTasks.get();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Closes every connection, the sockets and the threads; waits for the readers (bounded). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (UdpMuxConnection c : List.copyOf(ufrags.values())) {
            c.close();
        }
        for (LocalSocket s : sockets) {
            s.socket.close();
        }
        control.shutdownNow();
        try {
            for (LocalSocket s : sockets) {
                s.reader.join(5_000);
            }
            control.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch(LocalSocket socket, InetSocketAddress source, byte[] data, int length) {
        UdpMuxConnection routed = socket.routes.get(source);
        if (routed != null) {
            routed.deliver(socket.address, source, data, 0, length, true);
            return;
        }
        // RFC 8445 §7.2.2: a check from an address not seen yet is matched by the local ufrag in USERNAME.
        String ufrag = StunUfrag.localUfrag(data, 0, length);
        UdpMuxConnection byUfrag = ufrag == null ? null : ufrags.get(ufrag);
        if (byUfrag == null) {
            dropped.incrementAndGet();
            return;
        }
        byUfrag.deliver(socket.address, source, data, 0, length, false);
    }

    void send(InetSocketAddress local, byte[] data, int offset, int length, InetSocketAddress remote)
            throws IOException {
        LocalSocket socket = socketFor(local);
        if (socket == null) {
            throw new IOException(local + " is not an address of the UDP mux on port " + port);
        }
        socket.socket.send(new DatagramPacket(data, offset, length, remote));
    }

    void addRoute(UdpMuxConnection connection, InetSocketAddress local, InetSocketAddress remote) {
        LocalSocket socket = socketFor(local);
        if (socket == null) {
            return;
        }
        RouteKey key = new RouteKey(socket.address, remote);
        UdpMuxConnection previous = socket.routes.put(remote, connection);
        if (previous != connection) {
            if (previous != null) {
                previous.routes().remove(key);
            }
            connection.routes().add(key);
            // close() may have run between the caller's check and the put: undo, so nothing outlives it.
            if (connection.isClosed()) {
                socket.routes.remove(remote, connection);
                connection.routes().remove(key);
            }
        }
    }

    void unregister(UdpMuxConnection connection) {
        ufrags.remove(connection.localUfrag(), connection);
        for (RouteKey key : List.copyOf(connection.routes())) {
            LocalSocket socket = socketFor(key.local());
            if (socket != null) {
                socket.routes.remove(key.remote(), connection);
            }
            connection.routes().remove(key);
        }
    }

    private LocalSocket socketFor(InetSocketAddress local) {
        for (LocalSocket s : sockets) {
            if (s.address.getPort() == local.getPort()
                    && Arrays.equals(s.address.getAddress().getAddress(), local.getAddress().getAddress())) {
                return s;
            }
        }
        return null;
    }
}
