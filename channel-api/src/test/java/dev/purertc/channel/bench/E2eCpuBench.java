package dev.purertc.channel.bench;

import dev.purertc.dtls.CryptoBackend;

/**
 * {@code BENCH e2e_cpu_ms_per_mb_jca} and {@code _bc}: the {@link E2eThroughput} transfer with each crypto
 * back end, reporting the process's CPU milliseconds per MB received (both peers, all threads) next to
 * the rate. Compare stack changes by this figure when the machine is loaded: the rate then mostly shows
 * how much CPU was left over.
 */
public final class E2eCpuBench {
    public static void main(String[] args) throws Exception {
        for (CryptoBackend backend : CryptoBackend.values()) {
            String suffix = backend == CryptoBackend.JCA ? "jca" : "bc";
            E2eThroughput.Result r = E2eThroughput.measureWithCpu(backend);
            System.out.printf("# %s: %.1f MB/s%n", backend, r.megabytesPerSecond());
            System.out.printf("BENCH e2e_cpu_ms_per_mb_%s %.2f ms/MB%n", suffix, r.cpuMillisPerMegabyte());
        }
    }

    private E2eCpuBench() {
    }
}
