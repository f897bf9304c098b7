package dev.purertc.ice;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.ice4j.Transport;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.harvest.HarvestStatistics;
import org.ice4j.socket.IceUdpSocketWrapper;
import org.ice4j.socket.MultiplexingDatagramSocket;

/**
 * UDP host candidates from the addresses a {@link HostAddressFilter} accepts, loopback included when
 * asked (ice4j's {@code HostCandidateHarvester} never gathers loopback). Each candidate's socket is a
 * {@link DemultiplexingDatagramSocket}, so DTLS is split off on ice4j's reader thread. Without STUN or TURN
 * servers over UDP the candidates are {@link DirectStunHostCandidate}s, one fd and no ice4j socket wrapper
 * each.
 */
final class LoopbackCapableHostHarvester implements HostCandidateSockets {

    private final HostAddressFilter filter;
    private final int portMin;
    private final int portMax;
    private final int socketBufferBytes;
    private final DemultiplexingDatagramSocket.InboundDatagramSink sink;
    private final java.util.Set<InetSocketAddress> turnServers;
    private final boolean relayOnly;
    private final boolean serverHarvestsOverUdp;
    private final Statistics statistics = new Statistics();
    private final List<DemultiplexingDatagramSocket> sockets = new ArrayList<>();

    /**
     * @param socketBufferBytes     SO_RCVBUF/SO_SNDBUF to request on every socket, 0 for the kernel's defaults
     * @param serverHarvestsOverUdp a STUN or TURN server is harvested through these sockets: the candidates
     *                              then get ice4j's {@code MultiplexingDatagramSocket}, which those harvests
     *                              need; otherwise they are {@link DirectStunHostCandidate}s
     */
    LoopbackCapableHostHarvester(HostAddressFilter filter, int portMin, int portMax, int socketBufferBytes,
                                 DemultiplexingDatagramSocket.InboundDatagramSink sink,
                                 java.util.Set<InetSocketAddress> turnServers, boolean relayOnly,
                                 boolean serverHarvestsOverUdp) {
        this.filter = filter;
        this.portMin = portMin;
        this.portMax = portMax;
        this.socketBufferBytes = socketBufferBytes;
        this.sink = sink;
        this.turnServers = java.util.Set.copyOf(turnServers);
        this.relayOnly = relayOnly;
        this.serverHarvestsOverUdp = serverHarvestsOverUdp;
    }

    /** The addresses {@code filter} accepts on this machine now, loopback interfaces first. */
    static List<InetAddress> selectAddresses(HostAddressFilter filter) throws SocketException {
        List<InetAddress> result = new ArrayList<>();
        Enumeration<NetworkInterface> interfaces = NetworkInterface.getNetworkInterfaces();
        if (interfaces == null) {
            return result;
        }
        List<NetworkInterface> ordered = new ArrayList<>();
        for (NetworkInterface nif : java.util.Collections.list(interfaces)) {
            if (nif.isLoopback()) {
                ordered.add(0, nif);
            } else {
                ordered.add(nif);
            }
        }
        for (NetworkInterface nif : ordered) {
            if (!filter.acceptsInterface(nif)) {
                continue;
            }
            for (InetAddress address : java.util.Collections.list(nif.getInetAddresses())) {
                if (filter.acceptsAddress(address)) {
                    result.add(address);
                }
            }
        }
        return result;
    }

    @Override
    public Collection<LocalCandidate> harvest(Component component) {
        statistics.start();
        List<LocalCandidate> candidates = new ArrayList<>();
        try {
            for (InetAddress address : selectAddresses(filter)) {
                DemultiplexingDatagramSocket socket = bind(address);
                socket.requestBufferSizes(socketBufferBytes);
                synchronized (sockets) {
                    sockets.add(socket);
                }
                HostCandidate candidate = serverHarvestsOverUdp
                        ? new HostCandidate(new IceUdpSocketWrapper(new MultiplexingDatagramSocket(socket)), component,
                                Transport.UDP)
                        : new DirectStunHostCandidate(socket, component);
                if (component.addLocalCandidate(candidate)) {
                    candidate.getStunStack().addSocket(candidate.getStunSocket(null));
                    candidates.add(candidate);
                } else {
                    socket.close();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("host candidate harvest failed: " + e.getMessage(), e);
        } finally {
            statistics.stop(candidates.size());
        }
        return candidates;
    }

    private DemultiplexingDatagramSocket bind(InetAddress address) throws IOException {
        return bindInRange(address, portMin, portMax,
                local -> new DemultiplexingDatagramSocket(local, sink, turnServers, relayOnly));
    }

    /** Opens a socket on {@code local}: one way of binding, for {@link #bindInRange}. */
    @FunctionalInterface
    interface Binder<T> {
        T bind(InetSocketAddress local) throws IOException;
    }

    /**
     * Binds on {@code address} with an ephemeral port ({@code portMin} 0), or on the first free port of
     * {@code portMin..portMax}, starting at a random one (RFC 8445 §5.1.1.1).
     */
    static <T> T bindInRange(InetAddress address, int portMin, int portMax, Binder<T> binder) throws IOException {
        if (portMin == 0) {
            return binder.bind(new InetSocketAddress(address, 0));
        }
        int range = portMax - portMin + 1;
        int start = ThreadLocalRandom.current().nextInt(range);
        for (int i = 0; i < range; i++) {
            int port = portMin + (start + i) % range;
            try {
                return binder.bind(new InetSocketAddress(address, port));
            } catch (BindException busy) {
                // RFC 8445 §5.1.1.1: try the next port of the configured range.
            }
        }
        throw new BindException("no free UDP port in " + portMin + ".." + portMax + " on " + address);
    }

    /** The socket bound to {@code local}, or {@code null} if this harvester opened none there. */
    @Override
    public DemultiplexingDatagramSocket socketFor(InetSocketAddress local) {
        synchronized (sockets) {
            return HostCandidateSockets.boundTo(sockets, local);
        }
    }

    /** Number of sockets opened and not yet closed by {@link #closeSockets()}. */
    @Override
    public int socketCount() {
        synchronized (sockets) {
            return sockets.size();
        }
    }

    /** Closes every socket this harvester opened (ice4j closes them too; closing twice is harmless). */
    @Override
    public void closeSockets() {
        synchronized (sockets) {
            for (DemultiplexingDatagramSocket socket : sockets) {
                socket.close();
            }
            sockets.clear();
        }
    }

    @Override
    public HarvestStatistics getHarvestStatistics() {
        return statistics;
    }

    @Override
    public boolean isHostHarvester() {
        return true;
    }

    /** ice4j's statistics type keeps its recording methods protected. */
    private static final class Statistics extends HarvestStatistics {
        void start() {
            startHarvestTiming();
        }

        void stop(int candidates) {
            stopHarvestTiming(candidates);
        }
    }
}
