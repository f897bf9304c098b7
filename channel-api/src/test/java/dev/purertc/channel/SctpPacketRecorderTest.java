package dev.purertc.channel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The debug switch that records inbound SCTP packets (used to capture browser fixtures). */
class SctpPacketRecorderTest {

    @Test
    void offUnlessThePropertyNamesADirectory() {
        assertNull(System.getProperty(SctpPacketRecorder.PROPERTY));
        assertNull(SctpPacketRecorder.forNewConnection());
    }

    @Test
    void everyRecordQueuedForTheLoopIsWrittenAsOneHexLineInArrivalOrder(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("capture");
        System.setProperty(SctpPacketRecorder.PROPERTY, target.toString());
        InboundBatch batch;
        try {
            batch = new InboundBatch(new RecordPool());
        } finally {
            System.clearProperty(SctpPacketRecorder.PROPERTY);
        }
        assertEquals(true, batch.add(new byte[] {0x13, (byte) 0x88, 0x13, (byte) 0x88}, 0, 4));
        assertEquals(false, batch.add(new byte[] {9, 0, 1, (byte) 0xfe, (byte) 0xff}, 1, 4));
        assertEquals(2, batch.take().size());
        List<Path> files;
        try (Stream<Path> s = Files.list(target)) {
            files = s.toList();
        }
        assertEquals(1, files.size());
        assertEquals(List.of("13881388", "0001feff"), Files.readAllLines(files.get(0)));
        String name = files.get(0).getFileName().toString();
        assertEquals(true, name.startsWith("sctp-in-" + ProcessHandle.current().pid() + "-") && name.endsWith(".hex"), name);
    }
}
