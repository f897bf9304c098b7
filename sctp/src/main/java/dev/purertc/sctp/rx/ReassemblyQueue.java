package dev.purertc.sctp.rx;

import dev.purertc.sctp.common.SerialNumbers;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reassembles user messages from DATA chunk fragments and releases them in the order the
 * streams require (RFC 9260 §6.5, §6.6, §6.9).
 *
 * <p>Ordered messages are released per stream in SSN order; unordered ones as soon as all of their
 * fragments (consecutive TSNs from the B to the E fragment, §6.9) are present. Every buffered byte is
 * counted ({@link #bufferedBytes()}) so the association can advertise its receive window.
 *
 * <p>A message that grows beyond the maximum message size is not buffered: what arrived of it is
 * dropped, its stream is reported once through {@link #pollOversized()}, and everything else that
 * arrives on that stream is dropped until the peer resets it ({@link #resetStreams}). Only that stream
 * is affected: the association and the other streams go on, as libdatachannel's do. Dropping the whole
 * stream (rather than the one message) keeps the receive window open: an ordered stream cannot release
 * the messages behind a message that will never be complete, and those would otherwise fill the window
 * and stall every stream. Duplicates must be filtered by the {@link DataTracker} first.
 * Not thread safe: owned by one association.
 */
public final class ReassemblyQueue {
    private final long maxMessageSize;
    private final Map<Integer, OrderedStream> orderedStreams = new HashMap<>();
    /** Unordered fragments by unwrapped TSN. */
    private final TreeMap<Long, Fragment> unordered = new TreeMap<>();
    private final ArrayDeque<ReceivedMessage> ready = new ArrayDeque<>();
    /** Streams that carried an oversized message: their data is dropped until the peer resets them. */
    private final HashSet<Integer> discardingStreams = new HashSet<>();
    private final ArrayDeque<OversizedMessage> oversized = new ArrayDeque<>();
    private long bufferedBytes;

    public ReassemblyQueue(long maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
        this.maxFragments = maxMessageSize / MIN_FRAGMENT_BYTES + 2;
    }

    /**
     * Real stacks fragment at the path MTU; a message cut into pieces smaller than this on average is
     * refused, which bounds the work of finding an unordered message's fragments.
     */
    static final int MIN_FRAGMENT_BYTES = 64;
    private final long maxFragments;

    /**
     * A stored fragment: bytes {@code [offset, offset + length)} of {@code array}; {@code pooled} when
     * the array is a block of {@link #freeBlocks} to return once the fragment is consumed or dropped.
     */
    private record Fragment(long tsn, int streamId, int ssn, long ppid, boolean beginning, boolean ending,
            byte[] array, int offset, int length, boolean pooled) {}

    /**
     * Copies of fragments that cannot be kept as views go to reusable blocks, so a receiver fed from a
     * reused buffer allocates only the reassembled messages. Blocks fit a fragment of any common path
     * MTU; larger fragments, and fragments under half a block (so buffered memory stays within twice
     * the bytes counted against the receive window), get their own exact array. At most
     * {@link #MAX_FREE_BLOCKS} idle blocks are kept.
     */
    static final int BLOCK_SIZE = 1500;
    static final int MAX_FREE_BLOCKS = 64;
    private final ArrayDeque<byte[]> freeBlocks = new ArrayDeque<>();

    private Fragment copied(long tsn, int streamId, int ssn, long ppid, boolean beginning, boolean ending,
            byte[] array, int offset, int length) {
        if (length > BLOCK_SIZE || length * 2 < BLOCK_SIZE) {
            return new Fragment(tsn, streamId, ssn, ppid, beginning, ending,
                    Arrays.copyOfRange(array, offset, offset + length), 0, length, false);
        }
        byte[] block = freeBlocks.poll();
        if (block == null) {
            block = new byte[BLOCK_SIZE];
        }
        System.arraycopy(array, offset, block, 0, length);
        return new Fragment(tsn, streamId, ssn, ppid, beginning, ending, block, 0, length, true);
    }

    /** The fragment's bytes are no longer needed: its block (if pooled) may be reused. */
    private void recycle(Fragment f) {
        if (f.pooled() && freeBlocks.size() < MAX_FREE_BLOCKS) {
            freeBlocks.push(f.array());
        }
    }

    private void recycleAll(ArrayList<Fragment> fragments) {
        for (int i = 0; i < fragments.size(); i++) {
            recycle(fragments.get(i));
        }
    }

    /** Fragments of one ordered message (one SSN on one stream). */
    private static final class PartialMessage {
        final ArrayList<Fragment> fragments = new ArrayList<>(4);
        long firstTsn = Long.MIN_VALUE;
        long lastTsn = Long.MIN_VALUE;
        long bytes;
        boolean sorted = true;

        boolean complete() {
            return firstTsn != Long.MIN_VALUE && lastTsn != Long.MIN_VALUE
                    && lastTsn - firstTsn + 1 == fragments.size();
        }
    }

    private static final class OrderedStream {
        int nextSsn;
        final HashMap<Integer, PartialMessage> pending = new HashMap<>();
    }

    /** Bytes held in incomplete or undelivered messages (counts against the receive window). */
    public long bufferedBytes() {
        return bufferedBytes;
    }

    /** Next completed message, or null. */
    public ReceivedMessage poll() {
        ReceivedMessage m = ready.poll();
        if (m != null) {
            bufferedBytes -= m.payload().length;
        }
        return m;
    }

    public boolean hasReady() {
        return !ready.isEmpty();
    }

    /**
     * The next stream on which a message over the limit arrived, or null. Each such stream is reported
     * once; its data is dropped from then on until {@link #resetStreams} resets it.
     */
    public OversizedMessage pollOversized() {
        return oversized.poll();
    }

    /** True while data arriving on {@code streamId} is dropped because an oversized message came on it. */
    public boolean isDiscarding(int streamId) {
        return discardingStreams.contains(streamId);
    }

    /**
     * Adds one new (not duplicate) DATA chunk whose payload array is handed over (kept as is).
     * @param tsn unwrapped TSN
     */
    public void add(long tsn, int streamId, int ssn, long ppid, boolean isUnordered, boolean beginning,
            boolean ending, byte[] payload) {
        add(tsn, streamId, ssn, ppid, isUnordered, beginning, ending, payload, 0, payload.length, true);
    }

    /**
     * Adds one new (not duplicate) DATA chunk whose payload is bytes {@code [offset, offset + length)}
     * of {@code array}. With {@code owned} the queue may keep a view of the array until the message is
     * complete (the caller must then never modify it); the view is kept only when the payload is at
     * least half of the array, so a small fragment never pins a large packet. Otherwise the bytes are
     * copied. A complete message is delivered as one exact array: a multi-fragment message is copied
     * once into it, a single-fragment one is copied only when it is not already exactly an owned array.
     * A fragment that makes its message exceed the limit, or that arrives on a stream already
     * discarding, is dropped (see the class comment).
     * @param tsn unwrapped TSN
     */
    public void add(long tsn, int streamId, int ssn, long ppid, boolean isUnordered, boolean beginning,
            boolean ending, byte[] array, int offset, int length, boolean owned) {
        Objects.checkFromIndexSize(offset, length, array.length);
        if (!discardingStreams.isEmpty() && discardingStreams.contains(streamId)) {
            return;
        }
        if (beginning && ending) {
            if (length > maxMessageSize) {
                discardStream(streamId, length);
                return;
            }
            if (isUnordered) {
                release(new ReceivedMessage(streamId, ppid, true, exact(array, offset, length, owned)));
                return;
            }
            OrderedStream stream = orderedStreams.computeIfAbsent(streamId, k -> new OrderedStream());
            if (ssn == stream.nextSsn && !stream.pending.containsKey(ssn)) {
                release(new ReceivedMessage(streamId, ppid, false, exact(array, offset, length, owned)));
                stream.nextSsn = SerialNumbers.add16(stream.nextSsn, 1);
                deliverOrdered(streamId, stream);
                return;
            }
        }
        Fragment f;
        if (owned && length * 2L >= array.length) {
            f = new Fragment(tsn, streamId, ssn, ppid, beginning, ending, array, offset, length, false);
        } else {
            f = copied(tsn, streamId, ssn, ppid, beginning, ending, array, offset, length);
        }
        if (isUnordered) {
            addUnordered(f);
        } else {
            addOrdered(f);
        }
    }

    private static byte[] exact(byte[] array, int offset, int length, boolean owned) {
        if (owned && offset == 0 && length == array.length) {
            return array;
        }
        return Arrays.copyOfRange(array, offset, offset + length);
    }

    private void addOrdered(Fragment f) {
        long tsn = f.tsn();
        int streamId = f.streamId();
        int ssn = f.ssn();
        int payloadLength = f.length();
        OrderedStream stream = orderedStreams.computeIfAbsent(streamId, k -> new OrderedStream());
        PartialMessage message = stream.pending.get(ssn);
        if (message == null) {
            message = new PartialMessage();
            stream.pending.put(ssn, message);
        }
        if (message.bytes + payloadLength > maxMessageSize) {
            recycle(f);
            discardStream(streamId, message.bytes + payloadLength);
            return;
        }
        if (!message.fragments.isEmpty() && message.fragments.get(message.fragments.size() - 1).tsn() > tsn) {
            message.sorted = false;
        }
        message.fragments.add(f);
        message.bytes += payloadLength;
        bufferedBytes += payloadLength;
        if (f.beginning()) {
            message.firstTsn = tsn;
        }
        if (f.ending()) {
            message.lastTsn = tsn;
        }
        if (ssn == stream.nextSsn && message.complete()) {
            deliverOrdered(streamId, stream);
        }
    }

    private void deliverOrdered(int streamId, OrderedStream stream) {
        while (true) {
            PartialMessage m = stream.pending.get(stream.nextSsn);
            if (m == null || !m.complete()) {
                return;
            }
            stream.pending.remove(stream.nextSsn);
            bufferedBytes -= m.bytes;
            if (!m.sorted) {
                m.fragments.sort((a, b) -> Long.compare(a.tsn(), b.tsn()));
            }
            release(new ReceivedMessage(streamId, m.fragments.get(0).ppid(), false, concat(m.fragments, m.bytes)));
            recycleAll(m.fragments);
            stream.nextSsn = SerialNumbers.add16(stream.nextSsn, 1);
        }
    }

    private void addUnordered(Fragment added) {
        long tsn = added.tsn();
        int streamId = added.streamId();
        unordered.put(tsn, added);
        bufferedBytes += added.length();
        // Fragments of one message carry consecutive TSNs (RFC 9260 §6.9): look for B below, E above.
        // A message over the size limit, or cut into more than maxFragments pieces, is discarded as
        // soon as either shows, before more of it is buffered or searched.
        long bytes = added.length();
        long first = tsn;
        Fragment f = added;
        while (!f.beginning()) {
            Fragment prev = unordered.get(first - 1);
            if (prev == null || prev.ending()) {
                break;
            }
            first--;
            bytes += prev.length();
            f = prev;
            if (tsn - first > maxFragments || bytes > maxMessageSize) {
                discardTooLarge(streamId, bytes, tsn - first + 1);
                return;
            }
        }
        if (bytes > maxMessageSize) {
            discardTooLarge(streamId, bytes, tsn - first + 1);
            return;
        }
        if (!f.beginning()) {
            return;
        }
        long last = tsn;
        f = added;
        while (!f.ending()) {
            Fragment next = unordered.get(last + 1);
            if (next == null || next.beginning()) {
                return;
            }
            last++;
            bytes += next.length();
            f = next;
            if (last - first > maxFragments || bytes > maxMessageSize) {
                discardTooLarge(streamId, bytes, last - first + 1);
                return;
            }
        }
        ArrayList<Fragment> parts = new ArrayList<>((int) (last - first + 1));
        for (long t = first; t <= last; t++) {
            parts.add(unordered.remove(t));
        }
        bufferedBytes -= bytes;
        release(new ReceivedMessage(streamId, parts.get(0).ppid(), true, concat(parts, bytes)));
        recycleAll(parts);
    }

    private void discardTooLarge(int streamId, long bytes, long fragments) {
        if (bytes > maxMessageSize) {
            discardStream(streamId, bytes);
        } else {
            discardStream(streamId, new OversizedMessage(streamId, bytes, maxMessageSize, "a message on stream "
                    + streamId + " came in more than " + maxFragments + " fragments (" + fragments + " so far, "
                    + bytes + " bytes): pieces that small are refused"));
        }
    }

    private void discardStream(int streamId, long bytes) {
        discardStream(streamId, new OversizedMessage(streamId, bytes, maxMessageSize, "a message of at least "
                + bytes + " bytes on stream " + streamId + " exceeds the max-message-size of " + maxMessageSize));
    }

    /**
     * A message on {@code streamId} went over the limit: drops every
     * fragment of the stream held so far, ordered and unordered, and everything that arrives on it until
     * the peer resets it; reports the stream once.
     */
    private void discardStream(int streamId, OversizedMessage report) {
        OrderedStream stream = orderedStreams.remove(streamId);
        if (stream != null) {
            for (PartialMessage m : stream.pending.values()) {
                bufferedBytes -= m.bytes;
                recycleAll(m.fragments);
            }
        }
        Iterator<Fragment> it = unordered.values().iterator();
        while (it.hasNext()) {
            Fragment dropped = it.next();
            if (dropped.streamId() == streamId) {
                bufferedBytes -= dropped.length();
                recycle(dropped);
                it.remove();
            }
        }
        discardingStreams.add(streamId);
        oversized.add(report);
    }

    private void release(ReceivedMessage message) {
        bufferedBytes += message.payload().length;
        ready.add(message);
    }

    private static byte[] concat(ArrayList<Fragment> parts, long bytes) {
        byte[] out = new byte[(int) bytes];
        int pos = 0;
        for (Fragment f : parts) {
            System.arraycopy(f.array(), f.offset(), out, pos, f.length());
            pos += f.length();
        }
        return out;
    }

    /**
     * Applies a FORWARD TSN (RFC 3758 §3.6): drops unordered fragments at or below the new cumulative
     * TSN, and for each skipped ordered stream drops messages up to and including the given SSN and
     * moves the stream past it, then releases what became deliverable.
     * @param newCumulativeTsn unwrapped
     * @param skippedStreamIds and {@code skippedSsns}: the (stream, SSN) pairs of the chunk
     */
    public void forwardTsn(long newCumulativeTsn, int[] skippedStreamIds, int[] skippedSsns) {
        Iterator<Map.Entry<Long, Fragment>> it = unordered.headMap(newCumulativeTsn, true).entrySet().iterator();
        while (it.hasNext()) {
            Fragment dropped = it.next().getValue();
            bufferedBytes -= dropped.length();
            recycle(dropped);
            it.remove();
        }
        for (int i = 0; i < skippedStreamIds.length; i++) {
            int streamId = skippedStreamIds[i];
            int ssn = skippedSsns[i];
            if (discardingStreams.contains(streamId)) {
                continue; // nothing of it is kept; its reset starts it again from SSN 0
            }
            OrderedStream stream = orderedStreams.computeIfAbsent(streamId, k -> new OrderedStream());
            // Complete messages up to the skipped SSN are still delivered, in order; incomplete ones
            // were abandoned by the sender and are dropped (RFC 3758 §3.6).
            while (!SerialNumbers.lessThan16(ssn, stream.nextSsn)) {
                PartialMessage m = stream.pending.remove(stream.nextSsn);
                if (m != null) {
                    if (m.complete()) {
                        stream.pending.put(stream.nextSsn, m);
                        deliverOrdered(streamId, stream);
                        continue;
                    }
                    bufferedBytes -= m.bytes;
                    recycleAll(m.fragments);
                }
                stream.nextSsn = SerialNumbers.add16(stream.nextSsn, 1);
            }
            deliverOrdered(streamId, stream);
        }
    }

    /**
     * Resets the incoming SSN of the given streams to 0 (RFC 6525 §5.2.2), dropping anything still
     * pending on them (the peer only resets once everything before the reset was received). A stream
     * that was discarding after an oversized message carries data again.
     */
    public void resetStreams(int[] streamIds) {
        for (int streamId : streamIds) {
            discardingStreams.remove(streamId);
            OrderedStream stream = orderedStreams.remove(streamId);
            if (stream != null) {
                for (PartialMessage m : stream.pending.values()) {
                    bufferedBytes -= m.bytes;
                    recycleAll(m.fragments);
                }
            }
        }
    }

    /** Resets every stream (association restart). */
    public void resetAll() {
        orderedStreams.clear();
        unordered.clear();
        ready.clear();
        discardingStreams.clear();
        oversized.clear();
        bufferedBytes = 0;
    }
}
