package dev.purertc.channel.bench;

import dev.purertc.dtls.CryptoBackend;

/** {@code BENCH e2e_throughput_bc}: see {@link E2eThroughput}; DTLS with BouncyCastle's pure-Java crypto. */
public final class E2eThroughputBcBench {
    public static void main(String[] args) throws Exception {
        System.out.printf("BENCH e2e_throughput_bc %.1f MB/s%n", E2eThroughput.measure(CryptoBackend.BOUNCY_CASTLE));
    }

    private E2eThroughputBcBench() {
    }
}
