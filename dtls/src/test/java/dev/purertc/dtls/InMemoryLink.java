package dev.purertc.dtls;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One direction of an in-memory datagram link: datagrams handed to {@link #sendDatagram} are
 * copied, recorded, optionally dropped by a {@link DropPolicy}, and fed to the receiving endpoint
 * by a pump thread, in order. Test threads are named {@code test-link-*}.
 */
final class InMemoryLink implements DtlsDatagramSender, AutoCloseable {

    /** Decides from the datagram's index in this direction (0-based) whether to drop it. */
    @FunctionalInterface
    interface DropPolicy {
        boolean drop(int index, byte[] datagram);

        DropPolicy NONE = (index, datagram) -> false;
    }

    private static final byte[] STOP = new byte[0];
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final List<byte[]> sent = new ArrayList<>();
    private final List<String> senderThreads = new ArrayList<>();
    private final AtomicInteger dropped = new AtomicInteger();
    private final DropPolicy policy;
    private final Thread pump;
    private volatile Consumer<byte[]> receiver;
    private volatile boolean oneRecordPerDatagram;

    InMemoryLink(DropPolicy policy) {
        this.policy = policy;
        this.pump = new Thread(this::pump, "test-link-" + THREADS.incrementAndGet());
        this.pump.setDaemon(true);
        this.pump.start();
    }

    void connectTo(Consumer<byte[]> receiver) {
        this.receiver = receiver;
    }

    /**
     * From now on, cuts every datagram into one datagram per DTLS record (RFC 6347 §4.1) before the drop
     * policy sees it: the link then carries what a peer that sends each record on its own would send.
     */
    void splitIntoRecords() {
        oneRecordPerDatagram = true;
    }

    @Override
    public void sendDatagram(byte[] buffer, int offset, int length) {
        if (oneRecordPerDatagram) {
            int at = offset;
            int end = offset + length;
            while (at + 13 <= end) {
                int recordEnd = Math.min(end, at + 13 + (((buffer[at + 11] & 0xff) << 8) | (buffer[at + 12] & 0xff)));
                carry(buffer, at, recordEnd - at);
                at = recordEnd;
            }
            return;
        }
        carry(buffer, offset, length);
    }

    private void carry(byte[] buffer, int offset, int length) {
        byte[] copy = Arrays.copyOfRange(buffer, offset, offset + length);
        int index;
        synchronized (sent) {
            index = sent.size();
            sent.add(copy);
            senderThreads.add(Thread.currentThread().getName());
        }
        boolean drop = policy.drop(index, copy);
        if (Boolean.getBoolean("dtls.trace")) {
            System.err.printf("%s #%d len=%d type=%d epoch=%d hs=%d drop=%s%n", Thread.currentThread().getName(), index,
                    copy.length, copy[0], ((copy[3] & 0xff) << 8) | (copy[4] & 0xff), copy.length > 13 ? copy[13] : -1,
                    drop);
        }
        if (drop) {
            dropped.incrementAndGet();
            return;
        }
        queue.add(copy);
    }

    /** Every datagram handed to this direction, dropped or not, in order. */
    List<byte[]> sentDatagrams() {
        synchronized (sent) {
            return new ArrayList<>(sent);
        }
    }

    /** Name of the thread that sent each datagram, in order. */
    List<String> senderThreads() {
        synchronized (sent) {
            return new ArrayList<>(senderThreads);
        }
    }

    int droppedCount() {
        return dropped.get();
    }

    private void pump() {
        try {
            while (true) {
                byte[] datagram = queue.take();
                if (datagram == STOP) {
                    return;
                }
                Consumer<byte[]> r = receiver;
                if (r != null) {
                    r.accept(datagram);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        queue.add(STOP);
        try {
            pump.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
