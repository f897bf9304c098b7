package dev.purertc.ice.mux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The mux's demultiplexing on real loopback sockets: by ufrag first, then by address, nothing else. */
class UdpMuxTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** One delivery as the receiver saw it. */
    record Delivery(String ufrag, InetSocketAddress remote, byte[] data, boolean routed) {
    }

    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private UdpMux mux;
    private DatagramSocket peer;
    private InetSocketAddress muxAddress;

    @BeforeEach
    void open() throws Exception {
        mux = UdpMux.open(List.of(LOOPBACK), 0, 0);
        muxAddress = mux.localAddresses().get(0);
        peer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        peer.setSoTimeout(5_000);
    }

    @AfterEach
    void close() {
        peer.close();
        mux.close();
    }

    private UdpMuxConnection register(String ufrag) {
        return mux.register(ufrag, (c, local, remote, data, offset, length, routed) ->
                deliveries.add(new Delivery(c.localUfrag(), remote,
                        Arrays.copyOfRange(data, offset, offset + length), routed)));
    }

    private void send(byte[] datagram) throws Exception {
        peer.send(new DatagramPacket(datagram, datagram.length, muxAddress));
    }

    private Delivery next() throws InterruptedException {
        Delivery d = deliveries.poll(5, TimeUnit.SECONDS);
        assertNotNull(d, "nothing delivered within 5 s");
        return d;
    }

    private InetSocketAddress peerAddress() {
        return new InetSocketAddress(LOOPBACK, peer.getLocalPort());
    }

    @Test
    void firstBindingRequestIsRoutedByTheLocalUfragWithoutCreatingARoute() throws Exception {
        register("srv1");
        register("srv2");
        byte[] request = bindingRequest("srv2:cli9");
        send(request);
        Delivery d = next();
        assertEquals("srv2", d.ufrag());
        assertEquals(peerAddress(), d.remote());
        assertArrayEquals(request, d.data());
        assertFalse(d.routed());
        assertEquals(0, mux.routeCount(), "a route needs an authenticated check, not just a ufrag");
    }

    @Test
    void afterARouteIsAddedEveryDatagramFromThatAddressGoesToItsConnection() throws Exception {
        register("srv1");
        UdpMuxConnection two = register("srv2");
        two.addRoute(muxAddress, peerAddress());
        byte[] dtls = {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 1, 2, 3};
        send(dtls);
        Delivery d = next();
        assertEquals("srv2", d.ufrag());
        assertArrayEquals(dtls, d.data());
        assertTrue(d.routed());
        // A routed address wins over the ufrag a request names: the route is the authenticated binding.
        send(bindingRequest("srv1:cli9"));
        assertEquals("srv2", next().ufrag());
        assertEquals(1, mux.routeCount());
        assertTrue(two.hasRoute(muxAddress, peerAddress()));
    }

    @Test
    void requestForAnUnknownUfragIsDroppedAndCreatesNothing() throws Exception {
        register("srv1");
        send(bindingRequest("nobody:cli9"));
        send(bindingRequest("srv1:cli9"));   // same socket, same reader: arrives after the first
        Delivery d = next();
        assertEquals("srv1", d.ufrag());
        assertNull(deliveries.poll(), "the unknown ufrag's request reached a connection");
        assertEquals(1, mux.droppedDatagrams());
        assertEquals(0, mux.routeCount());
        assertEquals(1, mux.connectionCount());
    }

    @Test
    void nonStunFromAnUnroutedAddressReachesNoConnection() throws Exception {
        register("srv1");
        send(new byte[] {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0});   // DTLS-looking
        send(bindingResponseNaming("srv1:cli9"));                          // a response, not a request
        send(bindingRequest("srv1:cli9"));
        Delivery d = next();
        assertArrayEquals(bindingRequest("srv1:cli9"), d.data());
        assertNull(deliveries.poll());
        assertEquals(2, mux.droppedDatagrams());
    }

    @Test
    void closingAConnectionRemovesItsUfragAndRoutes() throws Exception {
        UdpMuxConnection one = register("srv1");
        register("srv2");
        one.addRoute(muxAddress, peerAddress());
        assertEquals(1, mux.routeCount());
        one.close();
        assertEquals(0, mux.routeCount());
        assertEquals(1, mux.connectionCount());
        assertEquals(0, one.routeCount());
        send(new byte[] {22, 1, 2, 3});            // was routed to srv1
        send(bindingRequest("srv1:cli9"));        // srv1's ufrag is gone
        send(bindingRequest("srv2:cli9"));
        assertEquals("srv2", next().ufrag());
        assertNull(deliveries.poll());
        assertEquals(2, mux.droppedDatagrams());
        one.addRoute(muxAddress, peerAddress());
        assertEquals(0, mux.routeCount(), "a closed connection cannot take a route");
        assertThrows(java.io.IOException.class, () -> one.send(muxAddress, new byte[1], 0, 1, peerAddress()));
    }

    @Test
    void aLaterAuthenticatedOwnerTakesTheAddressOver() throws Exception {
        UdpMuxConnection one = register("srv1");
        UdpMuxConnection two = register("srv2");
        one.addRoute(muxAddress, peerAddress());
        two.addRoute(muxAddress, peerAddress());
        assertFalse(one.hasRoute(muxAddress, peerAddress()));
        assertTrue(two.hasRoute(muxAddress, peerAddress()));
        assertEquals(1, mux.routeCount());
        send(new byte[] {23, 9});
        assertEquals("srv2", next().ufrag());
    }

    @Test
    void aConnectionSendsFromTheMuxPort() throws Exception {
        UdpMuxConnection one = register("srv1");
        byte[] payload = "hello".getBytes(StandardCharsets.US_ASCII);
        one.send(muxAddress, payload, 0, payload.length, peerAddress());
        DatagramPacket p = new DatagramPacket(new byte[100], 100);
        peer.receive(p);
        assertEquals(muxAddress, p.getSocketAddress());
        assertEquals("hello", new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII));
    }

    @Test
    void aUfragCanBeRegisteredOnlyOnce() {
        register("srv1");
        assertThrows(IllegalStateException.class, () -> register("srv1"));
    }

    @Test
    void closeReleasesTheSocketAndTheThreadsAndEveryConnection() {
        UdpMuxConnection one = register("srv1");
        assertEquals(1, mux.openSocketCount());
        mux.close();
        assertTrue(one.isClosed());
        assertEquals(0, mux.openSocketCount());
        assertEquals(0, mux.threadCount());
        assertEquals(0, mux.connectionCount());
        assertThrows(IllegalStateException.class, () -> register("srv2"));
    }

    @Test
    void parsesTheUfragOnlyFromWellFormedBindingRequests() {
        byte[] ok = bindingRequest("abcd:efgh");
        assertEquals("abcd", StunUfrag.localUfrag(ok, 0, ok.length));
        assertNull(StunUfrag.localUfrag(ok, 0, ok.length - 4), "length field beyond the datagram");
        byte[] badCookie = ok.clone();
        badCookie[4] = 0;
        assertNull(StunUfrag.localUfrag(badCookie, 0, badCookie.length));
        byte[] response = bindingResponseNaming("abcd:efgh");
        assertNull(StunUfrag.localUfrag(response, 0, response.length));
        byte[] emptyUfrag = bindingRequest(":efgh");
        assertNull(StunUfrag.localUfrag(emptyUfrag, 0, emptyUfrag.length));
        byte[] tooLong = bindingRequest("a".repeat(StunUfrag.MAX_UFRAG_BYTES + 1) + ":x");
        assertNull(StunUfrag.localUfrag(tooLong, 0, tooLong.length));
        byte[] lying = ok.clone();
        lying[22] = 0x7f;   // USERNAME length far past the message
        assertNull(StunUfrag.localUfrag(lying, 0, lying.length));
    }

    /** RFC 5389 §6: a Binding request with one USERNAME attribute (no integrity: the mux does not check it). */
    static byte[] bindingRequest(String username) {
        return stun(0x0001, username);
    }

    static byte[] bindingResponseNaming(String username) {
        return stun(0x0101, username);
    }

    private static byte[] stun(int type, String username) {
        byte[] name = username.getBytes(StandardCharsets.UTF_8);
        int padded = (name.length + 3) & ~3;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int length = 4 + padded;
        out.write(type >> 8);
        out.write(type);
        out.write(length >> 8);
        out.write(length);
        out.writeBytes(new byte[] {0x21, 0x12, (byte) 0xA4, 0x42});
        out.writeBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        out.write(0);
        out.write(6);
        out.write(name.length >> 8);
        out.write(name.length);
        out.writeBytes(name);
        out.writeBytes(new byte[padded - name.length]);
        return out.toByteArray();
    }
}
