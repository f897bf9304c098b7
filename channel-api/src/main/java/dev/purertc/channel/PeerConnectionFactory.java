package dev.purertc.channel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.purertc.ice.HostAddressFilter;
import dev.purertc.ice.mux.SharedUdpReader;
import dev.purertc.ice.mux.UdpMux;
import dev.purertc.ice.tcp.IceTcpListener;


/**
 * Owns what peer connections share: a few serial event loops (each connection's SCTP association, data
 * channels, timers and listener calls run on one of them, many connections per loop), and the pool
 * that runs BouncyCastle's blocking DTLS handshakes. No thread is parked per connection after setup
 * beyond ice4j's socket reader.
 *
 * <p>Threads it starts: {@code purertc-loop-N} (one per loop, for the factory's lifetime) and
 * {@code purertc-dtls-N} (only while handshakes run, or while a failed or peer-closed connection's
 * sockets are released; idle ones end after one second). {@link #close()}
 * closes every connection still open and stops all of them.
 *
 * <p>With {@link RtcConfiguration.Builder#udpMux(int)} its connections share one UDP port: the factory
 * opens a {@link UdpMux} at the first such connection (threads {@code purertc-udpmux-<port>-<address>}, one
 * per local address, and {@code purertc-udpmux-<port>-control}) and closes it in {@link #close()}; then no
 * connection has a socket or an ICE reader thread of its own. With {@link RtcConfiguration.Builder#iceTcp(int)}
 * it opens one {@link IceTcpListener} the same way (threads {@code purertc-icetcp-<port>} and
 * {@code purertc-icetcp-<port>-control}) and closes it in {@link #close()}. With
 * {@link RtcConfiguration.Builder#sharedSocketReader(boolean)} connections keep sockets of their own, read by
 * one {@link SharedUdpReader} the factory opens the same way (threads {@code purertc-udpread-<n>} and
 * {@code purertc-udpread-<n>-control}) instead of an ice4j reader thread each.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public final class PeerConnectionFactory implements AutoCloseable {

    private static final AtomicInteger FACTORIES = new AtomicInteger();
    /** Handshakes run concurrently without queueing: with both ends of many connections in one JVM a
     *  bounded pool could fill with clients waiting for servers that never get a thread. */
    private static final int MAX_HANDSHAKE_THREADS = 512;

    private final List<EventLoop> loops = new ArrayList<>();
    private final ThreadPoolExecutor handshakePool;
    private final Set<RTCPeerConnection> open = ConcurrentHashMap.newKeySet();
    private final RecordPool recordPool = new RecordPool();
    private final AtomicInteger nextLoop = new AtomicInteger();
    /** Shared UDP ports by what they were opened for; guarded by itself. */
    private final Map<UdpMuxKey, UdpMux> udpMuxes = new HashMap<>();
    /** The reader of per-connection sockets ({@code sharedSocketReader}), opened at first use; guarded by {@link #udpMuxes}. */
    private SharedUdpReader sharedUdpReader;
    /** ICE-TCP listeners by what they were opened for; guarded by {@link #udpMuxes}. */
    private final Map<IceTcpKey, IceTcpListener> iceTcpListeners = new HashMap<>();
    private volatile boolean closed;

    /** A factory with one event loop per available processor, at most four. */
    public PeerConnectionFactory() {
        this(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
    }

    /** A factory with {@code eventLoops} serial event loops. */
    public PeerConnectionFactory(int eventLoops) {
        if (eventLoops < 1 || eventLoops > 64) {
            throw new IllegalArgumentException("eventLoops must be 1..64, got " + eventLoops);
        }
        int factory = FACTORIES.incrementAndGet();
        ColdStartWarmUp.startOnce();
        for (int i = 0; i < eventLoops; i++) {
            loops.add(new EventLoop("purertc-loop-" + factory + "-" + i));
        }
        AtomicInteger handshakeThreads = new AtomicInteger();
        handshakePool = new ThreadPoolExecutor(0, MAX_HANDSHAKE_THREADS, 1, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "purertc-dtls-" + factory + "-" + handshakeThreads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * Creates a peer connection. Nothing is sent and no socket is opened until it gathers (at
     * {@code setLocalDescription}, or at once with a candidate pool).
     *
     * @param listener its events, called on the connection's event loop
     * @throws IllegalStateException if the factory is closed
     */
    public RTCPeerConnection createPeerConnection(RtcConfiguration configuration, PeerConnectionListener listener) {
        Objects.requireNonNull(configuration, "configuration");
        Objects.requireNonNull(listener, "listener");
        if (closed) {
            throw new IllegalStateException("the factory is closed");
        }
        EventLoop loop = loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size()));
        RTCPeerConnection pc = new RTCPeerConnection(this, loop, configuration, listener);
        open.add(pc);
        if (closed) {
            pc.close();
            throw new IllegalStateException("the factory is closed");
        }
        return pc;
    }

    /** What a shared port is opened for: connections agreeing on all three share it. */
    private record UdpMuxKey(int port, HostAddressFilter hostAddresses, int socketBufferBytes) {
    }

    /**
     * The factory's mux for {@code config}'s {@link RtcConfiguration#udpMuxPort()}, opened on first use; null
     * when the configuration asks for per-connection sockets.
     *
     * @throws UncheckedIOException if the port cannot be bound (taken, or no address matches)
     */
    UdpMux udpMuxFor(RtcConfiguration config) {
        if (config.udpMuxPort() == RtcConfiguration.UDP_MUX_OFF) {
            return null;
        }
        UdpMuxKey key = new UdpMuxKey(config.udpMuxPort(), config.hostAddresses(), config.socketBufferBytes());
        synchronized (udpMuxes) {
            if (closed) {
                throw new IllegalStateException("the factory is closed");
            }
            UdpMux mux = udpMuxes.get(key);
            if (mux == null) {
                try {
                    List<java.net.InetAddress> addresses = config.hostAddresses().localAddresses();
                    if (addresses.isEmpty()) {
                        throw new IOException("no local address matches " + config.hostAddresses());
                    }
                    mux = UdpMux.open(addresses, config.udpMuxPort(), config.socketBufferBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open the shared UDP port " + config.udpMuxPort()
                            + ": " + e.getMessage(), e);
                }
                udpMuxes.put(key, mux);
            }
            return mux;
        }
    }

    /**
     * The factory's reader of per-connection sockets when {@code config} asks for one
     * ({@link RtcConfiguration#sharedSocketReader()} without a shared port), opened on first use; else null.
     *
     * @throws UncheckedIOException if the selector cannot be opened
     */
    SharedUdpReader sharedUdpReaderFor(RtcConfiguration config) {
        if (!config.sharedSocketReader() || config.udpMuxPort() != RtcConfiguration.UDP_MUX_OFF) {
            return null;
        }
        synchronized (udpMuxes) {
            if (closed) {
                throw new IllegalStateException("the factory is closed");
            }
            if (sharedUdpReader == null) {
                try {
                    sharedUdpReader = SharedUdpReader.open();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open the shared UDP reader: " + e.getMessage(), e);
                }
            }
            return sharedUdpReader;
        }
    }

    /** What an ICE-TCP port is opened for: connections agreeing on both share it. */
    private record IceTcpKey(int port, HostAddressFilter hostAddresses) {
    }

    /**
     * The factory's ICE-TCP listener for {@code config}'s {@link RtcConfiguration#iceTcpPort()}, opened on first
     * use; null when the configuration asks for UDP only.
     *
     * @throws UncheckedIOException if the port cannot be bound (taken, or no address matches)
     */
    IceTcpListener iceTcpListenerFor(RtcConfiguration config) {
        if (config.iceTcpPort() == RtcConfiguration.ICE_TCP_OFF) {
            return null;
        }
        IceTcpKey key = new IceTcpKey(config.iceTcpPort(), config.hostAddresses());
        synchronized (udpMuxes) {
            if (closed) {
                throw new IllegalStateException("the factory is closed");
            }
            IceTcpListener listener = iceTcpListeners.get(key);
            if (listener == null) {
                try {
                    List<java.net.InetAddress> addresses = config.hostAddresses().localAddresses();
                    if (addresses.isEmpty()) {
                        throw new IOException("no local address matches " + config.hostAddresses());
                    }
                    listener = IceTcpListener.open(addresses, config.iceTcpPort());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open the ICE-TCP port " + config.iceTcpPort()
                            + ": " + e.getMessage(), e);
                }
                iceTcpListeners.put(key, listener);
            }
            return listener;
        }
    }

    /**
     * The ICE-TCP ports ({@link RtcConfiguration.Builder#iceTcp(int)}) this factory has open, e.g. to learn the
     * port the system picked for {@code iceTcp(0)}. The factory owns them: do not close them.
     */
    public List<IceTcpListener> iceTcpListeners() {
        synchronized (udpMuxes) {
            return List.copyOf(iceTcpListeners.values());
        }
    }

    /**
     * The shared UDP ports ({@link RtcConfiguration.Builder#udpMux(int)}) this factory has open, e.g. to
     * learn the port the system picked for {@code udpMux(0)}. The factory owns them: do not close them.
     */
    public List<UdpMux> udpMuxes() {
        synchronized (udpMuxes) {
            return List.copyOf(udpMuxes.values());
        }
    }

    /**
     * The reader of per-connection sockets ({@link RtcConfiguration.Builder#sharedSocketReader(boolean)}) if
     * this factory has opened it, else null. The factory owns it: do not close it.
     */
    public SharedUdpReader sharedUdpReader() {
        synchronized (udpMuxes) {
            return sharedUdpReader;
        }
    }

    /** Connections created and not yet closed. */
    public int openConnections() {
        return open.size();
    }

    ExecutorService handshakePool() {
        return handshakePool;
    }

    /** The arrays that carry decrypted records from the socket readers to this factory's loops. */
    RecordPool recordPool() {
        return recordPool;
    }

    /**
     * Runs {@code task} on the handshake pool's threads: blocking work such as releasing a failed
     * connection's ICE agent, which must not hold up an event loop or an ICE callback thread. Runs it
     * inline once the factory is closing.
     */
    void runBlocking(Runnable task) {
        try {
            handshakePool.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            task.run();
        }
    }

    void forget(RTCPeerConnection pc) {
        open.remove(pc);
    }

    /** Closes every open connection, then stops the loops and the handshake pool and waits for them (bounded). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (RTCPeerConnection pc : List.copyOf(open)) {
            pc.close();
        }
        // After the connections: their agents unregister from the muxes as they close.
        synchronized (udpMuxes) {
            udpMuxes.values().forEach(UdpMux::close);
            udpMuxes.clear();
            iceTcpListeners.values().forEach(IceTcpListener::close);
            iceTcpListeners.clear();
            if (sharedUdpReader != null) {
                sharedUdpReader.close();
                sharedUdpReader = null;
            }
        }
        handshakePool.shutdown();
        try {
            for (EventLoop loop : loops) {
                loop.shutdown(10_000);
            }
            handshakePool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
