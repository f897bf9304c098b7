package dev.purertc.rooms;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Room ids that a third user cannot guess: {@code "rtc"} followed by 128 bits from a CSPRNG as 32
 * lowercase hex digits. A room id is what the signaling messages of a call name, so a guessable one
 * (a clock reading, {@code Math.random()}) lets anyone who can reach the peer aim messages at the call.
 *
 * <p>Thread-safe.
 */
public final class RoomIds {

    /** Random bits in a generated id. */
    public static final int RANDOM_BITS = 128;

    private static final SecureRandom RANDOM = new SecureRandom();

    private RoomIds() {
    }

    /** A new id, {@code rtc} + 32 hex digits. */
    public static String random() {
        byte[] bytes = new byte[RANDOM_BITS / 8];
        RANDOM.nextBytes(bytes);
        return "rtc" + HexFormat.of().formatHex(bytes);
    }
}
