package dev.purertc.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.ice.HostAddressFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTransferTest {

    @Test
    void fiveMebibytesArriveWithProgressConfirmedByTheReceiver(@TempDir Path dir) throws Exception {
        byte[] content = new byte[5 * 1024 * 1024 + 123];
        new Random(42).nextBytes(content);
        Path source = Files.write(dir.resolve("source.bin"), content);
        Path destination = dir.resolve("destination.bin");
        List<Long> progress = new CopyOnWriteArrayList<>();
        RtcConfiguration loopback = RtcConfiguration.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly()).build();
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            FileTransfer.Result r = FileTransfer.transfer(factory, loopback, source, destination, progress::add);
            String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            assertEquals(new FileTransfer.Result(content.length, expected), r);
        }
        assertArrayEquals(content, Files.readAllBytes(destination));
        // The receiver confirms each MiB it holds (16 whole 64 KiB messages), then the total at the end:
        // progress never runs ahead of what arrived.
        assertEquals(List.of(1L << 20, 2L << 20, 3L << 20, 4L << 20, 5L << 20, (long) content.length), List.copyOf(progress));
    }
}
