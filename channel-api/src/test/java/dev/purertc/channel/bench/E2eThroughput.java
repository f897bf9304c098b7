package dev.purertc.channel.bench;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RTCDataChannel;
import dev.purertc.channel.RTCDataChannelListener;
import dev.purertc.channel.RTCStats;
import dev.purertc.dtls.CryptoBackend;
import dev.purertc.dtls.bench.DtlsCeilingBench;

/**
 * One reliable ordered channel between two Java peers over 127.0.0.1, 64 KiB messages, sender kept
 * between a 512 KiB low threshold and 1.5 MiB buffered (the default send buffer is 2 MB) (bufferedAmount
 * back-pressure). {@link #rounds} alternates fixed-size transfers with the DTLS ceiling of the same back
 * end (the throughput benchmarks); {@link #measureWithCpu} measures one window of {@code SECONDS} after a
 * warm-up of 64 MiB, with CPU and allocation (the CPU benchmark). MB = 10^6 bytes.
 */
final class E2eThroughput {

    private static final int MESSAGE = 64 * 1024;
    private static final long WARM_UP_BYTES = 64L * 1024 * 1024;
    private static final double SECONDS = 5;

    /**
     * Receive rate, the whole process's CPU time per MB, and bytes allocated by every thread per byte
     * received, over the measured window (both peers run here). The allocation includes the copy
     * {@code send(byte[])} makes of each message (1 byte per byte) and misses threads that ended
     * inside the window.
     */
    record Result(double megabytesPerSecond, double cpuMillisPerMegabyte, double allocatedBytesPerByte) {
    }

    /** Bytes allocated so far by each live thread, by thread id. */
    private static java.util.Map<Long, Long> allocatedByThread() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        java.util.Map<Long, Long> byThread = new java.util.HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                byThread.put(ids[i], bytes[i]);
            }
        }
        return byThread;
    }

    private static long allocatedSince(java.util.Map<Long, Long> start) {
        long total = 0;
        for (java.util.Map.Entry<Long, Long> e : allocatedByThread().entrySet()) {
            total += e.getValue() - start.getOrDefault(e.getKey(), 0L);
        }
        return total;
    }

    /** Rounds of {@link #rounds}: each an end-to-end transfer and a DTLS ceiling run, in turn. */
    static final int ROUNDS = 5;

    /** The figures of {@link #rounds}, each array in round order. */
    record Rounds(double[] megabytesPerSecond, double[] ceilingMegabytesPerSecond) {
        double[] ratios() {
            double[] r = new double[megabytesPerSecond.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = megabytesPerSecond[i] / ceilingMegabytesPerSecond[i];
            }
            return r;
        }
    }

    /**
     * {@value #ROUNDS} rounds on one warmed connection: each transfers a fixed number of bytes end to
     * end (the connection idles meanwhile otherwise), then measures the DTLS ceiling of the same back end
     * ({@code DtlsCeilingBench.dtlsCeiling}: a DTLS pair on two sockets, full records one way) right
     * after it. Each figure so has its reference from the same moment of a machine whose load changes.
     * Warmed by iterations: 64 MiB end to end and one ceiling run before the first round.
     */
    static Rounds rounds(CryptoBackend backend) throws Exception {
        long ceilingRecords = DtlsCeilingBench.recordsPerRun(backend);
        long bytesPerRound = backend == CryptoBackend.JCA ? 256L << 20 : 48L << 20;
        double[] e2e = new double[ROUNDS];
        double[] ceiling = new double[ROUNDS];
        try (Link link = new Link(backend)) {
            link.transfer(WARM_UP_BYTES);
            DtlsCeilingBench.dtlsCeiling(backend, ceilingRecords);
            for (int r = 0; r < ROUNDS; r++) {
                e2e[r] = link.transfer(bytesPerRound);
                ceiling[r] = DtlsCeilingBench.dtlsCeiling(backend, ceilingRecords);
            }
            RTCStats receiverTransport = link.pair.answerer.getStats().get(10, TimeUnit.SECONDS).get("T").orElseThrow();
            System.err.printf(java.util.Locale.ROOT, "# receiver: %d datagrams in, %d out (SACKs)%n",
                    receiverTransport.getLong("packetsReceived"), receiverTransport.getLong("packetsSent"));
        }
        return new Rounds(e2e, ceiling);
    }

    /** A connected pair, the sender's buffered-amount-low signal and the receiver's byte count. */
    private static final class Link implements AutoCloseable {
        final AtomicLong received = new AtomicLong();
        final Semaphore low = new Semaphore(0);
        final byte[] payload = new byte[MESSAGE];
        final PeerConnectionFactory factory = new PeerConnectionFactory(2);
        final BenchPair pair;
        final RTCDataChannel channel;

        Link(CryptoBackend backend) throws Exception {
            RTCDataChannelListener sender = new RTCDataChannelListener() {
                @Override
                public void onBufferedAmountLow(RTCDataChannel channel) {
                    low.release();
                }
            };
            RTCDataChannelListener receiver = new RTCDataChannelListener() {
                @Override
                public void onMessage(RTCDataChannel channel, byte[] data) {
                    received.addAndGet(data.length);
                }
            };
            try {
                pair = new BenchPair(factory, BenchPair.loopback().cryptoBackend(backend).build(), sender, receiver);
                pair.connect(Duration.ofSeconds(30));
            } catch (Exception | Error e) {
                factory.close();
                throw e;
            }
            channel = pair.channel;
            channel.setBufferedAmountLowThreshold(512 * 1024);
            new java.util.Random(1).nextBytes(payload);
        }

        /** Sends one message once the sender's buffer is under 1.5 MiB, waiting for buffered-amount-low if not. */
        void sendOne() throws InterruptedException {
            while (true) {
                low.drainPermits();
                if (channel.bufferedAmount() <= 1536 * 1024) {
                    channel.send(payload); // send(byte[]) copies the array, as a browser copies an ArrayBuffer
                    return;
                }
                if (!low.tryAcquire(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no buffered-amount-low within 30 s");
                }
            }
        }

        /**
         * Sends {@code bytes} in 64 KiB messages with back-pressure and waits until the receiver has them;
         * returns MB/s from the first send to the last byte received.
         */
        double transfer(long bytes) throws InterruptedException {
            long target = received.get() + bytes;
            long start = System.nanoTime();
            for (long sent = 0; sent < bytes; sent += payload.length) {
                sendOne();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.get() < target) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the receiver is missing " + (target - received.get()) + " bytes after 60 s");
                }
                Thread.sleep(0, 200_000);
            }
            return bytes / 1e6 / ((System.nanoTime() - start) / 1e9);
        }

        @Override
        public void close() {
            pair.close();
            factory.close();
        }
    }

    /**
     * Prints the rounds: {@code BENCH <name>} (median MB/s), {@code <name>_ceiling} (median of the DTLS
     * ceilings measured between them) and {@code <name>_ratio} (median of the per-round ratios), with the
     * minimum, median and every value on stderr.
     */
    static void print(String name, Rounds r) {
        double[] ratios = r.ratios();
        System.err.printf(java.util.Locale.ROOT, "# %s: e2e %s MB/s; DTLS ceiling %s MB/s; ratios %s%n", name,
                text(r.megabytesPerSecond()), text(r.ceilingMegabytesPerSecond()), text(ratios));
        System.err.printf(java.util.Locale.ROOT, "# %s: min %.1f, median %.1f MB/s; ratio min %.2f, median %.2f%n", name,
                min(r.megabytesPerSecond()), median(r.megabytesPerSecond()), min(ratios), median(ratios));
        System.out.printf(java.util.Locale.ROOT, "BENCH %s %.1f MB/s%n", name, median(r.megabytesPerSecond()));
        System.out.printf(java.util.Locale.ROOT, "BENCH %s_ceiling %.1f MB/s%n", name, median(r.ceilingMegabytesPerSecond()));
        System.out.printf(java.util.Locale.ROOT, "BENCH %s_ratio %.2f x%n", name, median(ratios));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double min(double[] values) {
        return java.util.Arrays.stream(values).min().orElseThrow();
    }

    private static String text(double[] values) {
        StringBuilder b = new StringBuilder("[");
        for (double v : values) {
            b.append(b.length() > 1 ? ", " : "").append(String.format(java.util.Locale.ROOT, "%.2f", v));
        }
        return b.append(']').toString();
    }

    /**
     * One window of {@code SECONDS} after a warm-up of 64 MiB, reporting CPU per MB beside the rate: on a
     * machine shared with other work the rate follows the CPU left over, while CPU per MB shows what the
     * stack costs.
     */
    static Result measureWithCpu(CryptoBackend backend) throws Exception {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        try (Link link = new Link(backend)) {
            long measureStart = 0;
            long cpuStart = 0;
            java.util.Map<Long, Long> allocationAtStart = java.util.Map.of();
            long bytesAtStart = 0;
            long deadline = Long.MAX_VALUE;
            while (System.nanoTime() < deadline) {
                link.sendOne();
                if (measureStart == 0 && link.received.get() >= WARM_UP_BYTES) {
                    measureStart = System.nanoTime();
                    cpuStart = os.getProcessCpuTime();
                    allocationAtStart = allocatedByThread();
                    bytesAtStart = link.received.get();
                    deadline = measureStart + (long) (SECONDS * 1e9);
                }
            }
            long bytes = link.received.get() - bytesAtStart;
            double elapsed = (System.nanoTime() - measureStart) / 1e9;
            double cpuMillis = (os.getProcessCpuTime() - cpuStart) / 1e6;
            long allocated = allocatedSince(allocationAtStart);
            return new Result(bytes / 1e6 / elapsed, cpuMillis / (bytes / 1e6), (double) allocated / bytes);
        }
    }

    private E2eThroughput() {
    }
}
