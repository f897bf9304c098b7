package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;

/** Cookie Received While Shutting Down (RFC 9260 §3.3.10.10): no information. */
public record CookieReceivedWhileShuttingDownCause() implements ErrorCause {
    public static final int CODE = ErrorCauseCode.COOKIE_RECEIVED_WHILE_SHUTTING_DOWN;

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int length() {
        return HEADER_LENGTH;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.putShort((short) CODE).putShort((short) HEADER_LENGTH);
    }

    static CookieReceivedWhileShuttingDownCause parse(ByteBuffer b, int start, int end) throws SctpPacketException {
        if (end - start != HEADER_LENGTH) {
            throw new SctpPacketException("CookieReceivedWhileShuttingDownCause cause length " + (end - start) + ", expected " + HEADER_LENGTH, start);
        }
        return new CookieReceivedWhileShuttingDownCause();
    }
}
