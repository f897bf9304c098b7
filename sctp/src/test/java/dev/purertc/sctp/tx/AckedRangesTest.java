package dev.purertc.sctp.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AckedRangesTest {
    private static String dump(AckedRanges r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < r.count(); i++) {
            sb.append(i == 0 ? "" : " ").append(r.start(i)).append('-').append(r.end(i));
        }
        return sb.toString();
    }

    @Test
    void disjointRangesStaySortedAndTouchingOnesMerge() {
        AckedRanges r = new AckedRanges();
        r.add(20, 25);
        r.add(5, 7);
        r.add(10, 12);
        assertEquals("5-7 10-12 20-25", dump(r));
        r.add(13, 14); // touches 10-12
        assertEquals("5-7 10-14 20-25", dump(r));
        r.add(6, 21); // swallows all but the ends
        assertEquals("5-25", dump(r));
    }

    @Test
    void removeThroughDropsAndTrimsRanges() {
        AckedRanges r = new AckedRanges();
        r.add(5, 7);
        r.add(10, 12);
        r.add(20, 25);
        r.removeThrough(11);
        assertEquals("12-12 20-25", dump(r));
        r.removeThrough(12);
        assertEquals("20-25", dump(r));
        r.removeThrough(30);
        assertEquals("", dump(r));
    }

    @Test
    void growsBeyondItsFirstCapacity() {
        AckedRanges r = new AckedRanges();
        for (int i = 40; i >= 0; i--) {
            r.add(3L * i, 3L * i + 1);
        }
        assertEquals(41, r.count());
        assertEquals(0, r.start(0));
        assertEquals(121, r.end(40));
        assertEquals(40, r.firstEndingAtOrAbove(120));
        assertEquals(41, r.firstEndingAtOrAbove(122));
    }
}
