package dev.purertc.sctp.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SerialNumbersTest {
    @Test
    void comparesAcrossTheWrap() {
        assertTrue(SerialNumbers.lessThan32(0xFFFF_FFFFL, 0));
        assertFalse(SerialNumbers.lessThan32(0, 0xFFFF_FFFFL));
        assertTrue(SerialNumbers.lessThan32(5, 6));
        assertFalse(SerialNumbers.lessThan32(7, 7));
        assertTrue(SerialNumbers.lessOrEqual32(7, 7));
        assertTrue(SerialNumbers.lessThan16(65535, 0));
        assertFalse(SerialNumbers.lessThan16(0, 65535));
        assertEquals(0, SerialNumbers.add16(65535, 1));
        assertEquals(1, SerialNumbers.add32(0xFFFF_FFFFL, 2));
    }

    @Test
    void unwrapsToMonotonicValues() {
        long ref = 0xFFFF_FFF0L;
        assertEquals(0x1_0000_0005L, SerialNumbers.unwrap32(ref, 5));
        assertEquals(0xFFFF_FFE0L, SerialNumbers.unwrap32(ref, 0xFFFF_FFE0L));
        assertEquals(5, SerialNumbers.wrap32(0x1_0000_0005L));
        assertEquals(65536 + 3, SerialNumbers.unwrap16(65530, 3));
        assertEquals(3, SerialNumbers.wrap16(65536 + 3));
    }
}
