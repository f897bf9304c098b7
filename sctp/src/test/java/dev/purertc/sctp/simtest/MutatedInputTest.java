package dev.purertc.sctp.simtest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purertc.sctp.Association;
import dev.purertc.sctp.AssociationEvent;
import dev.purertc.sctp.SctpOptions;
import dev.purertc.sctp.SendOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Mutated versions of a real session's packets (with a correct CRC32C, so they get past the codec)
 * fed to established associations: whatever they say, the association never throws and never
 * buffers without bound.
 */
class MutatedInputTest {
    private static final long MS = 1_000_000L;

    @Test
    void mutatedPacketsNeverThrow() {
        // Record a session: handshake, messages both ways (ordered, unordered, PR), a stream reset, shutdown.
        DirectPair rec = new DirectPair(SctpOptions.defaults(), 51);
        List<byte[]> recorded = new ArrayList<>();
        rec.dropAtoB = p -> {
            recorded.add(p);
            return false;
        };
        rec.dropBtoA = p -> {
            recorded.add(p);
            return false;
        };
        rec.a.connect(rec.now);
        rec.exchange();
        rec.a.send(1, 53, new byte[5000], SendOptions.RELIABLE_ORDERED);
        rec.a.send(2, 51, new byte[300], new SendOptions(true, 0, -1));
        rec.b.send(3, 53, new byte[40], new SendOptions(false, -1, 100 * MS));
        rec.exchange();
        rec.a.resetStreams(List.of(1));
        rec.runUntil(() -> false, 2_000 * MS);
        rec.a.shutdown(rec.now);
        rec.runUntil(() -> false, 2_000 * MS);
        assertTrue(recorded.size() > 10);

        Random r = new Random(52);
        for (int round = 0; round < 1000; round++) {
            DirectPair pair = new DirectPair(SctpOptions.defaults(), 51); // same seeds: same tags as recorded
            pair.a.connect(pair.now);
            pair.exchange();
            for (int i = 0; i < 40; i++) {
                byte[] p = recorded.get(r.nextInt(recorded.size())).clone();
                int flips = 1 + r.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    int at = 12 + r.nextInt(Math.max(1, p.length - 12));
                    p[at] = (byte) (r.nextBoolean() ? r.nextInt(256) : p[at] ^ (1 << r.nextInt(8)));
                }
                fixChecksum(p);
                Association target = r.nextBoolean() ? pair.a : pair.b;
                target.handleInput(p, pair.now);
                pair.now += r.nextInt(50) * MS;
                pair.a.advanceTime(pair.now);
                pair.b.advanceTime(pair.now);
                pair.exchange();
            }
            long held = 0;
            for (AssociationEvent e : pair.eventsB) {
                if (e instanceof AssociationEvent.MessageReceived m) {
                    held += m.payload().length;
                }
            }
            assertTrue(held < 64L << 20, "round " + round);
        }
    }

    private static void fixChecksum(byte[] p) {
        ByteBuffer b = ByteBuffer.wrap(p);
        b.putInt(8, 0);
        CRC32C crc = new CRC32C();
        crc.update(p, 0, p.length);
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(8, (int) crc.getValue());
    }
}
