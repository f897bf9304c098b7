package dev.purertc.channel.bench;

import dev.purertc.dtls.CryptoBackend;

/** {@code BENCH e2e_throughput_jca}: see {@link E2eThroughput}; DTLS with the JCA back end. */
public final class E2eThroughputJcaBench {
    public static void main(String[] args) throws Exception {
        System.out.printf("BENCH e2e_throughput_jca %.1f MB/s%n", E2eThroughput.measure(CryptoBackend.JCA));
    }

    private E2eThroughputJcaBench() {
    }
}
