package dev.purertc.ice.tcp;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.purertc.ice.mux.StunUfrag;

/**
 * Passive ICE-TCP (RFC 6544) on one TCP port for every ICE agent of a factory, as ice4j's {@code TcpHarvester}
 * and pion's {@code TCPMux} do: browsers whose network drops UDP connect here with their active TCP candidates.
 * Each connection carries RFC 4571 frames ({@link IceTcpConnection}); its first frame must be a STUN Binding
 * request whose USERNAME names a {@linkplain #register registered} local ufrag (RFC 8445 §7.2.2), which
 * attaches the connection to that agent; anything else closes it.
 *
 * <p>Threads: one selector thread ({@code purertc-icetcp-<port>}) accepts, reads and finishes queued writes
 * for every connection (non-blocking NIO; receivers run on it), and one control thread
 * ({@code purertc-icetcp-<port>-control}, {@link #controlExecutor()}) for ice4j's STUN processing. No thread
 * and one file descriptor per connection.
 *
 * <p>Ownership: whoever {@linkplain #open opens} the listener closes it ({@code PeerConnectionFactory} closes
 * its listener with itself). All methods may be called from any thread.
 */
public final class IceTcpListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IceTcpListener.class);

    /**
     * A connection ICE has not authenticated is closed this long after it was accepted: a port open to the
     * internet gets connections that never send a valid check, and each holds a socket until closed.
     */
    public static final Duration UNAUTHENTICATED_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Connections not yet authenticated, at most; more are closed at accept. Bounds the sockets and buffers
     * an unauthenticated client can hold; a browser opens one connection per passive candidate it checks.
     */
    public static final int MAX_PENDING_CONNECTIONS = 256;
    /**
     * TCP connections one agent accepts, at most: a browser opens one per (active candidate, passive
     * candidate) pair, a handful; more would only let one peer hold sockets.
     */
    public static final int MAX_CONNECTIONS_PER_AGENT = 16;
    /**
     * Bytes queued for one connection whose peer reads too slowly, at most; frames beyond are dropped (as a
     * full UDP buffer drops datagrams; SCTP retransmits) so a stalled peer cannot grow the heap.
     */
    public static final int MAX_QUEUED_WRITE_BYTES = 1024 * 1024;
    /** Control tasks queued beyond this are dropped (STUN is retransmitted, RFC 8445 §14.3). */
    static final int CONTROL_QUEUE_CAPACITY = 4096;
    private static final long SELECT_MILLIS = 250;

    private final int port;
    private final List<InetSocketAddress> localAddresses;
    private final List<ServerSocketChannel> servers;
    private final Selector selector;
    private final Thread selectorThread;
    private final ThreadPoolExecutor control;
    private final Map<String, IceTcpRegistration> ufrags = new ConcurrentHashMap<>();
    private final Set<IceTcpConnection> connections = ConcurrentHashMap.newKeySet();
    /** Selector thread only: accepted connections in accept order, for the unauthenticated timeout. */
    private final ArrayDeque<IceTcpConnection> pendingOrder = new ArrayDeque<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong refusedOverPendingLimit = new AtomicLong();
    private final AtomicLong closedUnrouted = new AtomicLong();
    private final AtomicLong closedOverAgentLimit = new AtomicLong();
    private final AtomicLong closedUnauthenticated = new AtomicLong();
    private final AtomicLong droppedWrites = new AtomicLong();
    private final AtomicLong droppedControlTasks = new AtomicLong();
    private volatile boolean closed;

    private IceTcpListener(int port, List<InetSocketAddress> localAddresses, List<ServerSocketChannel> servers,
                           Selector selector) {
        this.port = port;
        this.localAddresses = List.copyOf(localAddresses);
        this.servers = List.copyOf(servers);
        this.selector = selector;
        this.selectorThread = new Thread(this::selectLoop, "purertc-icetcp-" + port);
        this.selectorThread.setDaemon(true);
        this.control = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(CONTROL_QUEUE_CAPACITY), r -> {
                    Thread t = new Thread(r, "purertc-icetcp-" + port + "-control");
                    t.setDaemon(true);
                    return t;
                }, (task, executor) -> droppedControlTasks.incrementAndGet());
    }

    /**
     * Listens on {@code port} on every address (0: the first address gets an ephemeral port and the others
     * bind the same number) and starts the selector thread.
     *
     * @throws BindException if the port is taken on one of the addresses
     */
    public static IceTcpListener open(List<InetAddress> addresses, int port) throws IOException {
        Objects.requireNonNull(addresses, "addresses");
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("an ICE-TCP listener needs at least one local address");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        List<ServerSocketChannel> opened = new ArrayList<>();
        List<InetSocketAddress> bound = new ArrayList<>();
        Selector selector = Selector.open();
        int chosen = port;
        try {
            for (InetAddress address : addresses) {
                ServerSocketChannel server = ServerSocketChannel.open();
                opened.add(server);
                server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                try {
                    server.bind(new InetSocketAddress(address, chosen), MAX_PENDING_CONNECTIONS);
                } catch (BindException e) {
                    BindException named = new BindException("TCP port " + chosen + " is taken on "
                            + address.getHostAddress() + ": " + e.getMessage());
                    named.initCause(e);
                    throw named;
                }
                chosen = ((InetSocketAddress) server.getLocalAddress()).getPort();
                bound.add(new InetSocketAddress(address, chosen));
                server.configureBlocking(false);
                server.register(selector, SelectionKey.OP_ACCEPT);
            }
        } catch (IOException | RuntimeException e) {
            for (ServerSocketChannel s : opened) {
                s.close();
            }
            selector.close();
            throw e;
        }
        IceTcpListener listener = new IceTcpListener(chosen, bound, opened, selector);
        listener.selectorThread.start();
        LOG.debug("ICE-TCP listener on port {}: {}", chosen, bound);
        return listener;
    }

    /** The port every local address listens on. */
    public int port() {
        return port;
    }

    /** The listening addresses, all with {@link #port()}; the passive candidates carry these. */
    public List<InetSocketAddress> localAddresses() {
        return localAddresses;
    }

    /**
     * Registers an ICE agent's local ufrag: connections whose first Binding request names it attach to the
     * returned registration and their frames reach {@code receiver}.
     *
     * @throws IllegalStateException if the ufrag is registered already or the listener is closed
     */
    public IceTcpRegistration register(String localUfrag, IceTcpRegistration.Receiver receiver) {
        Objects.requireNonNull(localUfrag, "localUfrag");
        Objects.requireNonNull(receiver, "receiver");
        if (closed) {
            throw new IllegalStateException("ICE-TCP listener on port " + port + " is closed");
        }
        IceTcpRegistration r = new IceTcpRegistration(this, localUfrag, receiver);
        if (ufrags.putIfAbsent(localUfrag, r) != null) {
            throw new IllegalStateException("ufrag " + localUfrag + " is registered on the ICE-TCP listener already");
        }
        if (closed) {
            r.close();
            throw new IllegalStateException("ICE-TCP listener on port " + port + " is closed");
        }
        return r;
    }

    void unregister(IceTcpRegistration registration) {
        ufrags.remove(registration.localUfrag(), registration);
    }

    /**
     * The executor for work that must not run on the selector thread: one thread, at most
     * {@value #CONTROL_QUEUE_CAPACITY} queued tasks, those beyond dropped and counted.
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

    /**
     * Selector thread: the registration the first frame of {@code connection} names (RFC 8445 §7.2.2), the
     * connection attached to it; or null (the caller closes the connection).
     */
    IceTcpRegistration route(IceTcpConnection connection, byte[] data, int offset, int length) {
        String ufrag = StunUfrag.localUfrag(data, offset, length);
        IceTcpRegistration r = ufrag == null ? null : ufrags.get(ufrag);
        if (r == null) {
            closedUnrouted.incrementAndGet();
            return null;
        }
        if (!r.attach(connection)) {
            closedOverAgentLimit.incrementAndGet();
            return null;
        }
        return r;
    }

    void pendingLeft() {
        pending.decrementAndGet();
    }

    void forget(IceTcpConnection connection) {
        connections.remove(connection);
    }

    void receiverFailed(IceTcpConnection connection, RuntimeException e) {
        LOG.warn("ICE-TCP listener on port {}: the receiver of {} threw; frame dropped", port, connection, e);
    }

    void writeDropped() {
        droppedWrites.incrementAndGet();
    }

    void wakeup() {
        selector.wakeup();
    }

    private void selectLoop() {
        while (!closed) {
            try {
                selector.select(SELECT_MILLIS);
            } catch (IOException e) {
                LOG.error("ICE-TCP listener on port {}: select failed, listener stops", port, e);
                return;
            } catch (java.nio.channels.ClosedSelectorException e) {
                return;
            }
            Set<SelectionKey> selected;
            try {
                selected = selector.selectedKeys();
            } catch (java.nio.channels.ClosedSelectorException e) {
                return;
            }
            for (SelectionKey key : selected) {
                runSafely(() -> handle(key));
            }
            selected.clear();
            expireUnauthenticated();
            // Receivers run on this thread; an interrupt one leaves behind would close channels it touches.
            if (Thread.interrupted() && !closed) {
                LOG.debug("ICE-TCP listener on port {}: cleared an interrupt left on the selector thread", port);
            }
        }
    }

    private void runSafely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("ICE-TCP listener on port {}: a handler threw", port, e);
        }
    }

    private void handle(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            accept((ServerSocketChannel) key.channel());
            return;
        }
        IceTcpConnection c = (IceTcpConnection) key.attachment();
        if (key.isWritable()) {
            c.onWritable();
        }
        if (key.isValid() && key.isReadable()) {
            c.onReadable();
        }
    }

    private void accept(ServerSocketChannel server) {
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                LOG.debug("ICE-TCP accept failed: {}", e.toString());
                return;
            }
            if (channel == null) {
                return;
            }
            if (pending.get() >= MAX_PENDING_CONNECTIONS) {
                refusedOverPendingLimit.incrementAndGet();
                closeQuietly(channel);
                continue;
            }
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
                InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
                IceTcpConnection c = new IceTcpConnection(this, channel, local, remote);
                pending.incrementAndGet();
                connections.add(c);
                pendingOrder.add(c);
                c.setKey(channel.register(selector, SelectionKey.OP_READ, c));
            } catch (ClosedChannelException e) {
                closeQuietly(channel);
            } catch (IOException e) {
                LOG.debug("ICE-TCP: cannot set up an accepted connection: {}", e.toString());
                closeQuietly(channel);
            }
        }
    }

    /** Closes connections still unauthenticated {@link #UNAUTHENTICATED_TIMEOUT} after their accept. */
    private void expireUnauthenticated() {
        long now = System.nanoTime();
        long limit = UNAUTHENTICATED_TIMEOUT.toNanos();
        while (!pendingOrder.isEmpty()) {
            IceTcpConnection head = pendingOrder.peek();
            if (head.isClosed() || head.isAuthenticated()) {
                pendingOrder.poll();
                continue;
            }
            if (now - head.acceptedNanos < limit) {
                return;
            }
            pendingOrder.poll();
            closedUnauthenticated.incrementAndGet();
            head.close();
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to release beyond the descriptor
        }
    }

    /** Connections open now (pending or attached). */
    public int connectionCount() {
        return connections.size();
    }

    /** Connections accepted and not yet authenticated by ICE. */
    public int pendingConnectionCount() {
        return pending.get();
    }

    /** Registered local ufrags. */
    public int registrationCount() {
        return ufrags.size();
    }

    /** Connections closed at accept because {@link #MAX_PENDING_CONNECTIONS} were pending. */
    public long refusedOverPendingLimit() {
        return refusedOverPendingLimit.get();
    }

    /** Connections closed because their first frame named no registered ufrag (or was no Binding request). */
    public long closedUnrouted() {
        return closedUnrouted.get();
    }

    /** Connections closed because their agent had {@link #MAX_CONNECTIONS_PER_AGENT} already. */
    public long closedOverAgentLimit() {
        return closedOverAgentLimit.get();
    }

    /** Connections closed by {@link #UNAUTHENTICATED_TIMEOUT}. */
    public long closedUnauthenticated() {
        return closedUnauthenticated.get();
    }

    /** Frames dropped because a connection had {@link #MAX_QUEUED_WRITE_BYTES} queued. */
    public long droppedWrites() {
        return droppedWrites.get();
    }

    /** Control tasks dropped because the queue was full. */
    public long droppedControlTasks() {
        return droppedControlTasks.get();
    }

    /** Threads the listener runs now: the selector and, once started, the control thread. */
    public int threadCount() {
        return (selectorThread.isAlive() ? 1 : 0) + control.getPoolSize();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Closes every registration and connection, the listening sockets and the threads (bounded wait). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (IceTcpRegistration r : List.copyOf(ufrags.values())) {
            r.close();
        }
        selector.wakeup();
        try {
            selectorThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (IceTcpConnection c : List.copyOf(connections)) {
            c.close();
        }
        for (ServerSocketChannel s : servers) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("closing ICE-TCP server socket: {}", e.toString());
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing ICE-TCP selector: {}", e.toString());
        }
        control.shutdownNow();
        try {
            control.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
