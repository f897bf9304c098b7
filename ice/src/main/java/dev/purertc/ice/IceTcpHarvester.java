package dev.purertc.ice;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.ice4j.StunException;
import org.ice4j.StunMessageEvent;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.ice.Component;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.harvest.HarvestStatistics;
import org.ice4j.message.Message;
import org.ice4j.message.Request;
import org.ice4j.stack.RawMessage;
import org.ice4j.stack.RequestListener;
import org.ice4j.stack.StunStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.purertc.ice.tcp.IceTcpConnection;
import dev.purertc.ice.tcp.IceTcpListener;
import dev.purertc.ice.tcp.IceTcpRegistration;

/**
 * Passive ICE-TCP host candidates (RFC 6544 §4.1, {@code tcptype passive}) on a shared {@link IceTcpListener}:
 * one candidate per listener address, with the listener's port, and no socket or thread of their own. The
 * agent's local ufrag is registered with the listener at harvest; frames of the connections it routes here
 * are split by first byte (RFC 7983): STUN to ice4j's stack on the listener's control thread, DTLS to the
 * {@link SelectedPairTransport} on the selector thread once ICE has authenticated the connection.
 *
 * <p>The peer's active candidate (port 9, RFC 6544 §4.5) is never checked from here: a passive candidate
 * only answers. ice4j learns the peer's TCP address as a peer-reflexive candidate from its first check and
 * sends its triggered check back over the same connection (one ice4j connector per connection, threadless,
 * {@link ThreadlessStunConnector#registerTcp}).
 */
final class IceTcpHarvester implements HostCandidateSockets {

    private static final Logger LOG = LoggerFactory.getLogger(IceTcpHarvester.class);

    private final IceTcpListener listener;
    private final DemultiplexingDatagramSocket.InboundDatagramSink sink;
    private final Statistics statistics = new Statistics();
    private final List<TcpFramedDatagramSocket> sockets = new ArrayList<>();
    /** Connections given an ice4j connector, so each gets one and loses it on close. */
    private final Set<IceTcpConnection> withConnector = ConcurrentHashMap.newKeySet();
    private volatile IceTcpRegistration registration;
    private volatile StunStack stunStack;

    IceTcpHarvester(IceTcpListener listener, DemultiplexingDatagramSocket.InboundDatagramSink sink) {
        this.listener = listener;
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
            IceTcpRegistration r = listener.register(ufrag, new Frames());
            registration = r;
            // RFC 8445 §7.3.1.3: a check that passed ice4j's MESSAGE-INTEGRITY check authenticates its connection.
            stack.addRequestListener(new AuthenticateVerifiedChecks());
            for (InetSocketAddress local : listener.localAddresses()) {
                synchronized (sockets) {
                    sockets.add(new TcpFramedDatagramSocket(r, local));
                }
                TcpPassiveHostCandidate candidate = new TcpPassiveHostCandidate(
                        new TransportAddress(local.getAddress(), local.getPort(), Transport.TCP), component);
                if (component.addLocalCandidate(candidate)) {
                    candidates.add(candidate);
                }
            }
        } finally {
            statistics.stop(candidates.size());
        }
        return candidates;
    }

    /** What the listener hands this agent; runs on the listener's selector thread. */
    private final class Frames implements IceTcpRegistration.Receiver {
        @Override
        public void onFrame(IceTcpConnection connection, byte[] data, int offset, int length) {
            switch (Rfc7983.classify(data, offset, length)) {
                case STUN -> {
                    byte[] copy = Arrays.copyOfRange(data, offset, offset + length);
                    listener.controlExecutor().execute(() -> handleStun(connection, copy));
                }
                case DTLS -> {
                    if (connection.isAuthenticated()) {
                        sink.onDtls(null, data, offset, length, connection.remote());
                    } else {
                        sink.onDropped(null);
                    }
                }
                default -> sink.onDropped(null);
            }
        }

        @Override
        public void onClosed(IceTcpConnection connection) {
            StunStack stack = stunStack;
            IceTcpRegistration r = registration;
            if (r != null && r.isClosed()) {
                // The agent is being freed: ice4j's shutDown may be iterating its connectors right now (its
                // connector stop closes the socket view, which closes the registration); the map dies with it.
                withConnector.remove(connection);
                return;
            }
            if (withConnector.remove(connection) && stack != null) {
                ThreadlessStunConnector.unregisterTcp(stack, connection.local(), connection.remote());
            }
        }
    }

    /** On the listener's control thread: what ice4j's own TCP reader would do, for one frame. */
    private void handleStun(IceTcpConnection connection, byte[] data) {
        StunStack stack = stunStack;
        if (stack == null || connection.isClosed()) {
            return;
        }
        Message message;
        try {
            message = Message.decode(data, 0, data.length);
        } catch (StunException e) {
            LOG.debug("undecodable STUN over TCP from {}: {}", connection.remote(), e.toString());
            return;
        }
        if (!connection.isAuthenticated()
                && !(message instanceof Request && message.getAttribute(Attribute.MESSAGE_INTEGRITY) != null)) {
            // RFC 8445 §7.2.2: until a check is verified, only an authenticated request goes on to ice4j.
            return;
        }
        TcpFramedDatagramSocket socket = socketView(connection.local());
        if (socket == null) {
            return;
        }
        if (withConnector.add(connection)) {
            ThreadlessStunConnector.registerTcp(stack, socket, connection.local(), connection.remote());
            if (connection.isClosed() && withConnector.remove(connection)) {
                ThreadlessStunConnector.unregisterTcp(stack, connection.local(), connection.remote());
                return;
            }
        }
        RawMessage raw = RawMessage.build(data, data.length,
                new TransportAddress(connection.remote().getAddress(), connection.remote().getPort(), Transport.TCP),
                new TransportAddress(connection.local().getAddress(), connection.local().getPort(), Transport.TCP));
        try {
            stack.handleMessageEvent(new StunMessageEvent(stack, raw, message));
        } catch (RuntimeException e) {
            LOG.debug("ice4j failed on STUN over TCP from {}: {}", connection.remote(), e.toString());
        }
    }

    /** Marks the connection of each TCP request ice4j authenticated (it calls listeners only after its checks). */
    private final class AuthenticateVerifiedChecks implements RequestListener {
        @Override
        public void processRequest(StunMessageEvent event) {
            TransportAddress local = event.getLocalAddress();
            if (local.getTransport() != Transport.TCP
                    || event.getMessage().getAttribute(Attribute.MESSAGE_INTEGRITY) == null) {
                return;
            }
            IceTcpRegistration r = registration;
            TransportAddress remote = event.getRemoteAddress();
            IceTcpConnection c = r == null ? null : r.connection(new InetSocketAddress(local.getAddress(),
                    local.getPort()), new InetSocketAddress(remote.getAddress(), remote.getPort()));
            if (c != null) {
                c.markAuthenticated();
            }
        }
    }

    private TcpFramedDatagramSocket socketView(InetSocketAddress local) {
        synchronized (sockets) {
            return HostCandidateSockets.boundTo(sockets, local);
        }
    }

    @Override
    public DatagramSocket socketFor(InetSocketAddress local) {
        return socketView(local);
    }

    @Override
    public int socketCount() {
        synchronized (sockets) {
            return sockets.size();
        }
    }

    /** Unregisters the ufrag and closes this agent's TCP connections (the listener stays open). */
    @Override
    public void closeSockets() {
        synchronized (sockets) {
            sockets.clear();
        }
        IceTcpRegistration r = registration;
        if (r != null) {
            r.close();
        }
    }

    /** Test hook: the listener registration of this generation, or null before harvest. */
    IceTcpRegistration registration() {
        return registration;
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
