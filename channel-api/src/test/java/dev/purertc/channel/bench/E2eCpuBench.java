package dev.purertc.channel.bench;

import dev.purertc.dtls.CryptoBackend;

/**
 * {@code BENCH e2e_cpu_ms_per_mb_jca} and {@code _bc}: the {@link E2eThroughput} transfer with each crypto
 * back end, reporting the process's CPU milliseconds per MB received (both peers, all threads) next to
 * the rate, and {@code BENCH e2e_alloc_bytes_per_byte} (JCA) and {@code _bc}: bytes allocated by every
 * thread per byte received. Compare stack changes by this figure when the machine is loaded: the rate then mostly shows
 * how much CPU was left over.
 */
public final class E2eCpuBench {
    public static void main(String[] args) throws Exception {
        for (CryptoBackend backend : CryptoBackend.values()) {
            String suffix = backend == CryptoBackend.JCA ? "jca" : "bc";
            E2eThroughput.Result r = E2eThroughput.measureWithCpu(backend);
            System.out.printf("# %s: %.1f MB/s%n", backend, r.megabytesPerSecond());
            System.out.printf("BENCH e2e_cpu_ms_per_mb_%s %.2f ms/MB%n", suffix, r.cpuMillisPerMegabyte());
            // Issue 14's figure is the default (JCA) back end's; the BC one is printed beside it.
            System.out.printf("BENCH e2e_alloc_bytes_per_byte%s %.2f B/B%n",
                    backend == CryptoBackend.JCA ? "" : "_bc", r.allocatedBytesPerByte());
        }
    }

    private E2eCpuBench() {
    }
}
