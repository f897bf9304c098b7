package dev.purertc.sctp.common;

/**
 * Serial number arithmetic (RFC 1982) for the 32-bit TSNs and 16-bit SSNs of SCTP (RFC 9260 §1.6),
 * plus unwrappers that turn wrapping wire values into monotonic 64-bit values for internal use.
 * 32-bit values are carried as {@code long} in [0, 2^32), 16-bit ones as {@code int} in [0, 65535].
 */
public final class SerialNumbers {
    private SerialNumbers() {}

    public static final long MASK32 = 0xFFFF_FFFFL;
    public static final int MASK16 = 0xFFFF;

    /** {@code a < b} in 32-bit serial arithmetic (RFC 1982 §3.2). */
    public static boolean lessThan32(long a, long b) {
        return a != b && ((b - a) & MASK32) < 0x8000_0000L;
    }

    /** {@code a <= b} in 32-bit serial arithmetic. */
    public static boolean lessOrEqual32(long a, long b) {
        return a == b || lessThan32(a, b);
    }

    /** {@code a < b} in 16-bit serial arithmetic. */
    public static boolean lessThan16(int a, int b) {
        return a != b && ((b - a) & MASK16) < 0x8000;
    }

    /** {@code a + n} modulo 2^32. */
    public static long add32(long a, long n) {
        return (a + n) & MASK32;
    }

    /** {@code a + n} modulo 2^16. */
    public static int add16(int a, int n) {
        return (a + n) & MASK16;
    }

    /** Unwraps a 32-bit wire value that lies within 2^31 of {@code reference} (both unwrapped/wire). */
    public static long unwrap32(long referenceUnwrapped, long wire) {
        long delta = (wire - referenceUnwrapped) & MASK32;
        if (delta >= 0x8000_0000L) {
            delta -= 0x1_0000_0000L;
        }
        return referenceUnwrapped + delta;
    }

    /** Unwraps a 16-bit wire value that lies within 2^15 of {@code referenceUnwrapped}. */
    public static long unwrap16(long referenceUnwrapped, int wire) {
        long delta = (wire - referenceUnwrapped) & MASK16;
        if (delta >= 0x8000) {
            delta -= 0x1_0000;
        }
        return referenceUnwrapped + delta;
    }

    /** The wire (32-bit) form of an unwrapped TSN. */
    public static long wrap32(long unwrapped) {
        return unwrapped & MASK32;
    }

    /** The wire (16-bit) form of an unwrapped SSN. */
    public static int wrap16(long unwrapped) {
        return (int) (unwrapped & MASK16);
    }
}
