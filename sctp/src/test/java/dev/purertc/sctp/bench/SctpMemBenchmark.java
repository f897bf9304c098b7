package dev.purertc.sctp.bench;

import dev.purertc.sctp.Association;
import dev.purertc.sctp.AssociationEvent;
import dev.purertc.sctp.AssociationState;
import dev.purertc.sctp.SctpOptions;
import dev.purertc.sctp.SendOptions;
import dev.purertc.sctp.SendStatus;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * Two associations in memory, one thread, no loss or delay: reliable ordered transfer of 64 KiB and
 * 1 KiB messages. Prints {@code BENCH sctp_mem_64k}, {@code sctp_alloc_per_msg_64k},
 * {@code sctp_cpu_per_msg_64k} and {@code sctp_mem_1k} for packets moved as new arrays
 * ({@code pollOutgoingPacket()} handed over to {@code handleOwnedInput}, as the figure always was
 * apart from the hand-over), and the same three 64 KiB figures with the suffix {@code _buffers} for
 * packets moved through one reusable buffer ({@code pollOutgoingPacket(ByteBuffer)} into
 * {@code handleInput(ByteBuffer)}, the way a transport with its own record buffers can drive it).
 * Bytes allocated and CPU time are the calling thread's (ThreadMXBean; GC threads not included).
 *
 * <p>Warmed by iterations, not by wall time ({@value #WARM_UP_ROUNDS} rounds of each kind before
 * anything is measured), then {@value #REPETITIONS} measured repetitions of a fixed number of messages
 * each: the figures are the median repetition, with {@code _min}, {@code _max} and {@code _spread}
 * (max/min) beside them. The MB/s are per second of the benchmark thread's own CPU time: on a shared
 * 2-core machine a one-thread, in-memory loop is CPU-bound, and wall time mostly measured how long other
 * processes held the cores (the same code read 6-670 MB/s). The wall-clock figure is printed beside it
 * as {@code _wall}. A program, not a test: it never fails on speed.
 */
public final class SctpMemBenchmark {
    private static final int WARM_UP_ROUNDS = 5;
    private static final int REPETITIONS = 5;
    private static long now = 1_000_000_000L;

    /** {@code [MESSAGES_64K]}: messages per measured repetition of 64 KiB (1 KiB runs 16 times as many). */
    public static void main(String[] args) {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 16000;
        for (int i = 0; i < WARM_UP_ROUNDS; i++) {
            run(65536, messages / 4, false);
            run(65536, messages / 4, true);
            run(1024, messages * 4, false);
        }
        print("", repeat(65536, messages, false));
        print("_buffers", repeat(65536, messages, true));
        Result[] small = repeat(1024, messages * 16, false);
        Result median = small[REPETITIONS / 2];
        System.out.printf("BENCH sctp_mem_1k %.0f msg/s%n", median.messages / (median.cpuNanos / 1e9));
    }

    /** {@link #REPETITIONS} runs, sorted by throughput (slowest first). */
    private static Result[] repeat(int size, int messages, boolean buffers) {
        Result[] results = new Result[REPETITIONS];
        for (int i = 0; i < REPETITIONS; i++) {
            results[i] = run(size, messages, buffers);
        }
        java.util.Arrays.sort(results, java.util.Comparator.comparingDouble(Result::megabytesPerCpuSecond));
        return results;
    }

    private static void print(String suffix, Result[] sorted) {
        Result r = sorted[REPETITIONS / 2];
        double min = sorted[0].megabytesPerCpuSecond();
        double max = sorted[REPETITIONS - 1].megabytesPerCpuSecond();
        long n = Math.max(1, r.messages);
        double[] wall = java.util.Arrays.stream(sorted).mapToDouble(Result::megabytesPerSecond).sorted().toArray();
        System.out.printf("BENCH sctp_mem_64k%s %.1f MB/s%n", suffix, r.megabytesPerCpuSecond());
        System.out.printf("BENCH sctp_mem_64k%s_min %.1f MB/s%n", suffix, min);
        System.out.printf("BENCH sctp_mem_64k%s_max %.1f MB/s%n", suffix, max);
        System.out.printf("BENCH sctp_mem_64k%s_spread %.2f max/min%n", suffix, max / min);
        System.out.printf("BENCH sctp_mem_64k%s_wall %.1f MB/s%n", suffix, wall[REPETITIONS / 2]);
        System.out.printf("BENCH sctp_mem_64k%s_wall_spread %.2f max/min%n", suffix, wall[REPETITIONS - 1] / wall[0]);
        System.out.printf("BENCH sctp_alloc_per_msg_64k%s %d B%n", suffix, r.allocatedBytes / n);
        System.out.printf("BENCH sctp_cpu_per_msg_64k%s %d ns%n", suffix, r.cpuNanos / n);
    }

    record Result(long messages, long bytes, double seconds, long allocatedBytes, long cpuNanos) {
        double megabytesPerSecond() {
            return bytes / 1e6 / seconds;
        }

        double megabytesPerCpuSecond() {
            return bytes / 1e6 / (cpuNanos / 1e9);
        }
    }

    /** @param buffers move packets through one reusable buffer (else as new, handed-over arrays) */
    static Result run(int size, int messages, boolean buffers) {
        Association a = new Association(SctpOptions.defaults(), new Random(1));
        Association b = new Association(SctpOptions.defaults(), new Random(2));
        a.connect(now);
        pump(a, b, false);
        if (a.state() != AssociationState.ESTABLISHED) {
            throw new IllegalStateException("not connected");
        }
        byte[] payload = new byte[size];
        new Random(3).nextBytes(payload);
        var threadBean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long alloc0 = threadBean.getThreadAllocatedBytes(tid);
        long cpu0 = threadBean.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long received = 0;
        long bytes = 0;
        long sent = 0;
        while (received < messages) {
            for (int i = 0; i < 64 && sent < messages; i++, sent++) {
                if (a.send(1, 53, payload, SendOptions.RELIABLE_ORDERED, now) != SendStatus.SUCCESS) {
                    break; // the send buffer is full: this one goes in the next round (break skips sent++)
                }
            }
            pump(a, b, buffers);
            AssociationEvent e;
            while ((e = b.pollEvent()) != null) {
                if (e instanceof AssociationEvent.MessageReceived m) {
                    received++;
                    bytes += m.payload().length;
                }
            }
            while (a.pollEvent() != null) {
                // drain
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long alloc = threadBean.getThreadAllocatedBytes(tid) - alloc0;
        long cpu = threadBean.getCurrentThreadCpuTime() - cpu0;
        return new Result(received, bytes, elapsed, alloc, cpu);
    }

    private static final ByteBuffer WIRE = ByteBuffer.allocate(65536);

    private static void pump(Association a, Association b, boolean buffers) {
        boolean moved = true;
        while (moved) {
            moved = false;
            if (buffers) {
                moved = move(a, b) | move(b, a);
            } else {
                byte[] p;
                while ((p = a.pollOutgoingPacket()) != null) {
                    b.handleOwnedInput(p, now);
                    moved = true;
                }
                while ((p = b.pollOutgoingPacket()) != null) {
                    a.handleOwnedInput(p, now);
                    moved = true;
                }
            }
            if (!moved) {
                // Nothing in transit: let due timers (the delayed ack) run so no side waits forever.
                now += 1_000_000L;
                if (Math.min(a.nextTimeoutNanos(), b.nextTimeoutNanos()) <= now) {
                    a.advanceTime(now);
                    b.advanceTime(now);
                    moved = true;
                }
            }
        }
    }

    private static boolean move(Association from, Association to) {
        boolean moved = false;
        while (from.pollOutgoingPacket(WIRE.clear()) > 0) {
            to.handleInput(WIRE.flip(), now);
            moved = true;
        }
        return moved;
    }
}
