package dev.purertc.dtls.bench;

import java.lang.management.ManagementFactory;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the JDK's AES-GCM allocates per DTLS record, the floor under {@code e2e_alloc_bytes_per_byte}
 * (issue 14's target is 2) for any record layer built on {@code javax.crypto}: every record needs its own
 * nonce, so a {@link Cipher#init} per record, and SunJCE builds a new GCM engine (GHASH tables, counter
 * blocks, an AAD buffer) on each one. {@code AesGcmRecordLayer} seals and opens exactly this way.
 *
 * <p>Per record of {@value #PAYLOAD} bytes (the SCTP packet size PureRTC uses on a 1200-byte path), after
 * {@value #WARM_UP} warm-up records: bytes allocated by this thread per seal and per open (init, AAD,
 * doFinal into caller-owned arrays), minimum and median over {@value #ROUNDS} rounds of {@value #RECORDS}.
 * Beside them, in the same run, a copy of the payload into a new array (the reference: 1 byte per byte
 * and its array header). Prints {@code BENCH jca_gcm_seal_alloc_bytes_per_record},
 * {@code BENCH jca_gcm_open_alloc_bytes_per_record}, {@code BENCH jca_gcm_alloc_bytes_per_byte} (seal and
 * open together, per payload byte) and {@code BENCH jca_gcm_copy_alloc_bytes_per_record}.
 */
public final class JcaGcmAllocBench {
    private static final int PAYLOAD = 1148;
    private static final int TAG_BITS = 128;
    private static final int WARM_UP = 200_000;
    private static final int RECORDS = 100_000;
    private static final int ROUNDS = 5;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
    private final Cipher sealer;
    private final Cipher opener;
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[13];
    private final byte[] plaintext = new byte[PAYLOAD];
    private final byte[] record = new byte[PAYLOAD + TAG_BITS / 8];
    private final byte[] opened = new byte[PAYLOAD];
    private long sequence;
    /** Keeps the copies reachable so the JIT cannot remove them. */
    private byte[] lastCopy;

    private JcaGcmAllocBench() throws GeneralSecurityException {
        sealer = Cipher.getInstance("AES/GCM/NoPadding");
        opener = Cipher.getInstance("AES/GCM/NoPadding");
    }

    public static void main(String[] args) throws Exception {
        JcaGcmAllocBench bench = new JcaGcmAllocBench();
        bench.run(WARM_UP);
        double[] seal = new double[ROUNDS];
        double[] open = new double[ROUNDS];
        double[] copy = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            double[] perRecord = bench.run(RECORDS);
            seal[r] = perRecord[0];
            open[r] = perRecord[1];
            copy[r] = perRecord[2];
            System.out.printf("# round %d: seal %.0f B, open %.0f B, copy %.0f B per %d-byte record%n", r + 1,
                    seal[r], open[r], copy[r], PAYLOAD);
        }
        System.out.printf("# %s %s; min/median over %d rounds%n", System.getProperty("java.vm.name"),
                System.getProperty("java.version"), ROUNDS);
        System.out.printf("BENCH jca_gcm_seal_alloc_bytes_per_record %.0f B (min %.0f)%n", median(seal), min(seal));
        System.out.printf("BENCH jca_gcm_open_alloc_bytes_per_record %.0f B (min %.0f)%n", median(open), min(open));
        System.out.printf("BENCH jca_gcm_alloc_bytes_per_byte %.2f B/B%n", (median(seal) + median(open)) / PAYLOAD);
        System.out.printf("BENCH jca_gcm_copy_alloc_bytes_per_record %.0f B (min %.0f)%n", median(copy), min(copy));
        if (bench.lastCopy.length != PAYLOAD) {
            throw new AssertionError("copy length " + bench.lastCopy.length);
        }
    }

    /** Seals, opens and copies {@code n} records; returns the bytes allocated per record by each. */
    private double[] run(int n) throws GeneralSecurityException {
        long id = Thread.currentThread().getId();
        long sealed = 0;
        long openedBytes = 0;
        long start = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < n; i++) {
            nextNonce();
            sealer.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            sealer.updateAAD(aad);
            sealed += sealer.doFinal(plaintext, 0, PAYLOAD, record, 0);
        }
        long afterSeal = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < n; i++) {
            // The record sealed last under this nonce: opening it authenticates (a wrong tag would throw).
            opener.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            opener.updateAAD(aad);
            openedBytes += opener.doFinal(record, 0, record.length, opened, 0);
        }
        long afterOpen = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < n; i++) {
            lastCopy = Arrays.copyOf(opened, PAYLOAD);
        }
        long afterCopy = threads.getThreadAllocatedBytes(id);
        if (sealed != (long) n * record.length || openedBytes != (long) n * PAYLOAD) {
            throw new AssertionError("sealed " + sealed + ", opened " + openedBytes);
        }
        return new double[] {(afterSeal - start) / (double) n, (afterOpen - afterSeal) / (double) n,
                (afterCopy - afterOpen) / (double) n};
    }

    private void nextNonce() {
        sequence++;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (sequence >>> (56 - 8 * i));
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }
}
