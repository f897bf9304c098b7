package dev.purertc.sctp.simtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purertc.sctp.AssociationEvent;
import dev.purertc.sctp.SctpOptions;
import dev.purertc.sctp.SendOptions;
import dev.purertc.sctp.SendStatus;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every packet fits the path budget even when the budget is not a multiple of four: DTLS with
 * AES-GCM leaves 1163 bytes per record (1200 - 13 header - 24 explicit nonce and tag), and a DATA
 * chunk's padding (RFC 9260 §3.2) counts against it.
 */
class PathBudgetTest {
    private static final long MS = 1_000_000L;
    private static final int DTLS_GCM_BUDGET = 1163;

    @Test
    void packetsNeverExceedAnMtuThatIsNotAMultipleOfFour() {
        SctpOptions options = SctpOptions.builder().mtu(DTLS_GCM_BUDGET).build();
        DirectPair pair = new DirectPair(options, 5);
        int[] largest = {0};
        pair.dropAtoB = p -> {
            largest[0] = Math.max(largest[0], p.length);
            return false;
        };
        pair.dropBtoA = p -> {
            largest[0] = Math.max(largest[0], p.length);
            return false;
        };
        pair.a.connect(pair.now);
        pair.exchange();

        // Sizes around every chunk boundary, then whole 64 KiB messages as channel-api sends them.
        int count = 1_300;
        int[] sizes = new int[count];
        for (int i = 0; i < 1_200; i++) {
            sizes[i] = 1 + i;
        }
        for (int i = 1_200; i < count; i++) {
            sizes[i] = 65_536 - (i % 7);
        }
        int[] next = {0};
        int[] received = {0};
        boolean done = pair.runUntil(() -> {
            while (next[0] < count && pair.a.send(1, 53, message(next[0], sizes[next[0]]),
                    SendOptions.RELIABLE_ORDERED, pair.now) == SendStatus.SUCCESS) {
                next[0]++;
            }
            for (AssociationEvent e : pair.eventsB) {
                if (e instanceof AssociationEvent.MessageReceived m) {
                    assertArrayEquals(message(received[0], sizes[received[0]]), m.payload(),
                            "message " + received[0]);
                    received[0]++;
                }
            }
            pair.eventsB.clear();
            return received[0] == count;
        }, 600_000 * MS);

        assertTrue(done, "received " + received[0] + " of " + count);
        assertTrue(largest[0] <= DTLS_GCM_BUDGET, "largest packet " + largest[0] + " bytes");
        // Full packets are used: the budget rounded down to the 4-byte chunk alignment.
        assertEquals(DTLS_GCM_BUDGET - 3, largest[0]);
    }

    private static byte[] message(int index, int size) {
        byte[] m = new byte[size];
        new Random(index).nextBytes(m);
        return m;
    }
}
