package dev.purertc.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;

/**
 * A two-sided UDP relay on 127.0.0.1 standing in for a network path that can go dark: what side A's
 * socket receives from {@code a} leaves side B's socket for {@code b}, and the reverse. While paused it
 * drops everything in both directions.
 */
final class PausableUdpRelay implements AutoCloseable {

    private final DatagramSocket facingA;
    private final DatagramSocket facingB;
    private final Thread aToB;
    private final Thread bToA;
    private volatile InetSocketAddress a;
    private volatile InetSocketAddress b;
    private volatile boolean paused;
    private volatile java.util.function.Predicate<byte[]> dropTowardsB = p -> false;

    PausableUdpRelay() throws SocketException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        facingA = new DatagramSocket(new InetSocketAddress(lo, 0));
        facingB = new DatagramSocket(new InetSocketAddress(lo, 0));
        aToB = forward(facingA, facingB, true);
        bToA = forward(facingB, facingA, false);
    }

    /** Where A should send to reach B (the address A takes for B's candidate). */
    InetSocketAddress addressForA() {
        return (InetSocketAddress) facingA.getLocalSocketAddress();
    }

    /** Where B should send to reach A. */
    InetSocketAddress addressForB() {
        return (InetSocketAddress) facingB.getLocalSocketAddress();
    }

    void connect(InetSocketAddress endA, InetSocketAddress endB) {
        this.a = endA;
        this.b = endB;
    }

    void pause(boolean pause) {
        this.paused = pause;
    }

    /** Drops the datagrams from A to B that {@code drop} matches (given a copy of exactly the datagram). */
    void dropTowardsB(java.util.function.Predicate<byte[]> drop) {
        this.dropTowardsB = drop;
    }

    private Thread forward(DatagramSocket from, DatagramSocket to, boolean towardsB) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[2048];
            while (!from.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    from.receive(p);
                    InetSocketAddress target = towardsB ? b : a;
                    boolean dropped = towardsB
                            && dropTowardsB.test(java.util.Arrays.copyOf(buf, p.getLength()));
                    if (!paused && !dropped && target != null) {
                        to.send(new DatagramPacket(buf, p.getLength(), target));
                    }
                } catch (IOException closed) {
                    return;
                }
            }
        }, "test-relay");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() {
        facingA.close();
        facingB.close();
        try {
            aToB.join(10_000);
            bToA.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
