package dev.purertc.channel.bench;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RTCDataChannel;
import dev.purertc.channel.RTCDataChannelListener;
import dev.purertc.dtls.CryptoBackend;

/**
 * One reliable ordered channel between two Java peers over 127.0.0.1, 64 KiB messages, sender kept
 * between a 512 KiB low threshold and 1.5 MiB buffered (the default send buffer is 2 MB) (bufferedAmount back-pressure), the rate measured
 * at the receiver over {@code SECONDS} after a warm-up of 64 MiB. MB = 10^6 bytes.
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

    static double measure(CryptoBackend backend) throws Exception {
        return measureWithCpu(backend).megabytesPerSecond();
    }

    /**
     * Like {@link #measure}, also reporting CPU per MB: on a machine shared with other work the rate follows
     * the CPU left over, while CPU per MB shows what the stack costs.
     */
    static Result measureWithCpu(CryptoBackend backend) throws Exception {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        AtomicLong received = new AtomicLong();
        try (PeerConnectionFactory factory = new PeerConnectionFactory(2)) {
            Semaphore low = new Semaphore(0);
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
            try (BenchPair pair = new BenchPair(factory, BenchPair.loopback().cryptoBackend(backend).build(), sender,
                    receiver)) {
                pair.connect(Duration.ofSeconds(30));
                RTCDataChannel channel = pair.channel;
                channel.setBufferedAmountLowThreshold(512 * 1024);
                byte[] payload = new byte[MESSAGE];
                new java.util.Random(1).nextBytes(payload);
                long measureStart = 0;
                long cpuStart = 0;
                java.util.Map<Long, Long> allocationAtStart = java.util.Map.of();
                long bytesAtStart = 0;
                long deadline = Long.MAX_VALUE;
                while (System.nanoTime() < deadline) {
                    low.drainPermits();
                    if (channel.bufferedAmount() > 1536 * 1024) {
                        if (!low.tryAcquire(30, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("no buffered-amount-low within 30 s");
                        }
                        continue;
                    }
                    channel.send(payload); // send(byte[]) copies the array, as a browser copies an ArrayBuffer
                    if (measureStart == 0 && received.get() >= WARM_UP_BYTES) {
                        measureStart = System.nanoTime();
                        cpuStart = os.getProcessCpuTime();
                        allocationAtStart = allocatedByThread();
                        bytesAtStart = received.get();
                        deadline = measureStart + (long) (SECONDS * 1e9);
                    }
                }
                long bytes = received.get() - bytesAtStart;
                double elapsed = (System.nanoTime() - measureStart) / 1e9;
                double cpuMillis = (os.getProcessCpuTime() - cpuStart) / 1e6;
                long allocated = allocatedSince(allocationAtStart);
                return new Result(bytes / 1e6 / elapsed, cpuMillis / (bytes / 1e6), (double) allocated / bytes);
            }
        }
    }

    private E2eThroughput() {
    }
}
