package dev.purertc.channel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debug switch: records every SCTP packet a connection receives, after DTLS decryption, exactly as
 * the peer sent it (the bytes of one DTLS application record, RFC 8261). Off unless the system
 * property {@value #PROPERTY} names a directory; it is read when a connection is created, so setting
 * it at run time affects connections created afterwards.
 *
 * <p>Each connection writes {@code <dir>/sctp-in-<pid>-<n>.hex}: one packet per line, lower-case hex,
 * in arrival order, flushed per packet. Meant for capturing fixtures from real peers (see
 * {@code sctp/src/test/resources/packets/browser/README.md}) and for debugging interop; it writes on
 * the socket reader thread, so never leave it on in production.
 */
final class SctpPacketRecorder {

    /** System property: directory to record inbound SCTP packets into (created if missing). */
    static final String PROPERTY = "purertc.debug.recordSctpDir";

    private static final AtomicInteger CONNECTIONS = new AtomicInteger();

    private final Path file;
    private final Writer out;

    private SctpPacketRecorder(Path file) throws IOException {
        this.file = file;
        this.out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
    }

    /** A recorder for a new connection, or null when the switch is off (or the file cannot be created). */
    static SctpPacketRecorder forNewConnection() {
        String dir = System.getProperty(PROPERTY);
        if (dir == null || dir.isBlank()) {
            return null;
        }
        try {
            Path d = Files.createDirectories(Path.of(dir));
            return new SctpPacketRecorder(d.resolve("sctp-in-" + ProcessHandle.current().pid() + "-"
                    + CONNECTIONS.incrementAndGet() + ".hex"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record SCTP packets into " + dir, e);
        }
    }

    Path file() {
        return file;
    }

    /**
     * Appends one packet, the first {@code length} bytes of {@code packet} (any thread; one connection's
     * packets come from one reader thread).
     */
    synchronized void record(byte[] packet, int length) {
        try {
            out.write(HexFormat.of().formatHex(packet, 0, length));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record an SCTP packet to " + file, e);
        }
    }
}
