package dev.purertc.interop.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.interop.BrowserKind;
import dev.purertc.interop.BrowserPeer;
import dev.purertc.interop.Browsers;
import dev.purertc.interop.InteropBench;
import dev.purertc.interop.LoopbackNamespace;

/**
 * PureRTC with one browser, beside that browser with itself, in one run and one browser process:
 * <pre>
 * BENCH interop_K_throughput               PureRTC sends, the browser receives (MB/s, median)
 * BENCH interop_K_to_purertc_throughput    the browser sends, PureRTC receives (MB/s, median)
 * BENCH K_K_throughput                     two connections inside the browser's page (MB/s, median)
 * BENCH interop_K_ratio                    interop_K_throughput / K_K_throughput
 * BENCH interop_K_to_purertc_ratio         interop_K_to_purertc_throughput / K_K_throughput
 * BENCH interop_K_setup_ms, K_K_setup_ms   createDataChannel + createOffer until open on both sides (median)
 * </pre>
 * ({@code K} is {@code chromium} or {@code firefox}). One reliable ordered channel, 64 MiB in 64 KiB
 * binary messages with back-pressure on the sending side, SHA-256 checked by the receiving page. After
 * a 4 MiB warm-up, {@value #REPETITIONS} rounds each run the three transfers in turn, so all three see
 * the same machine load; the minimum and the median of each go to stderr and stdout. Setup includes the
 * round trips of the test's page driver, which the in-page pair does not pay.
 *
 * <p>Started outside a lo-only network namespace it re-runs itself under {@code unshare -n} (root).
 * Never fails on speed; exits 1 if the run itself failed.
 */
final class PureRtcBrowserBench {
    private static final long TOTAL_BYTES = 64L << 20;
    private static final int MESSAGE_SIZE = 64 << 10;
    private static final long WARMUP_BYTES = 4L << 20;
    private static final long HIGH_WATER = 4L << 20;
    private static final long LOW_WATER = 1L << 20;
    /** PureRTC's sender keeps its channel's bufferedAmount under the 2 MB send buffer. */
    private static final long JAVA_HIGH_WATER = 1L << 20;
    private static final long JAVA_LOW_WATER = 256L << 10;
    private static final int SETUP_RUNS = 5;
    private static final int REPETITIONS = 3;
    private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(180);

    private PureRtcBrowserBench() {
    }

    static void main(BrowserKind kind, Class<?> mainClass, String[] args) throws Exception {
        if (!LoopbackNamespace.isLoopbackOnly()) {
            System.err.println("# " + mainClass.getSimpleName() + ": re-running inside a fresh lo-only network namespace (unshare -n)");
            System.exit(LoopbackNamespace.runInFreshNamespace(mainClass, args));
        }
        if (!kind.isInstalled()) {
            System.err.println("# " + kind.shortName() + ": not installed (" + kind.installHint() + "), skipped");
            System.exit(0);
        }
        String k = kind.shortName();
        try (BrowserPeer browser = Browsers.launch(kind);
             PeerConnectionFactory factory = new PeerConnectionFactory()) {
            if (kind.needsMediaPermissionForLoopback()) {
                browser.call("getUserMedia", "audio", true);
            }
            InteropBench bench = new InteropBench(browser, factory);
            bench.setupMillis(); // class loading, JIT, ice4j's first agent
            List<Double> setups = new ArrayList<>();
            for (int i = 0; i < SETUP_RUNS; i++) {
                setups.add(bench.setupMillis());
            }
            Collections.sort(setups);
            double referenceSetup = BrowserPairBench.pairSetupMedian(browser);

            double[] toBrowser = new double[REPETITIONS];
            double[] toJava = new double[REPETITIONS];
            double[] reference = new double[REPETITIONS];
            try (InteropBench.Pair pair = bench.connect()) {
                pair.javaToBrowser(WARMUP_BYTES, MESSAGE_SIZE, JAVA_HIGH_WATER, JAVA_LOW_WATER, TRANSFER_TIMEOUT);
                pair.browserToJava(WARMUP_BYTES, MESSAGE_SIZE, HIGH_WATER, LOW_WATER, TRANSFER_TIMEOUT);
                for (int r = 0; r < REPETITIONS; r++) {
                    Map<String, Object> before = pair.javaSctpStats();
                    SenderSampler sampler = new SenderSampler(pair::javaSctpStats);
                    toBrowser[r] = TOTAL_BYTES / 1e6
                            / pair.javaToBrowser(TOTAL_BYTES, MESSAGE_SIZE, JAVA_HIGH_WATER, JAVA_LOW_WATER, TRANSFER_TIMEOUT);
                    System.err.println("# purertc_to_" + k + " sender, " + sampler.summary());
                    printSenderStats(k, before, pair.javaSctpStats());
                    toJava[r] = TOTAL_BYTES / 1e6
                            / pair.browserToJava(TOTAL_BYTES, MESSAGE_SIZE, HIGH_WATER, LOW_WATER, TRANSFER_TIMEOUT);
                    reference[r] = BrowserPairBench.pairThroughput(browser);
                }
                JsonNode transport = pair.browserTransport();
                System.err.printf(Locale.ROOT, "# PureRTC <-> %s, %s %s; PureRTC setups (ms) %s%n", browser.userAgent(),
                        transport.path("tlsVersion").asText(), transport.path("dtlsCipher").asText(), setups);
            }
            double toBrowserMedian = report("interop_" + k + "_throughput", toBrowser);
            double toJavaMedian = report("interop_" + k + "_to_purertc_throughput", toJava);
            double referenceMedian = report(k + "_" + k + "_throughput", reference);
            System.out.printf(Locale.ROOT, "BENCH interop_%s_ratio %.2f x%n", k, toBrowserMedian / referenceMedian);
            System.out.printf(Locale.ROOT, "BENCH interop_%s_to_purertc_ratio %.2f x%n", k, toJavaMedian / referenceMedian);
            System.out.printf(Locale.ROOT, "BENCH interop_%s_setup_ms %.1f ms%n", k, setups.get(SETUP_RUNS / 2));
            System.out.printf(Locale.ROOT, "BENCH %s_%s_setup_ms %.1f ms%n", k, k, referenceSetup);
        } catch (RuntimeException | AssertionError e) {
            System.err.println("# " + mainClass.getSimpleName() + " failed: " + e);
            System.exit(1);
        }
        System.exit(0);
    }

    /** What PureRTC's SCTP sender did during one transfer to the browser (stderr). */
    private static void printSenderStats(String k, Map<String, Object> before, Map<String, Object> after) {
        StringBuilder line = new StringBuilder("# purertc_to_" + k + " sender:");
        for (String counter : List.of("retransmittedChunks", "t3Expiries", "fastRecoveries", "lostRetransmissions")) {
            long delta = ((Number) after.getOrDefault(counter, 0L)).longValue() - ((Number) before.getOrDefault(counter, 0L)).longValue();
            line.append(' ').append(counter).append(" +").append(delta);
        }
        for (String state : List.of("congestionWindow", "receiverWindow", "smoothedRoundTripTime")) {
            line.append(' ').append(state).append(' ').append(after.get(state));
        }
        System.err.println(line);
    }

    /** Prints the median (stdout) and the minimum and every value (stderr); returns the median. */
    private static double report(String name, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        System.err.printf(Locale.ROOT, "# %s: min %.1f, median %.1f MB/s over %s%n", name, sorted[0], median,
                Arrays.toString(values));
        System.out.printf(Locale.ROOT, "BENCH %s %.1f MB/s%n", name, median);
        return median;
    }
}
