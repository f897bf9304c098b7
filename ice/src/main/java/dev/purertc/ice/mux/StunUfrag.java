package dev.purertc.ice.mux;

import java.nio.charset.StandardCharsets;

/**
 * Reads the local ufrag from a STUN Binding request without decoding the whole message: the part of
 * USERNAME before the colon (RFC 8445 §7.2.2: USERNAME is "receiver-ufrag:sender-ufrag").
 * Bounds-checked; anything that is not a well-formed Binding request with a USERNAME yields {@code null}.
 * The only allocation is the returned string, at most {@link #MAX_UFRAG_BYTES} bytes long.
 */
public final class StunUfrag {

    /** RFC 8445 §5.3: a ufrag is 4 to 256 characters; longer ones are refused here. */
    public static final int MAX_UFRAG_BYTES = 256;

    /** RFC 5389 §6: the fixed magic cookie. */
    private static final int MAGIC_COOKIE = 0x2112A442;
    /** RFC 5389 §6: a Binding request, class request (C1 C0 = 00), method 0x001. */
    private static final int BINDING_REQUEST = 0x0001;
    /** RFC 5389 §15.3. */
    private static final int ATTR_USERNAME = 0x0006;
    private static final int HEADER_BYTES = 20;

    private StunUfrag() {
    }

    /** The local ufrag of a Binding request in {@code data[offset..offset+length)}, or {@code null}. */
    public static String localUfrag(byte[] data, int offset, int length) {
        if (length < HEADER_BYTES || offset < 0 || offset + length > data.length) {
            return null;
        }
        int type = u16(data, offset);
        int messageLength = u16(data, offset + 2);
        if (type != BINDING_REQUEST || u32(data, offset + 4) != MAGIC_COOKIE) {
            return null;
        }
        // RFC 5389 §6: the length excludes the header and is a multiple of 4.
        if ((messageLength & 3) != 0 || HEADER_BYTES + messageLength > length) {
            return null;
        }
        int p = offset + HEADER_BYTES;
        int end = p + messageLength;
        while (p + 4 <= end) {
            int attrType = u16(data, p);
            int attrLength = u16(data, p + 2);
            int value = p + 4;
            if (value + attrLength > end) {
                return null;
            }
            if (attrType == ATTR_USERNAME) {
                int colon = -1;
                for (int i = value; i < value + attrLength; i++) {
                    if (data[i] == ':') {
                        colon = i;
                        break;
                    }
                }
                int ufragLength = (colon < 0 ? attrLength : colon - value);
                if (ufragLength == 0 || ufragLength > MAX_UFRAG_BYTES) {
                    return null;
                }
                return new String(data, value, ufragLength, StandardCharsets.UTF_8);
            }
            // RFC 5389 §15: attribute values are padded to a multiple of 4 bytes.
            p = value + ((attrLength + 3) & ~3);
        }
        return null;
    }

    /** RFC 5389 §6: STUN request class (C1 C0 = 00) with the magic cookie, any method. */
    public static boolean isRequest(byte[] data, int offset, int length) {
        if (length < HEADER_BYTES) {
            return false;
        }
        int type = u16(data, offset);
        return (type & 0xC000) == 0 && (type & 0x0110) == 0 && u32(data, offset + 4) == MAGIC_COOKIE;
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    private static int u32(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }
}
