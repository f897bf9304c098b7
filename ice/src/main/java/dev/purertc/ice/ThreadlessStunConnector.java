package dev.purertc.ice;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.stack.StunStack;

/**
 * Gives an ice4j {@link StunStack} a way to send from a {@link MuxedDatagramSocket} (or a
 * {@link SharedReaderDatagramSocket}) without the reader
 * thread ice4j starts for every socket it is given.
 *
 * <p>ice4j sends every STUN message through a {@code Connector} that its {@code NetAccessManager} finds
 * by local address (remote {@code null} matches any remote for UDP), and {@code StunStack.addSocket}
 * starts a thread per connector blocked in {@code receive()}: one thread per connection, the cost this mux
 * exists to remove. ice4j has no public way to register a connector without its thread, so this class
 * builds the connector and puts it in the manager's map by reflection; incoming STUN is fed to
 * {@link StunStack#handleMessageEvent} by {@link UdpMuxHarvester} instead. ice4j's {@code removeSocket}
 * and {@code shutDown} stop it as any other (closing the muxed socket). Pinned to ice4j 3.2's internals:
 * {@code UdpMuxAgentTest} fails if they change (the class cannot load).
 */
final class ThreadlessStunConnector {

    private static final Field NET_ACCESS_MANAGER;
    private static final Field UDP_CONNECTORS;
    private static final Field TCP_CONNECTORS;
    private static final Constructor<?> CONNECTOR;

    static {
        try {
            NET_ACCESS_MANAGER = StunStack.class.getDeclaredField("netAccessManager");
            NET_ACCESS_MANAGER.setAccessible(true);
            Class<?> manager = Class.forName("org.ice4j.stack.NetAccessManager");
            UDP_CONNECTORS = manager.getDeclaredField("udpConnectors");
            UDP_CONNECTORS.setAccessible(true);
            TCP_CONNECTORS = manager.getDeclaredField("tcpConnectors");
            TCP_CONNECTORS.setAccessible(true);
            Class<?> connector = Class.forName("org.ice4j.stack.Connector");
            Class<?> errorHandler = Class.forName("org.ice4j.stack.ErrorHandler");
            CONNECTOR = connector.getDeclaredConstructor(org.ice4j.socket.IceSocketWrapper.class,
                    TransportAddress.class, Consumer.class, errorHandler);
            CONNECTOR.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("ice4j's STUN stack internals are not those of ice4j 3.2 "
                    + "(needed for the UDP mux): " + e);
        }
    }

    private ThreadlessStunConnector() {
    }

    /**
     * Makes {@code stack} send everything from {@code socket}'s local address through {@code socket} (a
     * {@link MuxedDatagramSocket} or a {@link SharedReaderDatagramSocket}).
     */
    static void register(StunStack stack, DatagramSocketView socket) {
        InetSocketAddress local = (InetSocketAddress) socket.getLocalSocketAddress();
        put(stack, UDP_CONNECTORS, socket, new TransportAddress(local.getAddress(), local.getPort(), Transport.UDP),
                null);
    }

    /**
     * Makes {@code stack} send STUN from the passive TCP candidate {@code local} to {@code remote} through
     * {@code socket} (ice4j keys TCP connectors by both addresses: one per connection).
     */
    static void registerTcp(StunStack stack, TcpFramedDatagramSocket socket, InetSocketAddress local,
                            InetSocketAddress remote) {
        put(stack, TCP_CONNECTORS, socket, new TransportAddress(local.getAddress(), local.getPort(), Transport.TCP),
                new TransportAddress(remote.getAddress(), remote.getPort(), Transport.TCP));
    }

    /** Forgets what {@link #registerTcp} added for the connection from {@code remote} to {@code local}. */
    @SuppressWarnings("unchecked")
    static void unregisterTcp(StunStack stack, InetSocketAddress local, InetSocketAddress remote) {
        TransportAddress localAddress = new TransportAddress(local.getAddress(), local.getPort(), Transport.TCP);
        TransportAddress remoteAddress = new TransportAddress(remote.getAddress(), remote.getPort(), Transport.TCP);
        try {
            Object manager = NET_ACCESS_MANAGER.get(stack);
            Map<TransportAddress, Map<TransportAddress, Object>> connectors =
                    (Map<TransportAddress, Map<TransportAddress, Object>>) TCP_CONNECTORS.get(manager);
            synchronized (connectors) {
                Map<TransportAddress, Object> forLocal = connectors.get(localAddress);
                if (forLocal != null) {
                    forLocal.remove(remoteAddress);
                    if (forLocal.isEmpty()) {
                        connectors.remove(localAddress);
                    }
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot unregister an ICE-TCP connection from ice4j: " + e, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void put(StunStack stack, Field map, DatagramSocket socket, TransportAddress local,
                            TransportAddress remote) {
        try {
            Object manager = NET_ACCESS_MANAGER.get(stack);
            Map<TransportAddress, Map<TransportAddress, Object>> connectors =
                    (Map<TransportAddress, Map<TransportAddress, Object>>) map.get(manager);
            Consumer<Object> neverCalled = message -> {
                throw new IllegalStateException("a threadless connector receives nothing");
            };
            Object connector = CONNECTOR.newInstance(new org.ice4j.socket.IceUdpSocketWrapper(socket), remote,
                    neverCalled, manager);
            synchronized (connectors) {
                connectors.computeIfAbsent(local, k -> new HashMap<>()).put(remote, connector);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot register a socket view with ice4j: " + e, e);
        }
    }
}
