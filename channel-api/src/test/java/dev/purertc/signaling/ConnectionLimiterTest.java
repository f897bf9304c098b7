package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

/** The connection caps' bookkeeping: in all, per IPv4 address, per IPv6 /64. */
class ConnectionLimiterTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void oneIpv6Slash64IsOneAddressAndDistinctAddressesShareOnlyTheTotal() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(5, 2);
        assertNull(limiter.tryAcquire(ip("2001:db8:1:2::1")));
        assertNull(limiter.tryAcquire(ip("2001:db8:1:2:ffff::9"))); // same /64
        assertTrue(limiter.tryAcquire(ip("2001:db8:1:2:abcd::1")).contains("already holds 2"));
        assertNull(limiter.tryAcquire(ip("2001:db8:1:3::1"))); // next /64
        assertNull(limiter.tryAcquire(ip("192.0.2.1")));
        assertNull(limiter.tryAcquire(ip("192.0.2.2")));
        assertTrue(limiter.tryAcquire(ip("192.0.2.3")).contains("maximum of 5"));
        assertEquals(5, limiter.total());

        limiter.release(ip("2001:db8:1:2::1"));
        assertEquals(4, limiter.total());
        assertNull(limiter.tryAcquire(ip("2001:db8:1:2::77")));
        limiter.release(ip("198.51.100.1")); // never acquired: changes nothing
        assertEquals(5, limiter.total());
    }
}
