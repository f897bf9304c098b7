package dev.purertc.channel.bench;

import dev.purertc.dtls.CryptoBackend;

/** {@code BENCH e2e_throughput_jca}: see {@link E2eThroughput}; DTLS with the JCA back end. */
public final class E2eThroughputJcaBench {
    public static void main(String[] args) throws Exception {
        E2eThroughput.print("e2e_throughput_jca", E2eThroughput.rounds(CryptoBackend.JCA));
    }

    private E2eThroughputJcaBench() {
    }
}
