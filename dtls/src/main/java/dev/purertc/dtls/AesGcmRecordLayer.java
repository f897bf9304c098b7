package dev.purertc.dtls;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * DTLS 1.2 records of the connection's AES-GCM epoch (RFC 6347 §4.1, RFC 5288 §3), sealed and opened
 * straight through the JDK's {@link Cipher} once BouncyCastle's handshake is done ({@link CryptoBackend#JCA}
 * only). BouncyCastle's record layer allocates a receive buffer per call and a record array per send,
 * copies each record twice more and asks the cipher for sizes it could know; here a record is sealed into
 * the caller's datagram buffer and opened into a buffer the transport reuses. BouncyCastle still
 * handles every other record: handshake retransmissions, alerts, other epochs.
 *
 * <p>Record: type (1), version (2), epoch (2), sequence number (6), length (2), then the 8-byte explicit
 * nonce, the ciphertext and the 16-byte tag. The nonce is the 4-byte implicit salt of the key block
 * followed by the explicit nonce, which is the record's epoch and sequence number; the additional data
 * is epoch and sequence number, type, version and the plaintext length (RFC 5246 §6.2.3.3).
 *
 * <p>Sequence numbers: this layer's first write is {@value #SEQUENCE_GAP} above BouncyCastle's last,
 * so a record BouncyCastle still sends in this epoch (a retransmitted Finished, an alert) never reuses
 * one of ours. Sealing and opening are each single-threaded: the caller serializes each direction.
 */
final class AesGcmRecordLayer {
    static final int HEADER_LENGTH = 13;
    static final int EXPLICIT_NONCE_LENGTH = 8;
    static final int TAG_LENGTH = 16;
    /** Explicit nonce and tag: what a record adds to its plaintext besides the header. */
    static final int EXPANSION = EXPLICIT_NONCE_LENGTH + TAG_LENGTH;
    static final int CONTENT_ALERT = 21;
    static final int CONTENT_APPLICATION_DATA = 23;
    static final int DTLS_1_2 = 0xFEFD;
    /** Sequence numbers left to BouncyCastle in this epoch after the handshake. */
    static final long SEQUENCE_GAP = 1L << 16;
    static final long MAX_SEQUENCE = (1L << 48) - 1;

    private final int epoch;
    private final SecretKeySpec writeKey;
    private final SecretKeySpec readKey;
    private final Cipher sealer;
    private final Cipher opener;
    private final byte[] writeNonce = new byte[12];
    private final byte[] readNonce = new byte[12];
    private final byte[] writeAad = new byte[13];
    private final byte[] readAad = new byte[13];
    private final ReplayWindow replay = new ReplayWindow();
    private long nextWriteSequence;

    /**
     * @param writeSalt, readSalt the 4-byte implicit nonces of each direction (client_write_IV, server_write_IV)
     * @param lastWriteSequence the sequence number of BouncyCastle's last record in this epoch
     */
    AesGcmRecordLayer(int epoch, byte[] writeKey, byte[] writeSalt, byte[] readKey, byte[] readSalt,
                      long lastWriteSequence) throws GeneralSecurityException {
        if (writeSalt.length != 4 || readSalt.length != 4) {
            throw new IllegalArgumentException("AES-GCM implicit nonces are 4 bytes");
        }
        this.epoch = epoch;
        this.writeKey = new SecretKeySpec(writeKey, "AES");
        this.readKey = new SecretKeySpec(readKey, "AES");
        this.sealer = Cipher.getInstance("AES/GCM/NoPadding");
        this.opener = Cipher.getInstance("AES/GCM/NoPadding");
        System.arraycopy(writeSalt, 0, writeNonce, 0, 4);
        System.arraycopy(readSalt, 0, readNonce, 0, 4);
        this.nextWriteSequence = lastWriteSequence + SEQUENCE_GAP;
    }

    /**
     * The layer for the epoch whose ciphers BouncyCastle's handshake created on the capturing thread
     * ({@link TlsCryptos#captureGcmCiphers()}), or null when they are not exactly one AES-GCM cipher per
     * direction that each protected a record of one epoch: BouncyCastle's record layer then stays.
     */
    static AesGcmRecordLayer fromHandshake(List<TlsCryptos.JdkGcmCipher> ciphers) throws GeneralSecurityException {
        if (ciphers.size() != 2) {
            return null;
        }
        TlsCryptos.JdkGcmCipher write = ciphers.get(0).isEncrypting() ? ciphers.get(0) : ciphers.get(1);
        TlsCryptos.JdkGcmCipher read = write == ciphers.get(0) ? ciphers.get(1) : ciphers.get(0);
        byte[] writeNonce = write.lastNonce();
        byte[] readNonce = read.lastNonce();
        byte[] writeKey = write.keyBytes();
        byte[] readKey = read.keyBytes();
        if (!write.isEncrypting() || read.isEncrypting() || writeNonce == null || readNonce == null
                || writeKey == null || readKey == null || writeNonce.length != 12 || readNonce.length != 12) {
            return null;
        }
        long writeEpochAndSequence = getLong(writeNonce, 4);
        long readEpochAndSequence = getLong(readNonce, 4);
        int epoch = (int) (writeEpochAndSequence >>> 48);
        if (epoch != (int) (readEpochAndSequence >>> 48) || epoch == 0) {
            return null;
        }
        return new AesGcmRecordLayer(epoch, writeKey, Arrays.copyOf(writeNonce, 4), readKey,
                Arrays.copyOf(readNonce, 4), writeEpochAndSequence & MAX_SEQUENCE);
    }

    int epoch() {
        return epoch;
    }

    /** The next sequence number {@link #seal} uses. */
    long nextWriteSequence() {
        return nextWriteSequence;
    }

    /**
     * Seals {@code length} bytes as one record of {@code contentType} into {@code out} from index 0.
     * @return the record's length: {@value #HEADER_LENGTH} + {@value #EXPANSION} + length
     * @throws IllegalStateException when the epoch's sequence numbers are used up (2^48 records)
     */
    int seal(int contentType, byte[] in, int offset, int length, byte[] out) {
        long sequence = nextWriteSequence;
        if (sequence > MAX_SEQUENCE) {
            throw new IllegalStateException("DTLS sequence numbers of epoch " + epoch + " exhausted");
        }
        nextWriteSequence = sequence + 1;
        long epochAndSequence = ((long) epoch << 48) | sequence;
        int fragment = EXPANSION + length;
        out[0] = (byte) contentType;
        out[1] = (byte) (DTLS_1_2 >>> 8);
        out[2] = (byte) DTLS_1_2;
        putLong(out, 3, epochAndSequence);
        out[11] = (byte) (fragment >>> 8);
        out[12] = (byte) fragment;
        putLong(out, HEADER_LENGTH, epochAndSequence); // the explicit nonce
        putLong(writeNonce, 4, epochAndSequence);
        additionalData(writeAad, epochAndSequence, contentType, length);
        try {
            sealer.init(Cipher.ENCRYPT_MODE, writeKey, new GCMParameterSpec(TAG_LENGTH * 8, writeNonce));
            sealer.updateAAD(writeAad);
            int written = sealer.doFinal(in, offset, length, out, HEADER_LENGTH + EXPLICIT_NONCE_LENGTH);
            return HEADER_LENGTH + EXPLICIT_NONCE_LENGTH + written;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed: " + e.getMessage(), e);
        }
    }

    /** True when the record at {@code offset} is an application-data record of this layer's epoch. */
    boolean isOurs(byte[] datagram, int offset) {
        return (datagram[offset] & 0xFF) == CONTENT_APPLICATION_DATA
                && (((datagram[offset + 3] & 0xFF) << 8) | (datagram[offset + 4] & 0xFF)) == epoch;
    }

    /**
     * Opens one record of this epoch ({@code recordLength} bytes including its header) into {@code out}
     * from index 0, which must hold the plaintext ({@code recordLength} - {@value #HEADER_LENGTH} -
     * {@value #EXPANSION} bytes).
     * @return the plaintext's length, or -1 for a record to drop silently (RFC 6347 §4.1.2.7): a replay,
     *         a wrong version or length, or one that does not authenticate
     */
    int open(byte[] datagram, int offset, int recordLength, byte[] out) {
        int fragment = recordLength - HEADER_LENGTH;
        int plaintextLength = fragment - EXPANSION;
        if (plaintextLength < 0
                || (((datagram[offset + 1] & 0xFF) << 8) | (datagram[offset + 2] & 0xFF)) != DTLS_1_2) {
            return -1;
        }
        long epochAndSequence = getLong(datagram, offset + 3);
        long sequence = epochAndSequence & MAX_SEQUENCE;
        if (!replay.isFresh(sequence)) {
            return -1;
        }
        System.arraycopy(datagram, offset + HEADER_LENGTH, readNonce, 4, EXPLICIT_NONCE_LENGTH);
        additionalData(readAad, epochAndSequence, datagram[offset] & 0xFF, plaintextLength);
        try {
            opener.init(Cipher.DECRYPT_MODE, readKey, new GCMParameterSpec(TAG_LENGTH * 8, readNonce));
            opener.updateAAD(readAad);
            opener.doFinal(datagram, offset + HEADER_LENGTH + EXPLICIT_NONCE_LENGTH, fragment - EXPLICIT_NONCE_LENGTH,
                    out, 0);
        } catch (AEADBadTagException e) {
            return -1;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM opening failed: " + e.getMessage(), e);
        }
        replay.mark(sequence);
        return plaintextLength;
    }

    /** The length of the record at {@code offset}, header included, or -1 when the datagram cuts it short. */
    static int recordLength(byte[] datagram, int offset, int end) {
        if (end - offset < HEADER_LENGTH) {
            return -1;
        }
        int length = HEADER_LENGTH + (((datagram[offset + 11] & 0xFF) << 8) | (datagram[offset + 12] & 0xFF));
        return length <= end - offset ? length : -1;
    }

    private static void additionalData(byte[] aad, long epochAndSequence, int contentType, int plaintextLength) {
        putLong(aad, 0, epochAndSequence);
        aad[8] = (byte) contentType;
        aad[9] = (byte) (DTLS_1_2 >>> 8);
        aad[10] = (byte) DTLS_1_2;
        aad[11] = (byte) (plaintextLength >>> 8);
        aad[12] = (byte) plaintextLength;
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }

    @Override
    public String toString() {
        return "AesGcmRecordLayer[epoch " + epoch + ", next write " + nextWriteSequence + "]";
    }
}
