package dev.purertc.dtls;

import java.util.ArrayList;
import java.util.List;

/**
 * Holds back, on the server side of a DTLS 1.2 handshake, a client ChangeCipherSpec that arrives
 * before the client's CertificateVerify.
 *
 * <p>Why: BouncyCastle's server readies its next read epoch as soon as it has processed the
 * ClientKeyExchange, and switches to it on any ChangeCipherSpec record. Clients that send each
 * handshake record in a datagram of its own (BouncyCastle's does) can lose the CertificateVerify
 * and still deliver the ChangeCipherSpec behind it. The server then reads epoch 1 only, discards
 * every retransmitted CertificateVerify (an epoch-0 record) and waits for it until the handshake
 * times out. RFC 6347 §4.1 lets a receiver discard any record; so this guard cuts a datagram just
 * before a ChangeCipherSpec record until a whole CertificateVerify has been seen, and the client's
 * retransmission of its flight brings the ChangeCipherSpec again, now in order. (An epoch-1
 * Finished behind the cut would have been discarded by BouncyCastle anyway.)
 *
 * <p>The server always asks WebRTC clients for a certificate, so a client flight always has a
 * CertificateVerify before its ChangeCipherSpec. Used only by the handshake thread while the
 * handshake runs, so it needs no locking.
 */
final class EarlyChangeCipherSpecGuard {
    static final int RECORD_HEADER_LENGTH = 13;
    private static final int HANDSHAKE_HEADER_LENGTH = 12;
    private static final int CONTENT_CHANGE_CIPHER_SPEC = 20;
    private static final int CONTENT_HANDSHAKE = 22;
    private static final int HANDSHAKE_CERTIFICATE_VERIFY = 15;
    /** A CertificateVerify is one small message; a peer sending more fragments than this is ignored. */
    private static final int MAX_FRAGMENTS = 64;

    /** Byte ranges [from, to) of the CertificateVerify body seen so far, merged and in order. */
    private final List<long[]> certificateVerifyCoverage = new ArrayList<>();
    private long certificateVerifyLength = -1;
    private boolean certificateVerifySeen;
    private long heldBack;

    /**
     * Returns how many leading bytes of the datagram BouncyCastle may read: all of them, or the
     * records before an early ChangeCipherSpec (possibly 0, meaning drop the datagram).
     */
    int admit(byte[] datagram, int length) {
        int offset = 0;
        while (offset + RECORD_HEADER_LENGTH <= length) {
            int type = datagram[offset] & 0xff;
            int epoch = readUint(datagram, offset + 3, 2);
            int recordLength = readUint(datagram, offset + 11, 2);
            int body = offset + RECORD_HEADER_LENGTH;
            if (body + recordLength > length) {
                break; // a malformed tail: BouncyCastle discards it
            }
            if (epoch == 0 && type == CONTENT_CHANGE_CIPHER_SPEC && !certificateVerifySeen) {
                heldBack++;
                return offset;
            }
            if (epoch == 0 && type == CONTENT_HANDSHAKE) {
                noteHandshakeFragments(datagram, body, body + recordLength);
            }
            offset = body + recordLength;
        }
        return length;
    }

    /** ChangeCipherSpec records held back so far. */
    long heldBack() {
        return heldBack;
    }

    private void noteHandshakeFragments(byte[] data, int from, int to) {
        int at = from;
        while (at + HANDSHAKE_HEADER_LENGTH <= to) {
            int messageType = data[at] & 0xff;
            long messageLength = readUint(data, at + 1, 3);
            long fragmentOffset = readUint(data, at + 6, 3);
            long fragmentLength = readUint(data, at + 9, 3);
            if (at + HANDSHAKE_HEADER_LENGTH + fragmentLength > to) {
                return;
            }
            if (messageType == HANDSHAKE_CERTIFICATE_VERIFY) {
                cover(messageLength, fragmentOffset, fragmentOffset + fragmentLength);
            }
            at += HANDSHAKE_HEADER_LENGTH + (int) fragmentLength;
        }
    }

    private void cover(long messageLength, long from, long to) {
        if (certificateVerifyLength != messageLength) {
            certificateVerifyLength = messageLength; // a new message (or a first one): start over
            certificateVerifyCoverage.clear();
        }
        if (to > messageLength || from > to || certificateVerifyCoverage.size() >= MAX_FRAGMENTS) {
            return;
        }
        certificateVerifyCoverage.add(new long[] {from, to});
        certificateVerifyCoverage.sort((a, b) -> Long.compare(a[0], b[0]));
        long reached = 0;
        for (long[] range : certificateVerifyCoverage) {
            if (range[0] > reached) {
                break;
            }
            reached = Math.max(reached, range[1]);
        }
        certificateVerifySeen = reached >= messageLength;
    }

    private static int readUint(byte[] data, int at, int bytes) {
        int value = 0;
        for (int i = 0; i < bytes; i++) {
            value = (value << 8) | (data[at + i] & 0xff);
        }
        return value;
    }
}
