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
 * A program, not a test: it never fails on speed.
 */
public final class SctpMemBenchmark {
    private static long now = 1_000_000_000L;

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
        run(65536, 0.5, false); // warm-up
        run(65536, 0.5, true);
        run(1024, 0.5, false);
        print("", run(65536, seconds, false));
        print("_buffers", run(65536, seconds, true));
        Result small = run(1024, seconds, false);
        System.out.printf("BENCH sctp_mem_1k %.0f msg/s%n", small.messages / small.seconds);
    }

    private static void print(String suffix, Result r) {
        long n = Math.max(1, r.messages);
        System.out.printf("BENCH sctp_mem_64k%s %.1f MB/s%n", suffix, r.bytes / 1e6 / r.seconds);
        System.out.printf("BENCH sctp_alloc_per_msg_64k%s %d B%n", suffix, r.allocatedBytes / n);
        System.out.printf("BENCH sctp_cpu_per_msg_64k%s %d ns%n", suffix, r.cpuNanos / n);
    }

    record Result(long messages, long bytes, double seconds, long allocatedBytes, long cpuNanos) {}

    /** @param buffers move packets through one reusable buffer (else as new, handed-over arrays) */
    static Result run(int size, double seconds, boolean buffers) {
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
        long deadline = start + (long) (seconds * 1e9);
        long received = 0;
        long bytes = 0;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 64; i++) {
                if (a.send(1, 53, payload, SendOptions.RELIABLE_ORDERED, now) != SendStatus.SUCCESS) {
                    break;
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
