package dev.purertc.sctp.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties over many seeded inputs: valid packets round-trip exactly, and random or mutated bytes
 * either parse (and then re-encode stably) or raise SctpPacketException, never another exception.
 * Set -Dsctp.fuzz.seed=N to replay a failure; the seed is printed and part of every failure message.
 */
class PacketPropertyTest {
    private static final long SEED = Long.getLong("sctp.fuzz.seed", 0x5C7B_2026L);

    @Test
    void everyRandomValidPacketRoundTrips() throws SctpPacketException {
        Random random = new Random(SEED);
        RandomPackets packets = new RandomPackets(random);
        System.out.println("PacketPropertyTest.everyRandomValidPacketRoundTrips seed=" + SEED);
        for (int i = 0; i < 5_000; i++) {
            SctpPacket packet = packets.packet();
            byte[] bytes = packet.toBytes();
            assertEquals(packet.encodedLength(), bytes.length, "seed " + SEED + " iteration " + i);
            assertEquals(packet, SctpPacket.parse(ByteBuffer.wrap(bytes)), "seed " + SEED + " iteration " + i);
        }
    }

    @Test
    void everyChunkParameterAndCauseKindRoundTrips() throws SctpPacketException {
        RandomPackets packets = new RandomPackets(new Random(SEED));
        for (int kind = 0; kind < 16; kind++) {
            for (int i = 0; i < 50; i++) {
                Chunk chunk = packets.chunk(kind);
                SctpPacket packet = new SctpPacket(5000, 5000, 1, List.of(chunk));
                assertEquals(packet, SctpPacket.parse(ByteBuffer.wrap(packet.toBytes())), "chunk kind " + kind);
            }
        }
        for (int kind = 0; kind < 14; kind++) {
            for (int i = 0; i < 50; i++) {
                Parameter parameter = packets.parameter(kind);
                SctpPacket packet = new SctpPacket(5000, 5000, 1, List.of(new ReConfigChunk(List.of(parameter))));
                assertEquals(packet, SctpPacket.parse(ByteBuffer.wrap(packet.toBytes())), "parameter kind " + kind);
                ErrorCause cause = packets.cause(kind);
                packet = new SctpPacket(5000, 5000, 1, List.of(new ErrorChunk(List.of(cause))));
                assertEquals(packet, SctpPacket.parse(ByteBuffer.wrap(packet.toBytes())), "cause kind " + kind);
            }
        }
    }

    @Test
    void randomAndMutatedBytesOnlyEverRaiseSctpPacketException() {
        Random random = new Random(SEED);
        RandomPackets packets = new RandomPackets(random);
        System.out.println("PacketPropertyTest.randomAndMutatedBytesOnlyEverRaiseSctpPacketException seed=" + SEED);
        List<byte[]> corpus = new ArrayList<>();
        for (String name : List.of("pion-chrome-init.hex", "pion-chrome-init-ack.hex", "pion-cookie-echo-data-dcep.hex",
                "pion-sack.hex", "pion-reconfig-outgoing-reset.hex", "dcsctp-init-capture.hex",
                "dcsctp-cookie-ack-sack.hex")) {
            corpus.add(Hex.fixture(name));
        }
        for (int i = 0; i < 200; i++) {
            corpus.add(packets.packet().toBytes());
        }
        int parsed = 0;
        int rejected = 0;
        final int iterations = 30_000;
        for (int i = 0; i < iterations; i++) {
            byte[] input = i % 10 == 0 ? randomBytes(random) : mutate(corpus.get(random.nextInt(corpus.size())), random);
            // Mostly fix the checksum so the mutation reaches the chunk parsers.
            if (input.length >= 12 && random.nextInt(8) != 0) {
                ByteBuffer b = ByteBuffer.wrap(input);
                Crc32c.store(b, 8, Crc32c.packetChecksum(b, 0, input.length));
            }
            try {
                SctpPacket packet = SctpPacket.parse(ByteBuffer.wrap(input), random.nextBoolean());
                parsed++;
                SctpPacket again = SctpPacket.parse(ByteBuffer.wrap(packet.toBytes()));
                if (!packet.equals(again)) {
                    fail("seed " + SEED + " iteration " + i + ": re-encoding changed " + Hex.of(input));
                }
            } catch (SctpPacketException expected) {
                rejected++;
            } catch (RuntimeException | Error e) {
                throw new AssertionError("seed " + SEED + " iteration " + i + " input " + Hex.of(input), e);
            }
        }
        System.out.println("PacketPropertyTest: " + parsed + " parsed, " + rejected + " rejected of " + iterations);
        assertEquals(iterations, parsed + rejected);
        // Both outcomes must be exercised, or the mutations are not reaching the parsers.
        if (parsed < iterations / 20 || rejected < iterations / 20) {
            fail("seed " + SEED + ": unbalanced outcomes, parsed " + parsed + ", rejected " + rejected);
        }
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(80)];
        random.nextBytes(b);
        return b;
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] b = original.clone();
        switch (random.nextInt(6)) {
            case 0 -> { // flip a few random bytes
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> { // overwrite a 16-bit length-like field at a 2-byte boundary past the header
                if (b.length > 14) {
                    int at = 12 + 2 * random.nextInt((b.length - 13) / 2);
                    int value = random.nextBoolean() ? random.nextInt(65536) : random.nextInt(32);
                    b[at] = (byte) (value >>> 8);
                    b[at + 1] = (byte) value;
                }
            }
            case 2 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length + 1)); // truncate
            case 3 -> { // append random bytes
                byte[] tail = new byte[1 + random.nextInt(12)];
                random.nextBytes(tail);
                byte[] longer = java.util.Arrays.copyOf(b, b.length + tail.length);
                System.arraycopy(tail, 0, longer, b.length, tail.length);
                b = longer;
            }
            case 4 -> { // change a chunk type byte to any value
                if (b.length > 12) {
                    b[12] = (byte) random.nextInt(256);
                }
            }
            default -> { // shift the rest of the packet by dropping one byte
                if (b.length > 13) {
                    int at = 12 + random.nextInt(b.length - 12);
                    byte[] shorter = new byte[b.length - 1];
                    System.arraycopy(b, 0, shorter, 0, at);
                    System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
                    b = shorter;
                }
            }
        }
        return b;
    }
}
