package dev.purertc.sctp.packet;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;

/** Builds random but valid packets covering every chunk, parameter and error cause type. */
final class RandomPackets {
    private final Random random;

    RandomPackets(Random random) {
        this.random = random;
    }

    SctpPacket packet() {
        int n = random.nextInt(4);
        List<Chunk> chunks = new ArrayList<>(n);
        for (int i = 0; i < n + 1; i++) {
            chunks.add(chunk(random.nextInt(16)));
        }
        return new SctpPacket(u16(), u16(), u32(), chunks);
    }

    /** A chunk of the kind numbered 0..15 (one per Chunk record). */
    Chunk chunk(int kind) {
        return switch (kind) {
            case 0 -> new DataChunk(u32(), u16(), u16(), u32(), random.nextBoolean(), random.nextBoolean(),
                    random.nextBoolean(), random.nextBoolean(), bytes(random.nextInt(8) == 0 ? 1200 : 40));
            case 1 -> new InitChunk(u32(), u32(), u16(), u16(), u32(), parameters());
            case 2 -> new InitAckChunk(u32(), u32(), u16(), u16(), u32(), parameters());
            case 3 -> new SackChunk(u32(), u32(), gaps(), longs());
            case 4 -> new HeartbeatRequestChunk(parameters());
            case 5 -> new HeartbeatAckChunk(parameters());
            case 6 -> new AbortChunk(random.nextBoolean(), causes());
            case 7 -> new ShutdownChunk(u32());
            case 8 -> new ShutdownAckChunk();
            case 9 -> new ShutdownCompleteChunk(random.nextBoolean());
            case 10 -> new ErrorChunk(causes());
            case 11 -> new CookieEchoChunk(bytes(64));
            case 12 -> new CookieAckChunk();
            case 13 -> new ForwardTsnChunk(u32(), skipped());
            case 14 -> new ReConfigChunk(parameters());
            default -> new UnknownChunk(unknownChunkType(), random.nextInt(256), bytes(30));
        };
    }

    /** A parameter of the kind numbered 0..13 (one per Parameter record). */
    Parameter parameter(int kind) {
        return switch (kind) {
            case 0 -> new StateCookieParameter(bytes(50));
            case 1 -> new HeartbeatInfoParameter(bytes(20));
            case 2 -> new SupportedExtensionsParameter(ints(256, 6));
            case 3 -> new ForwardTsnSupportedParameter();
            case 4 -> new ZeroChecksumAcceptableParameter(u32());
            case 5 -> new UnrecognizedParameter(bytes(12));
            case 6 -> new CookiePreservativeParameter(u32());
            case 7 -> new OutgoingSsnResetRequestParameter(u32(), u32(), u32(), ints(65536, 5));
            case 8 -> new IncomingSsnResetRequestParameter(u32(), ints(65536, 5));
            case 9 -> new SsnTsnResetRequestParameter(u32());
            case 10 -> random.nextBoolean()
                    ? new ReconfigurationResponseParameter(u32(), result())
                    : new ReconfigurationResponseParameter(u32(), result(), OptionalLong.of(u32()), OptionalLong.of(u32()));
            case 11 -> new AddOutgoingStreamsRequestParameter(u32(), u16());
            case 12 -> new AddIncomingStreamsRequestParameter(u32(), u16());
            default -> new UnknownParameter(unknownParameterType(), bytes(10));
        };
    }

    /** An error cause of the kind numbered 0..13 (one per ErrorCause record). */
    ErrorCause cause(int kind) {
        return switch (kind) {
            case 0 -> new InvalidStreamIdentifierCause(u16());
            case 1 -> new MissingMandatoryParameterCause(ints(65536, 4));
            case 2 -> new StaleCookieCause(u32());
            case 3 -> new OutOfResourceCause();
            case 4 -> new UnresolvableAddressCause(bytes(12));
            case 5 -> new UnrecognizedChunkTypeCause(bytes(12));
            case 6 -> new InvalidMandatoryParameterCause();
            case 7 -> new UnrecognizedParametersCause(bytes(12));
            case 8 -> new NoUserDataCause(u32());
            case 9 -> new CookieReceivedWhileShuttingDownCause();
            case 10 -> new RestartWithNewAddressesCause(bytes(12));
            case 11 -> new UserInitiatedAbortCause(bytes(12));
            case 12 -> new ProtocolViolationCause(bytes(12));
            default -> new UnknownCause(14 + random.nextInt(65536 - 14), bytes(9));
        };
    }

    private List<Parameter> parameters() {
        int n = random.nextInt(4);
        List<Parameter> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(parameter(random.nextInt(14)));
        }
        return list;
    }

    private List<ErrorCause> causes() {
        int n = random.nextInt(3);
        List<ErrorCause> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(cause(random.nextInt(14)));
        }
        return list;
    }

    private List<SackChunk.GapAckBlock> gaps() {
        int n = random.nextInt(5);
        List<SackChunk.GapAckBlock> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(new SackChunk.GapAckBlock(u16(), u16()));
        }
        return list;
    }

    private List<ForwardTsnChunk.SkippedStream> skipped() {
        int n = random.nextInt(5);
        List<ForwardTsnChunk.SkippedStream> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(new ForwardTsnChunk.SkippedStream(u16(), u16()));
        }
        return list;
    }

    private List<Long> longs() {
        int n = random.nextInt(4);
        List<Long> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(u32());
        }
        return list;
    }

    private List<Integer> ints(int bound, int maxCount) {
        int n = random.nextInt(maxCount + 1);
        List<Integer> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(random.nextInt(bound));
        }
        return list;
    }

    private ReconfigurationResponseParameter.Result result() {
        ReconfigurationResponseParameter.Result[] all = ReconfigurationResponseParameter.Result.values();
        return all[random.nextInt(all.length)];
    }

    private int unknownChunkType() {
        while (true) {
            int type = random.nextInt(256);
            if (type > 14 && type != ChunkType.RE_CONFIG && type != ChunkType.FORWARD_TSN) {
                return type;
            }
        }
    }

    private int unknownParameterType() {
        while (true) {
            int type = random.nextInt(65536);
            boolean known = type == 1 || type == 7 || type == 8 || type == 9 || (type >= 13 && type <= 18)
                    || type == 0x8001 || type == 0x8008 || type == 0xC000;
            if (!known) {
                return type;
            }
        }
    }

    private byte[] bytes(int maxLength) {
        byte[] b = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(b);
        return b;
    }

    private int u16() {
        return random.nextInt(65536);
    }

    private long u32() {
        return random.nextLong() & 0xFFFF_FFFFL;
    }
}
