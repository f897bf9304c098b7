package dev.purertc.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocketImpl;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * A datagram socket implementation that opens nothing: the JDK asks for one when a {@link java.net.DatagramSocket}
 * is built, and the views that override every method that matters ({@link MuxedDatagramSocket},
 * {@link TcpFramedDatagramSocket}) never use it. So a view costs no file descriptor.
 */
final class NoFileDescriptorSocketImpl extends DatagramSocketImpl {

    @Override
    protected void create() {
    }

    @Override
    protected void bind(int port, InetAddress address) {
    }

    @Override
    protected void send(DatagramPacket packet) throws IOException {
        throw new SocketException("not a real socket");
    }

    @Override
    protected int peek(InetAddress address) throws IOException {
        throw new SocketException("not a real socket");
    }

    @Override
    protected int peekData(DatagramPacket packet) throws IOException {
        throw new SocketException("not a real socket");
    }

    @Override
    protected void receive(DatagramPacket packet) throws IOException {
        throw new SocketException("not a real socket");
    }

    @Override
    @Deprecated
    protected void setTTL(byte ttl) {
    }

    @Override
    @Deprecated
    protected byte getTTL() {
        return 0;
    }

    @Override
    protected void setTimeToLive(int ttl) {
    }

    @Override
    protected int getTimeToLive() {
        return 0;
    }

    @Override
    protected void join(InetAddress address) {
    }

    @Override
    protected void leave(InetAddress address) {
    }

    @Override
    protected void joinGroup(SocketAddress address, NetworkInterface nif) {
    }

    @Override
    protected void leaveGroup(SocketAddress address, NetworkInterface nif) {
    }

    @Override
    protected void close() {
    }

    @Override
    public void setOption(int option, Object value) {
    }

    @Override
    public Object getOption(int option) {
        return null;
    }
}
