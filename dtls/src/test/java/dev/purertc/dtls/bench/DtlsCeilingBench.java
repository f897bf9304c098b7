package dev.purertc.dtls.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.purertc.dtls.CryptoBackend;
import dev.purertc.dtls.DtlsCertificate;
import dev.purertc.dtls.DtlsListener;
import dev.purertc.dtls.DtlsOptions;
import dev.purertc.dtls.DtlsRole;
import dev.purertc.dtls.DtlsTransport;

/**
 * Reference ceilings over real UDP on 127.0.0.1, one sending thread and one receiving thread,
 * 1200-byte datagrams, at most 512 datagrams in flight and 4 MiB socket buffers so nothing is
 * dropped by the receiver (the kernel caps buffers at net.core.rmem_max):
 * <ul>
 *   <li>{@code BENCH udp_ceiling}: raw UDP payload MB/s;</li>
 *   <li>{@code BENCH dtls_ceiling_jca} / {@code dtls_ceiling_bc}: DTLS application payload MB/s
 *       (records of maxApplicationPayload, i.e. full 1200-byte datagrams), decrypted on the
 *       socket-reading thread as {@link DtlsTransport} does in production.</li>
 * </ul>
 * Loss is not expected; if a window stalls for 200 ms the missing datagrams are counted as lost
 * and reported, and the run goes on. Runs are sized in datagrams, not seconds, and warmed by a run of
 * their own; a full window yields the sender's core rather than spinning on it. channel-api's
 * {@code E2eThroughput} calls {@link #dtlsCeiling} between its own rounds, so each end-to-end figure
 * has its reference from the same moment.
 */
public final class DtlsCeilingBench {
    private static final int DATAGRAM = 1200;
    private static final int WINDOW = 512;
    private static final long UDP_WARMUP_DATAGRAMS = 500_000;
    private static final long UDP_DATAGRAMS = 1_000_000;
    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private DtlsCeilingBench() {
    }

    public static void main(String[] args) throws Exception {
        udpCeiling(UDP_WARMUP_DATAGRAMS);
        System.out.printf("BENCH udp_ceiling %.1f MB/s%n", udpCeiling(UDP_DATAGRAMS));
        for (CryptoBackend backend : CryptoBackend.values()) {
            String name = backend == CryptoBackend.JCA ? "dtls_ceiling_jca" : "dtls_ceiling_bc";
            long records = recordsPerRun(backend);
            dtlsCeiling(backend, records); // warm-up
            System.out.printf("BENCH %s %.1f MB/s%n", name, dtlsCeiling(backend, records));
        }
    }

    /** Records per measured run: about a second on this machine for either back end. */
    public static long recordsPerRun(CryptoBackend backend) {
        return backend == CryptoBackend.JCA ? 200_000 : 40_000;
    }

    /** Sender side of the window: blocks while WINDOW datagrams are unacknowledged. */
    private static final class Window {
        final AtomicLong delivered = new AtomicLong();
        long sent;
        long lost;

        /** Waits until everything sent was delivered or given up as lost. */
        void drain() {
            long waitStart = System.nanoTime();
            while (delivered.get() + lost < sent) {
                if (System.nanoTime() - waitStart > STALL_NANOS) {
                    lost = sent - delivered.get();
                    return;
                }
                Thread.yield();
            }
        }

        void awaitRoom() {
            long waitStart = 0;
            while (sent - lost - delivered.get() >= WINDOW) {
                if (waitStart == 0) {
                    waitStart = System.nanoTime();
                } else if (System.nanoTime() - waitStart > STALL_NANOS) {
                    lost = sent - delivered.get(); // whatever is missing now will never come
                    return;
                }
                Thread.yield();
            }
        }
    }

    private static DatagramChannel open() throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        return channel;
    }

    /** Sends {@code datagrams}, then waits for the window to drain; returns delivered MB/s. */
    private static double udpCeiling(long datagrams) throws Exception {
        Window window = new Window();
        DatagramChannel sender = open();
        DatagramChannel receiver = open();
        try {
            sender.connect(receiver.getLocalAddress());
            Thread reader = new Thread(() -> {
                ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
                try {
                    while (true) {
                        buffer.clear();
                        receiver.receive(buffer);
                        window.delivered.incrementAndGet();
                    }
                } catch (ClosedChannelException expected) {
                    // end of run
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, "bench-udp-reader");
            reader.start();
            ByteBuffer payload = ByteBuffer.allocateDirect(DATAGRAM);
            long start = System.nanoTime();
            while (window.sent < datagrams) {
                window.awaitRoom();
                payload.clear();
                sender.write(payload);
                window.sent++;
            }
            window.drain();
            long elapsed = System.nanoTime() - start;
            receiver.close(); // ends the reader
            reader.join(5000);
            reportLoss("udp", window.lost);
            return window.delivered.get() * (double) DATAGRAM / 1e6 / (elapsed / 1e9);
        } finally {
            sender.close();
            receiver.close();
        }
    }

    /**
     * A fresh DTLS pair on two sockets: sends {@code records} full records, then waits for the window to
     * drain; returns the application payload MB/s delivered.
     */
    public static double dtlsCeiling(CryptoBackend backend, long records) throws Exception {
        DtlsCertificate clientCert = DtlsCertificate.generate();
        DtlsCertificate serverCert = DtlsCertificate.generate();
        DtlsOptions options = DtlsOptions.builder().cryptoBackend(backend).build();
        Window window = new Window();
        AtomicLong deliveredBytes = new AtomicLong();
        DatagramChannel clientSocket = open();
        DatagramChannel serverSocket = open();
        try {
            clientSocket.connect(serverSocket.getLocalAddress());
            serverSocket.connect(clientSocket.getLocalAddress());
            DtlsListener serverListener = data -> {
                deliveredBytes.addAndGet(data.length);
                window.delivered.incrementAndGet();
            };
            DtlsTransport client = new DtlsTransport(DtlsRole.CLIENT, clientCert, (b, o, l) ->
                    clientSocket.write(ByteBuffer.wrap(b, o, l)), data -> { }, options);
            DtlsTransport server = new DtlsTransport(DtlsRole.SERVER, serverCert, (b, o, l) ->
                    serverSocket.write(ByteBuffer.wrap(b, o, l)), serverListener, options);
            client.setRemoteFingerprints(List.of(serverCert.fingerprint()));
            server.setRemoteFingerprints(List.of(clientCert.fingerprint()));
            Thread clientReader = reader(clientSocket, client, "bench-dtls-client-reader");
            Thread serverReader = reader(serverSocket, server, "bench-dtls-server-reader");
            server.start();
            client.start().get(30, TimeUnit.SECONDS);
            server.handshakeFuture().get(30, TimeUnit.SECONDS);

            int recordSize = client.maxApplicationPayload();
            byte[] record = new byte[recordSize];
            long start = System.nanoTime();
            while (window.sent < records) {
                window.awaitRoom();
                client.send(record, 0, recordSize);
                window.sent++;
            }
            window.drain();
            long elapsed = System.nanoTime() - start;
            client.close();
            server.close();
            clientSocket.close();
            serverSocket.close();
            clientReader.join(5000);
            serverReader.join(5000);
            reportLoss(backend.name(), window.lost);
            return deliveredBytes.get() / 1e6 / (elapsed / 1e9);
        } finally {
            clientSocket.close();
            serverSocket.close();
        }
    }

    private static Thread reader(DatagramChannel socket, DtlsTransport transport, String name) {
        Thread t = new Thread(() -> {
            // As the socket readers of production: a heap buffer reused, lent to DTLS for the call.
            ByteBuffer buffer = ByteBuffer.allocate(2048);
            try {
                while (true) {
                    buffer.clear();
                    socket.receive(buffer);
                    transport.feed(buffer.array(), 0, buffer.position());
                }
            } catch (ClosedChannelException expected) {
                // end of run
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, name);
        t.start();
        return t;
    }

    private static void reportLoss(String what, long lost) {
        if (lost > 0) {
            System.err.printf("# %s: %d datagrams lost and skipped%n", what, lost);
        }
    }
}
