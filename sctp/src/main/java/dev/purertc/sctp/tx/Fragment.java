package dev.purertc.sctp.tx;

import java.util.Arrays;
import java.util.Objects;

/**
 * One DATA chunk's worth of a message, produced by the {@link SendQueue}: a view of the range
 * {@code [payloadOffset, payloadOffset + payloadLength)} of the message's array, never a copy (the
 * bytes are copied once, when the packet is written). The array must not be modified while the
 * fragment may still be (re)transmitted.
 */
public record Fragment(OutgoingMessage message, int streamId, int ssn, long ppid, boolean unordered,
        boolean beginning, boolean ending, byte[] payloadArray, int payloadOffset, int payloadLength) {

    public Fragment {
        Objects.requireNonNull(payloadArray, "payloadArray");
        Objects.checkFromIndexSize(payloadOffset, payloadLength, payloadArray.length);
    }

    /** A fragment carrying all of {@code payload}. */
    public Fragment(OutgoingMessage message, int streamId, int ssn, long ppid, boolean unordered,
            boolean beginning, boolean ending, byte[] payload) {
        this(message, streamId, ssn, ppid, unordered, beginning, ending, payload, 0, payload.length);
    }

    /** The fragment's bytes as an exact array (a copy unless the fragment spans the whole array). */
    public byte[] payload() {
        if (payloadOffset == 0 && payloadLength == payloadArray.length) {
            return payloadArray;
        }
        return Arrays.copyOfRange(payloadArray, payloadOffset, payloadOffset + payloadLength);
    }
}
