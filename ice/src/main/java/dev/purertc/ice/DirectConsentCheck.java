package dev.purertc.ice;

import static dev.purertc.ice.DirectConsentAnswer.BINDING_REQUEST;
import static dev.purertc.ice.DirectConsentAnswer.BINDING_SUCCESS;
import static dev.purertc.ice.DirectConsentAnswer.FINGERPRINT;
import static dev.purertc.ice.DirectConsentAnswer.HEADER;
import static dev.purertc.ice.DirectConsentAnswer.ICE_CONTROLLED;
import static dev.purertc.ice.DirectConsentAnswer.ICE_CONTROLLING;
import static dev.purertc.ice.DirectConsentAnswer.INTEGRITY_LENGTH;
import static dev.purertc.ice.DirectConsentAnswer.MAGIC_COOKIE;
import static dev.purertc.ice.DirectConsentAnswer.MESSAGE_INTEGRITY;
import static dev.purertc.ice.DirectConsentAnswer.PRIORITY;
import static dev.purertc.ice.DirectConsentAnswer.USERNAME;
import static dev.purertc.ice.DirectConsentAnswer.put16;
import static dev.purertc.ice.DirectConsentAnswer.put32;
import static dev.purertc.ice.DirectConsentAnswer.u16;
import static dev.purertc.ice.DirectConsentAnswer.u32;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The sending side of RFC 7675 consent without ice4j: the Binding request of a consent check, built here with
 * the attributes of an RFC 8445 §7.2.2 check (USERNAME {@code <remote ufrag>:<local ufrag>}, PRIORITY,
 * ICE-CONTROLLING or ICE-CONTROLLED with the tie-breaker, MESSAGE-INTEGRITY with the remote password,
 * FINGERPRINT), and the test that a message is its authenticated success response (same transaction id,
 * MESSAGE-INTEGRITY with the same password, FINGERPRINT if present).
 *
 * <p>ice4j sends the same request through a client transaction: a transaction object, a retransmission task
 * on its timer and a hand-off to its pools for every check and every response, which for thousands of
 * connections that only keep consent was most of the idle CPU (issue 11). {@link RoutedPairConsent} uses this
 * class where the host candidate's packets pass through PureRTC's own reader (the UDP mux, the shared reader),
 * and retransmits from its own timer.
 */
final class DirectConsentCheck {

    /** RFC 5389 §6: the transaction id is 96 bits. */
    static final int TRANSACTION_ID_LENGTH = 12;

    private DirectConsentCheck() {
    }

    /**
     * The Binding request of a consent check.
     *
     * @param transactionId 12 random bytes
     * @param username      {@code <remote ufrag>:<local ufrag>}
     * @param key           the remote password (UTF-8), which signs the request (RFC 8445 §7.2.2)
     * @param priority      the peer-reflexive priority of the local candidate (RFC 8445 §7.1.1)
     * @param controlling   whether to send ICE-CONTROLLING (else ICE-CONTROLLED)
     * @param tieBreaker    the agent's tie-breaker
     */
    static byte[] request(byte[] transactionId, String username, byte[] key, long priority, boolean controlling,
                          long tieBreaker) {
        if (transactionId.length != TRANSACTION_ID_LENGTH) {
            throw new IllegalArgumentException("a STUN transaction id is 12 bytes, got " + transactionId.length);
        }
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        if (user.length > 513) {
            throw new IllegalArgumentException("USERNAME is at most 513 bytes (RFC 5389 §15.3), got " + user.length);
        }
        int userPadded = (user.length + 3) & ~3;
        int total = HEADER + (4 + userPadded) + (4 + 4) + (4 + 8) + (4 + INTEGRITY_LENGTH) + (4 + 4);
        byte[] out = new byte[total];
        put16(out, 0, BINDING_REQUEST);
        put16(out, 2, total - HEADER);
        put32(out, 4, MAGIC_COOKIE);
        System.arraycopy(transactionId, 0, out, 8, TRANSACTION_ID_LENGTH);
        int at = HEADER;
        put16(out, at, USERNAME);
        put16(out, at + 2, user.length);
        System.arraycopy(user, 0, out, at + 4, user.length);   // padding stays zero
        at += 4 + userPadded;
        put16(out, at, PRIORITY);
        put16(out, at + 2, 4);
        put32(out, at + 4, (int) priority);
        at += 8;
        put16(out, at, controlling ? ICE_CONTROLLING : ICE_CONTROLLED);
        put16(out, at + 2, 8);
        put32(out, at + 4, (int) (tieBreaker >>> 32));
        put32(out, at + 8, (int) tieBreaker);
        at += 12;
        put16(out, at, MESSAGE_INTEGRITY);
        put16(out, at + 2, INTEGRITY_LENGTH);
        System.arraycopy(DirectConsentAnswer.integrity(out, at, key), 0, out, at + 4, INTEGRITY_LENGTH);
        at += 4 + INTEGRITY_LENGTH;
        put16(out, at, FINGERPRINT);
        put16(out, at + 2, 4);
        put32(out, at + 4, DirectConsentAnswer.fingerprint(out, at));
        return out;
    }

    /** Whether {@code message} is a STUN Binding success response, from its header alone. */
    static boolean isBindingSuccess(byte[] message) {
        return message.length >= HEADER && u16(message, 0) == BINDING_SUCCESS && u32(message, 4) == MAGIC_COOKIE;
    }

    /**
     * Whether {@code message} is the success response to the request with {@code transactionId}: a well-formed
     * Binding success response with that id, whose MESSAGE-INTEGRITY verifies with {@code key} (the remote
     * password) and whose FINGERPRINT, if present after it, matches. Attributes before MESSAGE-INTEGRITY are
     * not interpreted (XOR-MAPPED-ADDRESS tells nothing consent needs).
     */
    static boolean answers(byte[] message, byte[] transactionId, byte[] key) {
        int length = message.length;
        if (!isBindingSuccess(message) || u16(message, 2) != length - HEADER || (length & 3) != 0
                || !Arrays.equals(message, 8, 8 + TRANSACTION_ID_LENGTH, transactionId, 0, TRANSACTION_ID_LENGTH)) {
            return false;
        }
        int integrity = -1;
        int at = HEADER;
        while (at + 4 <= length) {
            int type = u16(message, at);
            int next = at + 4 + ((u16(message, at + 2) + 3) & ~3);
            if (next > length) {
                return false;
            }
            if (integrity >= 0) {
                // RFC 5389 §15.5: FINGERPRINT, if present, is last and covers the message before it
                if (type != FINGERPRINT || next != length || u16(message, at + 2) != 4
                        || u32(message, at + 4) != DirectConsentAnswer.fingerprint(message, at)) {
                    return false;
                }
            } else if (type == MESSAGE_INTEGRITY) {
                if (u16(message, at + 2) != INTEGRITY_LENGTH) {
                    return false;
                }
                integrity = at;
            }
            at = next;
        }
        return at == length && integrity >= 0 && MessageDigest.isEqual(
                DirectConsentAnswer.integrity(message, integrity, key),
                Arrays.copyOfRange(message, integrity + 4, integrity + 4 + INTEGRITY_LENGTH));
    }
}
