package dev.purertc.channel.bench;

import dev.purertc.dtls.CryptoBackend;

/** {@code BENCH e2e_throughput_bc}: see {@link E2eThroughput}; DTLS with BouncyCastle's pure-Java crypto. */
public final class E2eThroughputBcBench {
    public static void main(String[] args) throws Exception {
        E2eThroughput.print("e2e_throughput_bc", E2eThroughput.rounds(CryptoBackend.BOUNCY_CASTLE));
    }

    private E2eThroughputBcBench() {
    }
}
