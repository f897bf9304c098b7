package dev.purertc.ice.mux;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-connection UDP sockets read by one thread: each connection keeps a socket and port of its own (as a
 * browser's peer connections do), but no reader thread of its own. One {@link Selector} thread
 * ({@code purertc-udpread-<n>}) reads every socket registered here and runs its receiver inline; one control
 * thread ({@code purertc-udpread-<n>-control}, {@link #controlExecutor()}) takes work that must not stall the
 * reader (ice4j's STUN processing), as {@link UdpMux}'s does.
 *
 * <p>This is the per-connection-socket counterpart of {@link UdpMux}: a factory whose connections each have
 * their own port (a client making many connections, or a test simulating many browsers) has a fixed number
 * of threads whatever the number of connections; the sockets still cost one fd each.
 *
 * <p>The reader clears an interrupt left on its thread by a receiver before every read: an interrupted
 * thread would otherwise close the channel it reads (an interruptible channel's rule).
 *
 * <p>Ownership: whoever {@linkplain #open opens} the reader closes it, which closes every socket left.
 * All methods may be called from any thread.
 */
public final class SharedUdpReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SharedUdpReader.class);
    private static final AtomicInteger NEXT_ID = new AtomicInteger();
    private static final int MAX_DATAGRAM_BYTES = 65_535;

    /** Receives the datagrams of one socket, on the reader thread; {@code data} is reused after it returns. */
    public interface Receiver {
        void onDatagram(OwnSocket socket, InetSocketAddress remote, byte[] data, int offset, int length);
    }

    /** One connection's socket: its own port, read by the shared thread. */
    public final class OwnSocket implements AutoCloseable {
        private final DatagramChannel channel;
        private final InetSocketAddress local;
        private final Receiver receiver;
        private final java.util.concurrent.atomic.AtomicBoolean closedOnce = new java.util.concurrent.atomic.AtomicBoolean();

        private OwnSocket(DatagramChannel channel, InetSocketAddress local, Receiver receiver) {
            this.channel = channel;
            this.local = local;
            this.receiver = receiver;
        }

        public InetSocketAddress localAddress() {
            return local;
        }

        /**
         * Sends one datagram. The channel is non-blocking: a full send buffer drops the datagram (counted in
         * {@link #droppedSends()}), as a full router queue would.
         */
        public void send(byte[] data, int offset, int length, InetSocketAddress remote) throws IOException {
            if (channel.send(ByteBuffer.wrap(data, offset, length), remote) == 0) {
                droppedSends.incrementAndGet();
            }
        }

        public boolean isClosed() {
            return !channel.isOpen();
        }

        /** Closes the socket (which also cancels its registration with the reader); idempotent. */
        @Override
        public void close() {
            if (!closedOnce.compareAndSet(false, true)) {
                return;
            }
            open.decrementAndGet();
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("{}: close failed: {}", local, e.toString());
            }
            selector.wakeup();
        }
    }

    private final Selector selector;
    private final Thread reader;
    private final ThreadPoolExecutor control;
    private final ConcurrentLinkedQueue<OwnSocket> pending = new ConcurrentLinkedQueue<>();
    private final AtomicLong droppedSends = new AtomicLong();
    private final AtomicLong droppedControlTasks = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closed;

    private SharedUdpReader(Selector selector, String name) {
        this.selector = selector;
        this.reader = new Thread(this::readLoop, name);
        this.reader.setDaemon(true);
        this.control = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(UdpMux.CONTROL_QUEUE_CAPACITY), r -> {
                    Thread t = new Thread(r, name + "-control");
                    t.setDaemon(true);
                    return t;
                }, (task, executor) -> droppedControlTasks.incrementAndGet());
    }

    /** Opens the reader and starts its thread. */
    public static SharedUdpReader open() throws IOException {
        SharedUdpReader r = new SharedUdpReader(Selector.open(), "purertc-udpread-" + NEXT_ID.incrementAndGet());
        r.reader.start();
        return r;
    }

    /**
     * Binds a UDP socket on {@code local} (port 0 for an ephemeral one) read by this reader.
     *
     * @param socketBufferBytes SO_RCVBUF/SO_SNDBUF to request, 0 for the kernel's defaults
     * @throws java.net.BindException if the address and port are taken
     */
    public OwnSocket bind(InetSocketAddress local, int socketBufferBytes, Receiver receiver) throws IOException {
        Objects.requireNonNull(receiver, "receiver");
        if (closed) {
            throw new IOException("the shared UDP reader is closed");
        }
        DatagramChannel channel = DatagramChannel.open();
        try {
            if (socketBufferBytes > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, socketBufferBytes);
                channel.setOption(StandardSocketOptions.SO_SNDBUF, socketBufferBytes);
            }
            channel.bind(local);
            channel.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
        OwnSocket socket = new OwnSocket(channel, new InetSocketAddress(local.getAddress(), bound.getPort()), receiver);
        open.incrementAndGet();
        pending.add(socket);
        selector.wakeup();
        return socket;
    }

    /** Where receivers hand work that must not run on the reader thread; tasks beyond 4,096 queued are dropped. */
    public Executor controlExecutor() {
        return control;
    }

    /** Sockets bound here and not closed yet. */
    public int openSockets() {
        return open.get();
    }

    /** Datagrams a full send buffer refused. */
    public long droppedSends() {
        return droppedSends.get();
    }

    /** Control tasks dropped because the control queue was full. */
    public long droppedControlTasks() {
        return droppedControlTasks.get();
    }

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM_BYTES);
        byte[] array = buffer.array();
        while (!closed) {
            try {
                selector.select();
            } catch (IOException e) {
                LOG.error("shared UDP reader: select failed, reader stops: {}", e.toString());
                return;
            }
            registerPending();
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                OwnSocket socket = (OwnSocket) key.attachment();
                if (!key.isValid()) {
                    continue;
                }
                drain(socket, buffer, array);
            }
        }
    }

    private void registerPending() {
        OwnSocket s;
        while ((s = pending.poll()) != null) {
            try {
                s.channel.register(selector, SelectionKey.OP_READ, s);
            } catch (ClosedChannelException e) {
                // closed before the reader saw it: nothing to read
            }
        }
    }

    /** Reads what {@code socket} holds, at most 64 datagrams per wake-up so no socket starves the others. */
    private void drain(OwnSocket socket, ByteBuffer buffer, byte[] array) {
        for (int i = 0; i < 64; i++) {
            // An interrupt left by a receiver would close the channel at the next read (interruptible I/O).
            Thread.interrupted();
            InetSocketAddress remote;
            buffer.clear();
            try {
                remote = (InetSocketAddress) socket.channel.receive(buffer);
            } catch (IOException e) {
                if (!socket.channel.isOpen()) {
                    return;
                }
                // ICMP port unreachable and the like surface here on Linux; the socket stays usable.
                LOG.debug("{}: receive failed: {}", socket.local, e.toString());
                continue;
            }
            if (remote == null) {
                return;
            }
            try {
                socket.receiver.onDatagram(socket, remote, array, 0, buffer.position());
            } catch (RuntimeException e) {
                LOG.warn("{}: a receiver threw; datagram dropped", socket.local, e);
            }
        }
    }

    /** Stops the reader and its control thread and closes every socket left. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        selector.wakeup();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof OwnSocket s) {
                s.close();
            }
        }
        OwnSocket s;
        while ((s = pending.poll()) != null) {
            s.close();
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("selector close failed: {}", e.toString());
        }
        control.shutdownNow();
    }
}
