package dev.purertc.sctp.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DATA chunks as views of a larger array: what is written, compared and copied. */
class DataChunkViewTest {
    private static final byte[] BACKING = {9, 9, 1, 2, 3, 4, 5, 9};

    private static DataChunk view() {
        return new DataChunk(7, 1, 2, 53, false, true, false, false, BACKING, 2, 5);
    }

    private static DataChunk whole() {
        return new DataChunk(7, 1, 2, 53, false, true, false, false, new byte[] {1, 2, 3, 4, 5});
    }

    @Test
    void aViewEncodesExactlyLikeAChunkOwningItsBytes() {
        assertEquals(whole(), view());
        assertEquals(whole().hashCode(), view().hashCode());
        assertEquals(21, view().length());
        assertEquals(24, view().encodedLength());
        ByteBuffer a = ByteBuffer.allocate(24);
        ByteBuffer b = ByteBuffer.allocate(24);
        view().writeTo(a);
        whole().writeTo(b);
        assertArrayEquals(b.array(), a.array());
    }

    @Test
    void payloadIsExactCopyingOnlyAView() {
        DataChunk w = whole();
        assertSame(w.payloadArray(), w.payload());
        DataChunk v = view();
        byte[] copy = v.payload();
        assertNotSame(BACKING, copy);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, copy);
        ByteBuffer buffer = v.payloadBuffer();
        assertEquals(0, buffer.position());
        assertEquals(5, buffer.remaining());
        assertEquals(1, buffer.get(0));
        assertEquals(true, buffer.isReadOnly());
    }

    @Test
    void aRangeOutsideTheArrayIsRefused() {
        assertThrows(IndexOutOfBoundsException.class,
                () -> new DataChunk(7, 1, 2, 53, false, true, true, false, BACKING, 6, 3));
        assertThrows(IndexOutOfBoundsException.class,
                () -> new DataChunk(7, 1, 2, 53, false, true, true, false, BACKING, -1, 2));
    }

    @Test
    void parsingAnArrayBackedBufferKeepsAViewAndADirectOneACopy() throws Exception {
        SctpPacket packet = new SctpPacket(5000, 5000, 0x01020304L, List.of(whole()));
        byte[] wire = new byte[4 + packet.encodedLength()];
        ByteBuffer out = ByteBuffer.wrap(wire);
        out.position(4);
        packet.writeTo(out);

        ByteBuffer heap = ByteBuffer.wrap(wire, 4, wire.length - 4);
        DataChunk parsed = (DataChunk) SctpPacket.parse(heap).chunks().get(0);
        assertSame(wire, parsed.payloadArray());
        assertEquals(4 + 12 + 16, parsed.payloadOffset());
        assertEquals(5, parsed.payloadLength());
        assertEquals(whole(), parsed);
        assertEquals(4, heap.position()); // parse leaves the buffer as it was

        ByteBuffer direct = ByteBuffer.allocateDirect(packet.encodedLength());
        packet.writeTo(direct);
        direct.flip();
        DataChunk copied = (DataChunk) SctpPacket.parse(direct).chunks().get(0);
        assertEquals(0, copied.payloadOffset());
        assertEquals(5, copied.payloadArray().length);
        assertEquals(whole(), copied);
    }
}
