package dev.purertc.signaling;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Caps the TCP connections the server holds: in all, and per remote address. Counted from accept to
 * close, so upgrades still in their handshake and plain HTTP requests count too (a half-open upgrade
 * holds a socket just like a WebSocket does). IPv6 peers are grouped by their /64 prefix, because one
 * host usually owns a whole /64 and could otherwise take a fresh address per connection.
 *
 * <p>Threading: {@link #tryAcquire} and {@link #release} may be called from any event loop; a lock
 * guards the counts (accepts are rare next to messages).
 */
final class ConnectionLimiter {

    private final int maxTotal;
    private final int maxPerAddress;
    private final Map<Key, Integer> perAddress = new HashMap<>();
    private int total;

    ConnectionLimiter(int maxTotal, int maxPerAddress) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
    }

    /** Counts a new connection from {@code remote}; null when admitted, else why not. */
    synchronized String tryAcquire(InetAddress remote) {
        if (total >= maxTotal) {
            return "the server holds its maximum of " + maxTotal + " connections";
        }
        Key k = Key.of(remote);
        int n = perAddress.getOrDefault(k, 0);
        if (n >= maxPerAddress) {
            return remote.getHostAddress() + " already holds " + maxPerAddress + " connections";
        }
        perAddress.put(k, n + 1);
        total++;
        return null;
    }

    synchronized void release(InetAddress remote) {
        Key k = Key.of(remote);
        Integer n = perAddress.get(k);
        if (n == null) {
            return;
        }
        if (n <= 1) {
            perAddress.remove(k);
        } else {
            perAddress.put(k, n - 1);
        }
        total--;
    }

    /** TCP connections held now. */
    synchronized int total() {
        return total;
    }

    /** An IPv4 address, or the first 8 bytes of an IPv6 address. */
    private record Key(byte[] prefix) {
        static Key of(InetAddress a) {
            byte[] b = a.getAddress();
            return new Key(a instanceof Inet6Address && !isV4Mapped(b) ? Arrays.copyOf(b, 8) : b);
        }

        private static boolean isV4Mapped(byte[] b) {
            for (int i = 0; i < 10; i++) {
                if (b[i] != 0) {
                    return false;
                }
            }
            return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(prefix, k.prefix);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(prefix);
        }
    }
}
