package dev.purertc.sctp.association;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The state cookie we put in INIT ACK (RFC 9260 §5.1.3): everything needed to build the TCB when
 * the COOKIE ECHO returns, so an INIT costs us no state. Signed with HMAC-SHA256 under a per-association
 * random secret; the creation time (our injected clock, nanoseconds) bounds its lifetime (§5.1.5).
 *
 * @param localTag the Initiate Tag we sent in INIT ACK (our verification tag)
 * @param peerTag the peer's Initiate Tag from its INIT
 * @param localInitialTsn our initial TSN
 * @param peerInitialTsn the peer's initial TSN
 * @param peerReceiveWindow the peer's a_rwnd
 * @param peerOutboundStreams and {@code peerInboundStreams}: the peer's stream counts
 * @param localTieTag and {@code peerTieTag}: our tags of an existing association (§5.2.2), else 0
 * @param createdAt when the cookie was made (nanos)
 * @param peerSupportsForwardTsn RFC 3758 negotiated
 * @param peerSupportsReconfig RFC 6525 negotiated
 * @param peerZeroChecksumMethod RFC 9653 method the peer advertised, 0 if none
 */
public record StateCookie(long localTag, long peerTag, long localInitialTsn, long peerInitialTsn,
        long peerReceiveWindow, int peerOutboundStreams, int peerInboundStreams, long localTieTag, long peerTieTag,
        long createdAt, boolean peerSupportsForwardTsn, boolean peerSupportsReconfig, long peerZeroChecksumMethod) {

    private static final int MAGIC = 0x50524331; // "PRC1"
    private static final int BODY_LENGTH = 4 + 8 * 5 + 2 + 2 + 8 + 8 + 8 + 1 + 8;
    private static final int MAC_LENGTH = 32;
    public static final int ENCODED_LENGTH = BODY_LENGTH + MAC_LENGTH;

    /** Serializes and signs the cookie. */
    public byte[] sign(byte[] secret) {
        ByteBuffer b = ByteBuffer.allocate(ENCODED_LENGTH);
        b.putInt(MAGIC).putLong(localTag).putLong(peerTag).putLong(localInitialTsn).putLong(peerInitialTsn)
                .putLong(peerReceiveWindow).putShort((short) peerOutboundStreams).putShort((short) peerInboundStreams)
                .putLong(localTieTag).putLong(peerTieTag).putLong(createdAt)
                .put((byte) ((peerSupportsForwardTsn ? 1 : 0) | (peerSupportsReconfig ? 2 : 0)))
                .putLong(peerZeroChecksumMethod);
        b.put(mac(secret, b.array(), BODY_LENGTH));
        return b.array();
    }

    /** Verifies and parses a cookie; null when its length, format or signature is wrong. */
    public static StateCookie verify(byte[] secret, byte[] cookie) {
        if (cookie.length != ENCODED_LENGTH) {
            return null;
        }
        byte[] expected = mac(secret, cookie, BODY_LENGTH);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(cookie, BODY_LENGTH, ENCODED_LENGTH))) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(cookie);
        if (b.getInt() != MAGIC) {
            return null;
        }
        long localTag = b.getLong();
        long peerTag = b.getLong();
        long localInitialTsn = b.getLong();
        long peerInitialTsn = b.getLong();
        long peerRwnd = b.getLong();
        int os = b.getShort() & 0xFFFF;
        int is = b.getShort() & 0xFFFF;
        long localTie = b.getLong();
        long peerTie = b.getLong();
        long created = b.getLong();
        int flags = b.get();
        long zc = b.getLong();
        return new StateCookie(localTag, peerTag, localInitialTsn, peerInitialTsn, peerRwnd, os, is, localTie, peerTie,
                created, (flags & 1) != 0, (flags & 2) != 0, zc);
    }

    private static byte[] mac(byte[] secret, byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(data, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
