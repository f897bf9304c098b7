package dev.purertc.interop;

import dev.purertc.sctp.packet.Chunk;
import dev.purertc.sctp.packet.DataChunk;
import dev.purertc.sctp.packet.InitAckChunk;
import dev.purertc.sctp.packet.InitChunk;
import dev.purertc.sctp.packet.ReConfigChunk;
import dev.purertc.sctp.packet.SackChunk;
import dev.purertc.sctp.packet.SctpPacket;
import dev.purertc.sctp.packet.SctpPacketException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Records the SCTP packets PureRTC receives on the connections one test creates (channel-api's debug
 * switch {@code purertc.debug.recordSctpDir}, read when a connection is created) and summarises them
 * for a failure message: the peer's handshake chunks, its SACKs (what it received of ours) and its
 * RE-CONFIG answers (whether it performed our stream reset). A lost message then shows whether the
 * peer's SCTP acknowledged it.
 *
 * <p>Only connections created between {@link #start} and {@link #stopRecordingNewConnections} are
 * recorded; test classes run one after another in the fork, so no other test's connection is.
 */
final class InboundSctpLog {
    static final String PROPERTY = "purertc.debug.recordSctpDir";
    /** A failure message shows at most this many packets, the last ones. */
    private static final int MAX_LINES = 80;

    private final Path dir;

    private InboundSctpLog(Path dir) {
        this.dir = dir;
    }

    /** Records every connection created from now on into a fresh directory under the browser log directory. */
    static InboundSctpLog start(String name) {
        Path base = Path.of(System.getProperty("purertc.interop.logDir",
                Path.of(System.getProperty("java.io.tmpdir"), "purertc-browser-logs").toString()));
        try {
            Files.createDirectories(base);
            Path dir = Files.createTempDirectory(base, "sctp-in-" + name + "-");
            System.setProperty(PROPERTY, dir.toString());
            return new InboundSctpLog(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connections created from now on are not recorded; those recorded go on recording until closed. */
    void stopRecordingNewConnections() {
        System.clearProperty(PROPERTY);
    }

    /** One line per received packet (the last {@value #MAX_LINES}), per connection file. */
    String summary() {
        StringBuilder sb = new StringBuilder("\n--- SCTP packets PureRTC received (").append(dir).append("):");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                sb.append("\n  ").append(f.getFileName()).append(", ").append(lines.size()).append(" packets");
                for (int i = Math.max(0, lines.size() - MAX_LINES); i < lines.size(); i++) {
                    sb.append("\n  ").append(i).append(' ').append(describe(lines.get(i)));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            sb.append(" not readable: ").append(e);
        }
        return sb.toString();
    }

    static String describe(String hexLine) {
        SctpPacket p;
        try {
            p = SctpPacket.parse(ByteBuffer.wrap(HexFormat.of().parseHex(hexLine.strip())), true);
        } catch (SctpPacketException | IllegalArgumentException e) {
            return "unparsable: " + e.getMessage();
        }
        StringBuilder sb = new StringBuilder("vtag=").append(Long.toHexString(p.verificationTag()));
        for (Chunk c : p.chunks()) {
            sb.append(" | ");
            if (c instanceof DataChunk d) {
                sb.append("DATA tsn=").append(d.tsn()).append(" sid=").append(d.streamId()).append(" ssn=")
                        .append(d.ssn()).append(" ppid=").append(d.ppid());
            } else if (c instanceof SackChunk s) {
                sb.append("SACK cum=").append(s.cumulativeTsnAck()).append(" gaps=").append(s.gapAckBlocks().size());
            } else if (c instanceof InitChunk i) {
                sb.append("INIT tag=").append(Long.toHexString(i.initiateTag())).append(" tsn=").append(i.initialTsn());
            } else if (c instanceof InitAckChunk i) {
                sb.append("INIT_ACK tag=").append(Long.toHexString(i.initiateTag())).append(" tsn=").append(i.initialTsn());
            } else if (c instanceof ReConfigChunk r) {
                sb.append("RE-CONFIG ").append(r.parameters());
            } else {
                sb.append(c.getClass().getSimpleName());
            }
        }
        return sb.toString();
    }
}
