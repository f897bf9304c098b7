package dev.purertc.interop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purertc.interop.BrowserKind;
import dev.purertc.interop.BrowserPeer;
import dev.purertc.interop.Browsers;
import dev.purertc.interop.LoopbackNamespace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The browser-to-browser reference of issue 5: two RTCPeerConnections in one page of one browser,
 * one reliable ordered data channel, 64 MiB sent as 64 KiB binary messages with back-pressure
 * (send while bufferedAmount is under 4 MiB, then wait for bufferedamountlow at 1 MiB). It does the
 * work of a PureRTC transfer: random data made and hashed before the clock starts, and the clock stops
 * once the receiver has every byte and its SHA-256 matches. Prints
 * <pre>
 * BENCH chromium_chromium_throughput &lt;MB/s&gt; MB/s     (10^6 bytes per second, receiver has every byte, hashed)
 * BENCH chromium_chromium_setup_ms &lt;ms&gt; ms           (createDataChannel + createOffer until open on both sides)
 * </pre>
 * and the same for {@code firefox_firefox_*} and {@code werift_werift_*} (werift in node, see
 * {@link BrowserKind#WERIFT}). One warm-up pair (4 MiB) runs first in each page;
 * the setup figure is the median of {@value #SETUP_RUNS} fresh pairs (64 KiB each), the throughput
 * figure that of one 64 MiB pair. Signalling is direct inside the page (trickle), as the other browser benchmarks do.
 * Arguments: peer names ({@code chromium}, {@code firefox}, {@code werift}); none = every installed one.
 *
 * <p>Browsers must run in a lo-only network namespace; started outside one (the root
 * {@code ./bench} runs {@code java -cp ... MAIN}), this main re-executes itself under
 * {@code unshare -n} (root needed) and exits with the child's status. Never fails on speed.
 */
public final class BrowserPairBench {
    private static final long TOTAL_BYTES = 64L << 20;
    private static final int MESSAGE_SIZE = 64 << 10;
    private static final long HIGH_WATER = 4L << 20;
    private static final long LOW_WATER = 1L << 20;
    private static final long WARMUP_BYTES = 4L << 20;
    private static final int SETUP_RUNS = 5;
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(180);

    private BrowserPairBench() {
    }

    public static void main(String[] args) throws Exception {
        if (!LoopbackNamespace.isLoopbackOnly()) {
            System.err.println("# BrowserPairBench: re-running inside a fresh lo-only network namespace (unshare -n)");
            System.exit(LoopbackNamespace.runInFreshNamespace(BrowserPairBench.class, args));
        }
        List<BrowserKind> kinds = new ArrayList<>();
        if (args.length == 0) {
            kinds.addAll(List.of(BrowserKind.values()));
        } else {
            for (String a : args) {
                kinds.add(BrowserKind.valueOf(a.toUpperCase(Locale.ROOT)));
            }
        }
        int failures = 0;
        for (BrowserKind kind : kinds) {
            if (!kind.isInstalled()) {
                System.err.println("# " + kind.shortName() + ": not installed (" + kind.installHint() + "), skipped");
                continue;
            }
            try {
                run(kind);
            } catch (RuntimeException e) {
                failures++;
                System.err.println("# " + kind.shortName() + ": benchmark failed: " + e);
            }
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    private static void run(BrowserKind kind) {
        try (BrowserPeer browser = Browsers.launch(kind)) {
            if (kind.needsMediaPermissionForLoopback()) {
                browser.call("getUserMedia", "audio", true);
            }
            measure(kind, browser);
        }
    }

    /**
     * The in-page pair of {@code browser} (already launched, with its media permission if it needs one):
     * prints its throughput and setup figures. PureRtcChromiumBench calls it on its own Chromium so both
     * comparisons come from one run.
     */
    static void measure(BrowserKind kind, BrowserPeer browser) {
        {
            JsonNode warmup = benchPair(browser, WARMUP_BYTES);
            double[] setups = new double[SETUP_RUNS];
            for (int i = 0; i < SETUP_RUNS; i++) {
                setups[i] = benchPair(browser, MESSAGE_SIZE).get("setupMs").asDouble();
            }
            Arrays.sort(setups);
            double setupMedian = setups[SETUP_RUNS / 2];
            JsonNode r = benchPair(browser, TOTAL_BYTES);
            long received = r.get("bytesReceived").asLong();
            if (received != TOTAL_BYTES) {
                throw new IllegalStateException("receiver got " + received + " bytes, expected " + TOTAL_BYTES);
            }
            double transferMs = r.get("transferMs").asDouble();
            double mbPerSecond = received / 1e6 / (transferMs / 1000.0);
            String pair = kind.shortName() + "_" + kind.shortName();
            System.out.printf(Locale.ROOT, "BENCH %s_throughput %.1f MB/s%n", pair, mbPerSecond);
            System.out.printf(Locale.ROOT, "BENCH %s_setup_ms %.1f ms%n", pair, setupMedian);
            System.err.printf(Locale.ROOT, "# %s: %s; %d messages of %d B in %.0f ms, %d bufferedamountlow waits; "
                            + "setups %s ms (warm-up %.1f ms); transport %s%n",
                    pair, browser.userAgent(), r.get("messages").asLong(), MESSAGE_SIZE, transferMs,
                    r.get("bufferedAmountLowEvents").asLong(), Arrays.stream(setups).mapToObj(v -> String.format(Locale.ROOT, "%.1f", v)).toList(), warmup.get("setupMs").asDouble(),
                    r.get("transport"));
        }
    }

    /** One in-page pair moving 64 MiB: the receiver's MB/s (10^6 bytes per second). */
    static double pairThroughput(BrowserPeer browser) {
        JsonNode r = benchPair(browser, TOTAL_BYTES);
        long received = r.get("bytesReceived").asLong();
        if (received != TOTAL_BYTES) {
            throw new IllegalStateException("receiver got " + received + " bytes, expected " + TOTAL_BYTES);
        }
        return received / 1e6 / (r.get("transferMs").asDouble() / 1000.0);
    }

    /** The median setup time of {@value #SETUP_RUNS} in-page pairs, after one warm-up pair. */
    static double pairSetupMedian(BrowserPeer browser) {
        benchPair(browser, WARMUP_BYTES);
        double[] setups = new double[SETUP_RUNS];
        for (int i = 0; i < SETUP_RUNS; i++) {
            setups[i] = benchPair(browser, MESSAGE_SIZE).get("setupMs").asDouble();
        }
        Arrays.sort(setups);
        return setups[SETUP_RUNS / 2];
    }

    static JsonNode benchPair(BrowserPeer browser, long totalBytes) {
        var args = browser.args();
        args.put("totalBytes", totalBytes);
        args.put("messageSize", MESSAGE_SIZE);
        args.put("highWater", HIGH_WATER);
        args.put("lowWater", LOW_WATER);
        args.put("timeoutMs", RUN_TIMEOUT.toMillis());
        return browser.call("benchPair", args, RUN_TIMEOUT.plusSeconds(10));
    }
}
