package dev.purertc.sctp.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UnrecognizedActionTest {

    @Test
    void chunkTypeHighBitsSelectTheAction() {
        assertEquals(UnrecognizedAction.STOP, UnknownChunk.actionFor(0x0f)); // AUTH: 00
        assertEquals(UnrecognizedAction.STOP_AND_REPORT, UnknownChunk.actionFor(0x40)); // I-DATA: 01
        assertEquals(UnrecognizedAction.SKIP, UnknownChunk.actionFor(0x84)); // PAD: 10
        assertEquals(UnrecognizedAction.SKIP_AND_REPORT, UnknownChunk.actionFor(0xc1)); // ASCONF: 11
    }

    @Test
    void parameterTypeHighBitsSelectTheAction() {
        assertEquals(UnrecognizedAction.STOP, UnknownParameter.actionFor(0x0005));
        assertEquals(UnrecognizedAction.STOP_AND_REPORT, UnknownParameter.actionFor(0x4001));
        assertEquals(UnrecognizedAction.SKIP, UnknownParameter.actionFor(0x8000)); // ECN Capable
        assertEquals(UnrecognizedAction.SKIP_AND_REPORT, UnknownParameter.actionFor(0xc004)); // Adaptation Layer
    }

    @Test
    void actionsSayWhetherToSkipAndReport() {
        assertFalse(UnrecognizedAction.STOP.skip());
        assertFalse(UnrecognizedAction.STOP.report());
        assertFalse(UnrecognizedAction.STOP_AND_REPORT.skip());
        assertTrue(UnrecognizedAction.STOP_AND_REPORT.report());
        assertTrue(UnrecognizedAction.SKIP.skip());
        assertFalse(UnrecognizedAction.SKIP.report());
        assertTrue(UnrecognizedAction.SKIP_AND_REPORT.skip());
        assertTrue(UnrecognizedAction.SKIP_AND_REPORT.report());
    }
}
