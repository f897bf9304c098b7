package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Lists of 16-bit stream identifiers as carried in RE-CONFIG requests (RFC 6525 §4.1, §4.2). */
final class StreamIdLists {
    private StreamIdLists() {
    }

    static List<Integer> copyChecked(List<Integer> streamIds) {
        List<Integer> copy = List.copyOf(streamIds);
        for (int i = 0; i < copy.size(); i++) {
            Wire.checkU16("stream id", copy.get(i));
        }
        return copy;
    }

    static void write(ByteBuffer out, List<Integer> streamIds) {
        for (int i = 0; i < streamIds.size(); i++) {
            out.putShort((short) (int) streamIds.get(i));
        }
    }

    /** Reads 16-bit ids from {@code from} to {@code end}; the caller checked the count is whole. */
    static List<Integer> read(ByteBuffer b, int from, int end) {
        List<Integer> ids = new ArrayList<>((end - from) / 2);
        for (int i = from; i + 2 <= end; i += 2) {
            ids.add(Wire.u16(b, i));
        }
        return ids;
    }
}
