package dev.purertc.sctp.dcep;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * DATA_CHANNEL_OPEN (RFC 8832 §5.1): Message Type 0x03, Channel Type (8 bits), Priority (16),
 * Reliability Parameter (32), Label Length (16), Protocol Length (16), Label, Protocol (both UTF-8).
 * The reliability parameter is a retransmission count or a lifetime in milliseconds depending on the
 * channel type, and is ignored for reliable channels.
 */
public record DcepOpen(ChannelType channelType, int priority, long reliabilityParameter, String label,
        String protocol) implements DcepMessage {
    /** Bytes before the label. */
    public static final int FIXED_LENGTH = 12;

    public DcepOpen {
        Objects.requireNonNull(channelType, "channelType");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(protocol, "protocol");
        if ((priority & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("priority " + priority + " is not an unsigned 16-bit value");
        }
        if ((reliabilityParameter & ~0xFFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("reliabilityParameter " + reliabilityParameter + " is not unsigned 32-bit");
        }
        if (utf8Length(label) > 0xFFFF || utf8Length(protocol) > 0xFFFF) {
            throw new IllegalArgumentException("label and protocol are limited to 65535 UTF-8 bytes each");
        }
    }

    @Override
    public byte[] toBytes() {
        byte[] labelBytes = label.getBytes(StandardCharsets.UTF_8);
        byte[] protocolBytes = protocol.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(FIXED_LENGTH + labelBytes.length + protocolBytes.length);
        out.put((byte) DATA_CHANNEL_OPEN).put((byte) channelType.code()).putShort((short) priority)
                .putInt((int) reliabilityParameter).putShort((short) labelBytes.length)
                .putShort((short) protocolBytes.length).put(labelBytes).put(protocolBytes);
        return out.array();
    }

    static DcepOpen parse(byte[] payload) throws DcepParseException {
        if (payload.length < FIXED_LENGTH) {
            throw new DcepParseException("DATA_CHANNEL_OPEN of " + payload.length + " bytes is shorter than 12", payload.length);
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        int typeCode = b.get(1) & 0xFF;
        ChannelType channelType = ChannelType.fromCode(typeCode);
        if (channelType == null) {
            throw new DcepParseException("unknown channel type 0x" + Integer.toHexString(typeCode), 1);
        }
        int priority = b.getShort(2) & 0xFFFF;
        long reliability = b.getInt(4) & 0xFFFF_FFFFL;
        int labelLength = b.getShort(8) & 0xFFFF;
        int protocolLength = b.getShort(10) & 0xFFFF;
        if (FIXED_LENGTH + labelLength + protocolLength > payload.length) {
            throw new DcepParseException("label length " + labelLength + " and protocol length " + protocolLength
                    + " exceed the " + (payload.length - FIXED_LENGTH) + " bytes after the header", 8);
        }
        String label = decode(b, FIXED_LENGTH, labelLength, "label");
        String protocol = decode(b, FIXED_LENGTH + labelLength, protocolLength, "protocol");
        return new DcepOpen(channelType, priority, reliability, label, protocol);
    }

    private static String decode(ByteBuffer b, int offset, int length, String what) throws DcepParseException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(b.slice(offset, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new DcepParseException(what + " is not valid UTF-8", offset);
        }
    }

    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
