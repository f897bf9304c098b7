package dev.purertc.dtls.bench;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.purertc.dtls.CryptoBackend;
import dev.purertc.dtls.DtlsCertificate;
import dev.purertc.dtls.DtlsDatagramSender;
import dev.purertc.dtls.DtlsListener;
import dev.purertc.dtls.DtlsOptions;
import dev.purertc.dtls.DtlsRole;
import dev.purertc.dtls.DtlsTransport;

/**
 * In-memory DTLS figures, no sockets: median handshake time (50 runs after 20 warm-up runs) and
 * one-way application throughput (1100-byte records for 3 s after 4 s of warm-up, which the JIT
 * needs before the JDK's AES-GCM intrinsics kick in; each record is encrypted and then
 * decrypted on the sending thread, so the figure is the cost of both) for each crypto back end.
 * Prints {@code BENCH dtls_handshake_ms_<backend>} and {@code BENCH dtls_mem_throughput_<backend>}.
 */
public final class DtlsMemBench {
    private static final int HANDSHAKES = 50;
    private static final int WARMUP_HANDSHAKES = 20;
    private static final int RECORD_SIZE = 1100;
    private static final long WARMUP_NANOS = 4_000_000_000L;
    private static final long MEASURE_NANOS = 3_000_000_000L;

    private DtlsMemBench() {
    }

    public static void main(String[] args) throws Exception {
        DtlsCertificate clientCert = DtlsCertificate.generate();
        DtlsCertificate serverCert = DtlsCertificate.generate();
        for (CryptoBackend backend : CryptoBackend.values()) {
            String suffix = backend == CryptoBackend.JCA ? "jca" : "bc";
            DtlsOptions options = DtlsOptions.builder().cryptoBackend(backend).build();
            double[] times = handshakeSamples(clientCert, serverCert, options, WARMUP_HANDSHAKES, HANDSHAKES);
            double median = (times[HANDSHAKES / 2 - 1] + times[HANDSHAKES / 2]) / 2;
            System.out.printf("BENCH dtls_handshake_ms_%s %.2f ms%n", suffix, median);

            Connected c = handshakeMillis(clientCert, serverCert, options);
            throughput(c, WARMUP_NANOS);
            double mbPerSecond = throughput(c, MEASURE_NANOS);
            c.close();
            System.out.printf("BENCH dtls_mem_throughput_%s %.1f MB/s%n", suffix, mbPerSecond);
        }
    }

    /**
     * The measurement behind {@code dtls_handshake_ms_<backend>}: {@code runs} in-memory handshakes after
     * {@code warmUp} unmeasured ones, milliseconds each, sorted. Public so that channel-api's
     * E2eSetupBench prints its reference from the same run.
     */
    public static double[] handshakeSamples(DtlsCertificate clientCert, DtlsCertificate serverCert,
                                            DtlsOptions options, int warmUp, int runs) throws Exception {
        for (int i = 0; i < warmUp; i++) {
            handshakeMillis(clientCert, serverCert, options).close();
        }
        double[] times = new double[runs];
        for (int i = 0; i < runs; i++) {
            Connected c = handshakeMillis(clientCert, serverCert, options);
            times[i] = c.millis;
            c.close();
        }
        Arrays.sort(times);
        return times;
    }

    /** Sends records for at least {@code nanos}; returns delivered MB/s. */
    private static double throughput(Connected c, long nanos) throws IOException {
        byte[] record = new byte[RECORD_SIZE];
        long records = 0;
        long before = c.serverReceived.get();
        long start = System.nanoTime();
        long elapsed;
        do {
            for (int i = 0; i < 256; i++) {
                c.client.send(record, 0, RECORD_SIZE); // delivered synchronously through the pipe
            }
            records += 256;
            elapsed = System.nanoTime() - start;
        } while (elapsed < nanos);
        long delivered = c.serverReceived.get() - before;
        if (delivered != records * RECORD_SIZE) {
            throw new IllegalStateException("delivered " + delivered + " of " + records * RECORD_SIZE + " bytes");
        }
        return delivered / 1e6 / (elapsed / 1e9);
    }

    /** Two transports joined by synchronous in-memory pipes. */
    private static final class Connected implements AutoCloseable {
        DtlsTransport client;
        DtlsTransport server;
        double millis;
        final AtomicLong serverReceived = new AtomicLong();

        @Override
        public void close() {
            client.close();
            server.close();
        }
    }

    private static Connected handshakeMillis(DtlsCertificate clientCert, DtlsCertificate serverCert,
                                             DtlsOptions options) throws Exception {
        Connected c = new Connected();
        DtlsTransport[] ends = new DtlsTransport[2];
        DtlsDatagramSender toServer = pipeTo(ends, 1);
        DtlsDatagramSender toClient = pipeTo(ends, 0);
        DtlsListener clientListener = data -> { };
        DtlsListener serverListener = data -> c.serverReceived.addAndGet(data.length);
        ends[0] = new DtlsTransport(DtlsRole.CLIENT, clientCert, toServer, clientListener, options);
        ends[1] = new DtlsTransport(DtlsRole.SERVER, serverCert, toClient, serverListener, options);
        ends[0].setRemoteFingerprints(List.of(serverCert.fingerprint()));
        ends[1].setRemoteFingerprints(List.of(clientCert.fingerprint()));
        c.client = ends[0];
        c.server = ends[1];
        long start = System.nanoTime();
        ends[1].start();
        ends[0].start().get(30, TimeUnit.SECONDS);
        ends[1].handshakeFuture().get(30, TimeUnit.SECONDS);
        c.millis = (System.nanoTime() - start) / 1e6;
        return c;
    }

    private static DtlsDatagramSender pipeTo(DtlsTransport[] ends, int index) {
        return (buffer, offset, length) -> ends[index].feed(Arrays.copyOfRange(buffer, offset, offset + length));
    }
}
