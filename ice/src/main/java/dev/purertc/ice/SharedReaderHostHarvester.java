package dev.purertc.ice;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.harvest.HarvestStatistics;
import org.ice4j.message.Message;
import org.ice4j.stack.StunStack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.purertc.ice.mux.SharedUdpReader;

/**
 * UDP host candidates with a socket and port of their own per connection, as
 * {@link LoopbackCapableHostHarvester}'s, but read by a {@link SharedUdpReader} instead of an ice4j reader
 * thread per socket: the thread count stays fixed however many connections there are. What a socket
 * receives is split by first byte (RFC 7983): DTLS to the {@link SelectedPairTransport} on the reader
 * thread, STUN to ice4j's stack on the reader's control thread. Only for agents without STUN or TURN
 * servers (their harvests read the host socket through ice4j's own wrappers). A consent check on the selected
 * pair is answered without ice4j ({@link DirectConsentAnswer}).
 */
final class SharedReaderHostHarvester implements HostCandidateSockets {

    private static final Logger LOG = LoggerFactory.getLogger(SharedReaderHostHarvester.class);

    private final SharedUdpReader reader;
    private final HostAddressFilter filter;
    private final int portMin;
    private final int portMax;
    private final int socketBufferBytes;
    private final DemultiplexingDatagramSocket.InboundDatagramSink sink;
    private final Statistics statistics = new Statistics();
    private final List<SharedReaderDatagramSocket> sockets = new ArrayList<>();
    private volatile StunStack stunStack;
    private volatile Component component;
    private final LongAdder answeredDirectly = new LongAdder();
    private volatile StunInterceptor interceptor;

    SharedReaderHostHarvester(SharedUdpReader reader, HostAddressFilter filter, int portMin, int portMax,
                              int socketBufferBytes, DemultiplexingDatagramSocket.InboundDatagramSink sink) {
        this.reader = reader;
        this.filter = filter;
        this.portMin = portMin;
        this.portMax = portMax;
        this.socketBufferBytes = socketBufferBytes;
        this.sink = sink;
    }

    @Override
    public Collection<LocalCandidate> harvest(Component component) {
        statistics.start();
        List<LocalCandidate> candidates = new ArrayList<>();
        try {
            StunStack stack = component.getParentStream().getParentAgent().getStunStack();
            stunStack = stack;
            this.component = component;
            for (InetAddress address : LoopbackCapableHostHarvester.selectAddresses(filter)) {
                SharedUdpReader.OwnSocket own = LoopbackCapableHostHarvester.bindInRange(address, portMin, portMax,
                        local -> reader.bind(local, socketBufferBytes, this::onDatagram));
                SharedReaderDatagramSocket socket = new SharedReaderDatagramSocket(own);
                InetSocketAddress local = own.localAddress();
                HostCandidate candidate = new HostCandidate(
                        new TransportAddress(local.getAddress(), local.getPort(), Transport.UDP), component);
                if (component.addLocalCandidate(candidate)) {
                    ThreadlessStunConnector.register(stack, socket);
                    synchronized (sockets) {
                        sockets.add(socket);
                    }
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

    /** On the reader thread; {@code data} is reused after it returns. */
    private void onDatagram(SharedUdpReader.OwnSocket socket, InetSocketAddress remote, byte[] data, int offset,
                            int length) {
        switch (Rfc7983.classify(data, offset, length)) {
            case STUN -> {
                byte[] copy = Arrays.copyOfRange(data, offset, offset + length);
                InetSocketAddress local = socket.localAddress();
                reader.controlExecutor().execute(() -> handleStun(socket, copy, local, remote));
            }
            case DTLS -> sink.onDtls(null, data, offset, length, remote);
            default -> sink.onDropped(null);
        }
    }

    private void handleStun(SharedUdpReader.OwnSocket socket, byte[] data, InetSocketAddress local,
                            InetSocketAddress remote) {
        StunStack stack = stunStack;
        if (stack == null) {
            return;
        }
        StunInterceptor first = interceptor;
        if (first != null && first.consume(data, local, remote)) {
            return;
        }
        byte[] answer = DirectConsentAnswer.forSelectedPair(component, data, local, remote);
        if (answer != null) {
            try {
                socket.send(answer, 0, answer.length, remote);
                answeredDirectly.increment();
            } catch (IOException e) {
                LOG.debug("consent answer to {} not sent: {}", remote, e.toString());
            }
            return;
        }
        Message message = Ice4jStunDelivery.decode(data, remote);
        if (message != null) {
            Ice4jStunDelivery.deliver(stack, data, message, local, remote);
        }
    }

    /** STUN messages pass through the control thread of this harvester's reader first: always true. */
    @Override
    public boolean interceptStun(StunInterceptor interceptor) {
        this.interceptor = interceptor;
        return true;
    }

    @Override
    public DatagramSocket socketFor(InetSocketAddress local) {
        synchronized (sockets) {
            return HostCandidateSockets.boundTo(sockets, local);
        }
    }

    @Override
    public int socketCount() {
        synchronized (sockets) {
            return sockets.size();
        }
    }

    @Override
    public void closeSockets() {
        synchronized (sockets) {
            for (SharedReaderDatagramSocket socket : sockets) {
                socket.close();
            }
            sockets.clear();
        }
    }

    /** Consent checks answered by {@link DirectConsentAnswer} instead of ice4j. */
    long consentAnsweredDirectly() {
        return answeredDirectly.sum();
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
