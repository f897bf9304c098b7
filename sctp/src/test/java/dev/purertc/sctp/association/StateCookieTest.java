package dev.purertc.sctp.association;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class StateCookieTest {
    private final byte[] secret = new byte[32];

    @Test
    void signedCookieRoundTripsAndTamperingIsRejected() {
        StateCookie c = new StateCookie(0xDEADBEEFL, 7, 100, 200, 5_000_000, 65535, 1024, 0, 0, 123_456_789L,
                true, true, 1);
        byte[] signed = c.sign(secret);
        assertEquals(StateCookie.ENCODED_LENGTH, signed.length);
        assertEquals(c, StateCookie.verify(secret, signed));
        signed[5] ^= 1;
        assertNull(StateCookie.verify(secret, signed));
        byte[] other = new byte[32];
        other[0] = 1;
        assertNull(StateCookie.verify(other, c.sign(secret)));
        assertNull(StateCookie.verify(secret, new byte[10]));
    }
}
