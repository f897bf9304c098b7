package dev.purertc.interop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.interop.BrowserKind;
import dev.purertc.interop.BrowserPeer;
import dev.purertc.interop.Browsers;
import dev.purertc.interop.InteropBench;
import dev.purertc.interop.LoopbackNamespace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * PureRTC to headless Chromium (issue 5's benchmark), to compare with {@link BrowserPairBench}:
 * <pre>
 * BENCH interop_chromium_throughput &lt;MB/s&gt; MB/s   (PureRTC sends, Chromium receives; 10^6 bytes/s)
 * BENCH interop_chromium_setup_ms &lt;ms&gt; ms          (median of 5 after one warm-up: PureRTC createDataChannel + createOffer until open on both sides)
 * BENCH interop_chromium_to_purertc_throughput &lt;MB/s&gt; MB/s   (the reverse direction)
 * BENCH chromium_chromium_throughput, chromium_chromium_setup_ms   (the same Chromium to itself, in-page: the reference)
 * </pre>
 * One reliable ordered channel, 64 MiB in 64 KiB binary messages after 4 MiB of warm-up, with
 * back-pressure through {@code bufferedAmount} and the low-threshold event on the sending side
 * (PureRTC: 1 MiB high, 256 KiB low, under its 2 MB SCTP send buffer; the page: 4 MiB / 1 MiB). The transfer time runs from the first send until the receiver reports every
 * byte; the page's receiver then also hashes the bytes (SHA-256, checked), which is inside the time
 * and makes the PureRTC-to-Chromium figure slightly pessimistic. Setup includes the round trips of
 * the test's page driver (each signalling step is an HTTP long-poll exchange with the page), which
 * {@code BrowserPairBench}'s in-page setup does not pay.
 *
 * <p>Argument {@code answers}: also time {@value #SETUP_RUNS} setups with PureRTC answering (stderr only).
 *
 * <p>Started outside a lo-only network namespace it re-runs itself under {@code unshare -n} (root
 * needed). Never fails on speed; exits 1 if the run itself failed (no connection, hash mismatch).
 */
public final class PureRtcChromiumBench {
    private static final long TOTAL_BYTES = 64L << 20;
    private static final int MESSAGE_SIZE = 64 << 10;
    private static final long WARMUP_BYTES = 4L << 20;
    /** The page's sender: as in BrowserPairBench. */
    private static final long HIGH_WATER = 4L << 20;
    private static final long LOW_WATER = 1L << 20;
    /** PureRTC's sender stays under the connection's SCTP send buffer (2 MB by default; a send beyond it throws). */
    private static final long JAVA_HIGH_WATER = 1L << 20;
    private static final long JAVA_LOW_WATER = 256L << 10;
    private static final int SETUP_RUNS = 5;
    private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(180);

    private PureRtcChromiumBench() {
    }

    public static void main(String[] args) throws Exception {
        if (!LoopbackNamespace.isLoopbackOnly()) {
            System.err.println("# PureRtcChromiumBench: re-running inside a fresh lo-only network namespace (unshare -n)");
            System.exit(LoopbackNamespace.runInFreshNamespace(PureRtcChromiumBench.class, args));
        }
        if (!BrowserKind.CHROMIUM.isInstalled()) {
            System.err.println("# chromium: not installed (" + BrowserKind.CHROMIUM.installHint() + "), skipped");
            System.exit(0);
        }
        try (BrowserPeer browser = Browsers.launch(BrowserKind.CHROMIUM);
             PeerConnectionFactory factory = new PeerConnectionFactory()) {
            browser.call("getUserMedia", "audio", true);
            InteropBench bench = new InteropBench(browser, factory);

            double warmup = bench.setupMillis(); // class loading, JIT, ice4j's first agent
            if (List.of(args).contains("answers")) {
                // diagnostics only: the same setup with PureRTC answering (the page offers), breakdown on stderr
                for (int i = 0; i < SETUP_RUNS; i++) {
                    bench.setupMillis(false);
                }
            }
            List<Double> setups = new ArrayList<>();
            for (int i = 0; i < SETUP_RUNS; i++) {
                setups.add(bench.setupMillis());
            }
            Collections.sort(setups);
            double setupMedian = setups.get(SETUP_RUNS / 2);

            try (InteropBench.Pair pair = bench.connect()) {
                pair.javaToBrowser(WARMUP_BYTES, MESSAGE_SIZE, JAVA_HIGH_WATER, JAVA_LOW_WATER, TRANSFER_TIMEOUT);
                double seconds = pair.javaToBrowser(TOTAL_BYTES, MESSAGE_SIZE, JAVA_HIGH_WATER, JAVA_LOW_WATER, TRANSFER_TIMEOUT);
                double reverse = pair.browserToJava(TOTAL_BYTES, MESSAGE_SIZE, HIGH_WATER, LOW_WATER, TRANSFER_TIMEOUT);
                JsonNode transport = pair.browserTransport();
                System.out.printf(Locale.ROOT, "# PureRTC <-> %s, %s %s, setup runs (ms) %s (warm-up %.1f ms)%n",
                        browser.userAgent(), transport.path("tlsVersion").asText(), transport.path("dtlsCipher").asText(),
                        setups, warmup);
                System.out.printf(Locale.ROOT, "BENCH interop_chromium_throughput %.1f MB/s%n", TOTAL_BYTES / seconds / 1e6);
                System.out.printf(Locale.ROOT, "BENCH interop_chromium_setup_ms %.1f ms%n", setupMedian);
                System.out.printf(Locale.ROOT, "BENCH interop_chromium_to_purertc_throughput %.1f MB/s%n", TOTAL_BYTES / reverse / 1e6);
            }
            // The reference, in the same browser and run: two RTCPeerConnections inside the page.
            BrowserPairBench.measure(BrowserKind.CHROMIUM, browser);
        } catch (RuntimeException | AssertionError e) {
            System.err.println("# PureRtcChromiumBench failed: " + e);
            System.exit(1);
        }
        System.exit(0);
    }
}
