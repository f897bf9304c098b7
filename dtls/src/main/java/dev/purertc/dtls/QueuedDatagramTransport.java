package dev.purertc.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.bouncycastle.tls.DatagramTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DatagramTransport} under BouncyCastle's DTLS: inbound datagrams come from
 * {@link #enqueue} (the socket side), outbound ones go to the caller's {@link DtlsDatagramSender}.
 *
 * <p>During the handshake the handshake thread blocks in {@link #receive} on the queue. Afterwards
 * the transport is switched to non-blocking: an empty queue throws {@link WouldBlockException},
 * which BouncyCastle passes through untouched (it is an {@link InterruptedIOException}), so the
 * feeding thread returns instead of waiting.
 *
 * <p>With {@link #packFlights()}, the records of one handshake flight leave in one datagram
 * (RFC 6347 §4.1.1 allows several records per datagram; browsers send their flights so).
 * BouncyCastle writes every handshake message as a record of its own and hands each to
 * {@link #send} at once: a server flight was five datagrams, each a socket write, a wake of the
 * peer's reader and a wake of its handshake thread. Packed, records wait in one buffer until the
 * handshake thread turns to reading ({@link #receive}, where BouncyCastle waits for the peer's next
 * flight or its own retransmission timer) or the handshake ends ({@link #flush()}), or until the next
 * record would not fit {@link #getSendLimit()}.
 */
final class QueuedDatagramTransport implements DatagramTransport {
    private static final Logger LOG = LoggerFactory.getLogger(QueuedDatagramTransport.class);

    /** Bound on datagrams waiting to be processed; more are dropped, as a full socket buffer would. */
    static final int MAX_QUEUED_DATAGRAMS = 4096;

    private static final byte[] WAKE_UP = new byte[0];

    /** Signals "no datagram now" to the non-blocking receive path. Shared, so it has no stack trace. */
    static final class WouldBlockException extends InterruptedIOException {
        private static final long serialVersionUID = 1L;
        static final WouldBlockException INSTANCE = new WouldBlockException();

        private WouldBlockException() {
            super("no datagram queued");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** The transport was closed, locally or after the peer's close_notify. */
    static final class TransportClosedException extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        TransportClosedException() {
            super("DTLS transport closed");
        }
    }

    private final LinkedBlockingQueue<byte[]> inbound = new LinkedBlockingQueue<>(MAX_QUEUED_DATAGRAMS);
    private final DtlsDatagramSender sender;
    private final int sendLimit;
    private final int receiveLimit;
    private final AtomicLong dropped = new AtomicLong();
    private final LongAdder datagramsSent = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder datagramsReceived = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private volatile boolean nonBlocking;
    private volatile boolean closed;
    private volatile long handshakeDeadlineNanos = Long.MAX_VALUE;
    /** Server side only: read by the handshake thread alone, while the transport blocks. */
    private final EarlyChangeCipherSpecGuard changeCipherSpecGuard;
    /**
     * Records of the current flight not yet sent; null unless {@link #packFlights()}. Written by the
     * handshake thread; guarded by itself because {@link #close()} on another thread flushes it.
     */
    private byte[] flight;
    private int flightLength;

    QueuedDatagramTransport(DtlsDatagramSender sender, int sendLimit, int receiveLimit, boolean server) {
        this.sender = sender;
        this.sendLimit = sendLimit;
        this.receiveLimit = receiveLimit;
        this.changeCipherSpecGuard = server ? new EarlyChangeCipherSpecGuard() : null;
    }

    /** Queues one datagram, taking ownership of the array. Returns false if it was dropped. */
    boolean enqueue(byte[] datagram) {
        if (!enqueueUncounted(datagram)) {
            return false;
        }
        countReceived(datagram.length);
        return true;
    }

    /** Queues records of a datagram already counted by {@link #countReceived}; false if dropped. */
    boolean enqueueUncounted(byte[] records) {
        if (closed) {
            return false;
        }
        if (!inbound.offer(records)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Counts a received datagram (also one whose records never reach BouncyCastle). */
    void countReceived(int length) {
        datagramsReceived.increment();
        bytesReceived.add(length);
    }

    boolean hasQueued() {
        return !inbound.isEmpty();
    }

    /** Client ChangeCipherSpec records held back during the handshake (see {@link EarlyChangeCipherSpecGuard}). */
    long heldBackChangeCipherSpecs() {
        return changeCipherSpecGuard == null ? 0 : changeCipherSpecGuard.heldBack();
    }

    long droppedDatagrams() {
        return dropped.get();
    }

    DtlsTransportStats stats() {
        return new DtlsTransportStats(datagramsSent.sum(), bytesSent.sum(), datagramsReceived.sum(),
                bytesReceived.sum(), dropped.get());
    }

    /**
     * Packs the records of each handshake flight into as few datagrams as fit {@link #getSendLimit()},
     * until {@link #switchToNonBlocking()}. Call before the handshake starts. The handshake thread must
     * call {@link #flush()} when BouncyCastle returns from the handshake, successfully or not.
     */
    void packFlights() {
        flight = new byte[sendLimit];
    }

    /** Sends the records of the flight held back so far, if any, as one datagram. */
    void flush() {
        byte[] packed = flight;
        if (packed == null) {
            return;
        }
        synchronized (packed) {
            if (flightLength > 0) {
                int length = flightLength;
                flightLength = 0;
                sendDatagram(packed, 0, length);
            }
        }
    }

    /** After this instant a blocking receive fails, whatever BouncyCastle's own timers say. */
    void handshakeDeadline(long deadlineNanos) {
        this.handshakeDeadlineNanos = deadlineNanos;
    }

    /** Ends the handshake: flushes a held-back flight, then every record is a datagram sent at once. */
    void switchToNonBlocking() {
        flush();
        nonBlocking = true;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public int getReceiveLimit() {
        return receiveLimit;
    }

    @Override
    public int getSendLimit() {
        return sendLimit;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new TransportClosedException();
        }
        byte[] datagram;
        int length;
        if (nonBlocking) {
            datagram = inbound.poll();
            if (datagram == null) {
                throw WouldBlockException.INSTANCE;
            }
            length = datagram.length;
        } else {
            flush(); // BouncyCastle reads once its flight is written: the flight is complete
            do {
                long remainingNanos = handshakeDeadlineNanos - System.nanoTime();
                if (remainingNanos <= 0) {
                    throw new DtlsHandshakeTimeoutException();
                }
                // BouncyCastle reads a wait of 0 as "no limit"; the handshake deadline still bounds it.
                long waitNanos = waitMillis > 0
                        ? Math.min(TimeUnit.MILLISECONDS.toNanos(waitMillis), remainingNanos)
                        : remainingNanos;
                try {
                    datagram = inbound.poll(waitNanos, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for a datagram");
                }
                if (datagram == null) {
                    return -1; // timer expiry: BouncyCastle retransmits or gives up
                }
                length = datagram == WAKE_UP || changeCipherSpecGuard == null
                        ? datagram.length
                        : changeCipherSpecGuard.admit(datagram, datagram.length);
            } while (length == 0 && datagram != WAKE_UP); // all of it held back: wait for the next
        }
        if (datagram == WAKE_UP || closed) {
            throw new TransportClosedException();
        }
        int n = Math.min(len, length);
        System.arraycopy(datagram, 0, buf, off, n);
        // A datagram longer than len is reported at full length; BouncyCastle then discards it.
        return length;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new TransportClosedException();
        }
        byte[] packed = flight;
        if (packed != null && !nonBlocking && len <= packed.length) {
            synchronized (packed) {
                if (flightLength + len > packed.length) {
                    flush();
                }
                System.arraycopy(buf, off, packed, flightLength, len);
                flightLength += len;
            }
            return;
        }
        sendDatagram(buf, off, len);
    }

    private void sendDatagram(byte[] buf, int off, int len) {
        try {
            sender.sendDatagram(buf, off, len);
            datagramsSent.increment();
            bytesSent.add(len);
        } catch (IOException | RuntimeException e) {
            // UDP semantics: a datagram that could not be sent is a lost datagram, which DTLS and
            // SCTP recover from; failing the whole connection for it would be worse.
            dropped.incrementAndGet();
            LOG.debug("dropping outbound datagram of {} bytes: {}", len, e.toString());
        }
    }

    @Override
    public void close() {
        if (!closed) {
            // A fatal alert BouncyCastle wrote just before it closes the transport still leaves.
            flush();
            closed = true;
            inbound.clear();
            inbound.offer(WAKE_UP);
        }
    }

    /** The handshake ran past {@link DtlsOptions#handshakeTimeout()}. */
    static final class DtlsHandshakeTimeoutException extends IOException {
        private static final long serialVersionUID = 1L;

        DtlsHandshakeTimeoutException() {
            super("DTLS handshake timed out");
        }
    }
}
