package dev.purertc.ice;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.harvest.HarvestStatistics;
import org.ice4j.message.Message;
import org.ice4j.message.Request;
import org.ice4j.stack.RequestListener;
import org.ice4j.stack.StunStack;
import org.ice4j.StunMessageEvent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.purertc.ice.mux.UdpMux;
import dev.purertc.ice.mux.UdpMuxConnection;

/**
 * Host candidates on a shared {@link UdpMux}: one candidate per mux address, all with the mux's port, and
 * no socket or thread of their own. The agent's local ufrag is registered with the mux at harvest, and
 * what the mux routes to it is split by first byte (RFC 7983): DTLS to the {@link SelectedPairTransport}
 * on the mux's reader thread, STUN to ice4j's stack on the mux's control thread.
 *
 * <p>A STUN Binding request from an address not routed yet reaches ice4j only if it carries
 * MESSAGE-INTEGRITY (RFC 8445 §7.2.2; ice4j alone would accept a check without it), and its address becomes
 * a route only once ice4j has verified it and passed it to its request listeners (this class is one).
 * A consent check on the selected pair from a routed address is answered without ice4j
 * ({@link DirectConsentAnswer}).
 */
final class UdpMuxHarvester implements HostCandidateSockets {

    private static final Logger LOG = LoggerFactory.getLogger(UdpMuxHarvester.class);

    private final UdpMux mux;
    private final DemultiplexingDatagramSocket.InboundDatagramSink sink;
    private final Statistics statistics = new Statistics();
    private final List<MuxedDatagramSocket> sockets = new ArrayList<>();
    private volatile UdpMuxConnection connection;
    private volatile StunStack stunStack;
    private volatile Component component;
    private final LongAdder answeredDirectly = new LongAdder();
    private volatile StunInterceptor interceptor;

    UdpMuxHarvester(UdpMux mux, DemultiplexingDatagramSocket.InboundDatagramSink sink) {
        this.mux = mux;
        this.sink = sink;
    }

    @Override
    public Collection<LocalCandidate> harvest(Component component) {
        statistics.start();
        List<LocalCandidate> candidates = new ArrayList<>();
        try {
            StunStack stack = component.getParentStream().getParentAgent().getStunStack();
            String ufrag = component.getParentStream().getParentAgent().getLocalUfrag();
            stunStack = stack;
            this.component = component;
            UdpMuxConnection c = mux.register(ufrag, this::onDatagram);
            connection = c;
            // RFC 8445 §7.3.1.3: a check that passed ice4j's MESSAGE-INTEGRITY check routes its address here.
            stack.addRequestListener(new RouteAuthenticatedChecks(c));
            for (InetSocketAddress local : mux.localAddresses()) {
                MuxedDatagramSocket socket = new MuxedDatagramSocket(c, local);
                ThreadlessStunConnector.register(stack, socket);
                synchronized (sockets) {
                    sockets.add(socket);
                }
                HostCandidate candidate = new HostCandidate(
                        new TransportAddress(local.getAddress(), local.getPort(), Transport.UDP), component);
                if (component.addLocalCandidate(candidate)) {
                    candidates.add(candidate);
                }
            }
        } finally {
            statistics.stop(candidates.size());
        }
        return candidates;
    }

    /** Runs on the mux's reader thread of {@code local}; {@code data} is reused after it returns. */
    private void onDatagram(UdpMuxConnection c, InetSocketAddress local, InetSocketAddress remote,
                            byte[] data, int offset, int length, boolean routed) {
        switch (Rfc7983.classify(data, offset, length)) {
            case STUN -> {
                byte[] copy = Arrays.copyOfRange(data, offset, offset + length);
                mux.controlExecutor().execute(() -> handleStun(copy, local, remote, routed));
            }
            case DTLS -> sink.onDtls(null, data, offset, length, remote);
            default -> sink.onDropped(null);
        }
    }

    /** On the mux's control thread: what ice4j's own per-socket reader would do, for one datagram. */
    private void handleStun(byte[] data, InetSocketAddress local, InetSocketAddress remote, boolean routed) {
        StunStack stack = stunStack;
        UdpMuxConnection c = connection;
        if (stack == null || c == null || c.isClosed()) {
            return;
        }
        if (routed) {
            StunInterceptor first = interceptor;
            if (first != null && first.consume(data, local, remote)) {
                return;
            }
            byte[] answer = DirectConsentAnswer.forSelectedPair(component, data, local, remote);
            if (answer != null) {
                try {
                    c.send(local, answer, 0, answer.length, remote);
                    answeredDirectly.increment();
                } catch (IOException e) {
                    LOG.debug("consent answer to {} not sent: {}", remote, e.toString());
                }
                return;
            }
        }
        Message message = Ice4jStunDelivery.decode(data, remote);
        if (message == null) {
            return;
        }
        if (!routed && !(message instanceof Request && message.getAttribute(Attribute.MESSAGE_INTEGRITY) != null)) {
            // RFC 8445 §7.2.2 / RFC 5389 §10.1.2: checks are authenticated; from an unknown address only an
            // authenticated request may go on (the mux passes nothing else unrouted).
            return;
        }
        Ice4jStunDelivery.deliver(stack, data, message, local, remote);
    }

    /** Adds a route for each request ice4j authenticated (it calls listeners only after its checks). */
    private static final class RouteAuthenticatedChecks implements RequestListener {
        private final UdpMuxConnection connection;

        RouteAuthenticatedChecks(UdpMuxConnection connection) {
            this.connection = connection;
        }

        @Override
        public void processRequest(StunMessageEvent event) {
            if (event.getMessage().getAttribute(Attribute.MESSAGE_INTEGRITY) == null
                    || event.getLocalAddress().getTransport() != Transport.UDP) {
                return;   // unauthenticated, or a check over ICE-TCP (IceTcpHarvester's)
            }
            TransportAddress local = event.getLocalAddress();
            TransportAddress remote = event.getRemoteAddress();
            connection.addRoute(new InetSocketAddress(local.getAddress(), local.getPort()),
                    new InetSocketAddress(remote.getAddress(), remote.getPort()));
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

    /** Unregisters the ufrag and every route from the mux (the mux itself stays open). */
    @Override
    public void closeSockets() {
        synchronized (sockets) {
            sockets.clear();
        }
        UdpMuxConnection c = connection;
        if (c != null) {
            c.close();
        }
    }

    /** Test hook: the mux registration of this generation, or null before harvest. */
    UdpMuxConnection connection() {
        return connection;
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
