package dev.purertc.sdp.bench;

import dev.purertc.sdp.SdpParseException;
import dev.purertc.sdp.SessionDescription;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Parses and writes back the captured Chromium data-channel offer
 * ({@code fixtures/chromium-datachannel-offer.sdp}). Prints
 * {@code BENCH sdp_parse_write_chrome_offer <ns/op> ns}; never fails on speed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SdpParseWriteBench {
    private static final String FIXTURE = "/fixtures/chromium-datachannel-offer.sdp";

    /** Used only when the fixture is not on the class path; same shape as a Chromium 156 offer. */
    private static final String INLINE_CHROME_OFFER = "v=0\r\n"
            + "o=- 1665727017755411052 2 IN IP4 127.0.0.1\r\n"
            + "s=-\r\n"
            + "t=0 0\r\n"
            + "a=group:BUNDLE 0\r\n"
            + "a=extmap-allow-mixed\r\n"
            + "a=msid-semantic: WMS\r\n"
            + "m=application 44318 UDP/DTLS/SCTP webrtc-datachannel\r\n"
            + "c=IN IP4 127.0.0.1\r\n"
            + "a=candidate:3447327320 1 udp 2122260223 127.0.0.1 44318 typ host generation 0 network-id 1 network-cost 50\r\n"
            + "a=candidate:3015043264 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0 network-id 1 network-cost 50\r\n"
            + "a=ice-ufrag:UXoK\r\n"
            + "a=ice-pwd:tAN/KKQ+DbGJMLryjzB+WdlL\r\n"
            + "a=ice-options:trickle\r\n"
            + "a=fingerprint:sha-256 78:12:7C:E3:04:11:51:E0:E5:98:73:98:5F:80:6D:41:A6:E8:14:81:17:0D:AF:8A:13:21:BC:84:5F:67:89:A6\r\n"
            + "a=setup:actpass\r\n"
            + "a=mid:0\r\n"
            + "a=sctp-port:5000\r\n"
            + "a=max-message-size:262144\r\n";

    private String offer;

    @Setup
    public void load() throws IOException, SdpParseException {
        offer = loadOffer();
        if (!SessionDescription.parse(offer).toSdp().equals(offer)) {
            throw new IllegalStateException("offer does not round-trip");
        }
    }

    static String loadOffer() throws IOException {
        try (InputStream in = SdpParseWriteBench.class.getResourceAsStream(FIXTURE)) {
            if (in == null) {
                System.err.println("# fixture " + FIXTURE + " not found: using the inline Chromium offer");
                return INLINE_CHROME_OFFER;
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Benchmark
    public String parseAndWrite() throws SdpParseException {
        return SessionDescription.parse(offer).toSdp();
    }

    public static void main(String[] args) throws RunnerException, IOException {
        loadOffer();
        Options options = new OptionsBuilder()
                .include(SdpParseWriteBench.class.getName() + ".parseAndWrite")
                .forks(1)
                .warmupIterations(4)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(2))
                .threads(1)
                .verbosity(VerboseMode.SILENT)
                .build();
        for (RunResult result : new Runner(options).run()) {
            double nsPerOp = result.getPrimaryResult().getScore();
            System.out.printf(java.util.Locale.ROOT, "BENCH sdp_parse_write_chrome_offer %.1f ns%n", nsPerOp);
        }
    }
}
