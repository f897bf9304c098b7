package dev.purertc.channel.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.dtls.DtlsCertificate;
import dev.purertc.dtls.DtlsOptions;
import dev.purertc.dtls.bench.DtlsMemBench;
import dev.purertc.ice.bench.IceConnectBench;

/**
 * {@code BENCH e2e_setup_ms}: from {@code createOffer} to the channel being open on both sides, two Java
 * peers over 127.0.0.1 with trickle ICE at Ta = 5 ms (RFC 8445's minimum), measured after 100 connections
 * in the same JVM, when the JIT has compiled the handshake code: what a running server sees.
 * {@code BENCH e2e_setup_first50_ms} is the median of the first 50 connections of the fresh JVM
 * (interpreted and half-compiled code, so mostly a JIT figure), printed so the steady-state figure is
 * never read without it. Certificates and ICE agents are made when each connection is created, before
 * the clock starts, as a browser does in the RTCPeerConnection constructor; that time is printed as a
 * comment.
 *
 * <p>Its references come from the same JVM and run, measured by the ice and dtls modules' own benchmark
 * code (their test-jars): {@code ice_connect_ms_ta5} ({@link IceConnectBench}: two loopback agents, checks
 * to connected at Ta = 5 ms) and {@code dtls_handshake_ms_jca} ({@link DtlsMemBench}: a handshake of the
 * default crypto back end with the datagrams passed in memory). The steady-state measurement is
 * {@value #ROUNDS} rounds, each {@value #MEASURED} connections then {@value #ICE_RUNS} ICE connections then
 * {@value #DTLS_RUNS} in-memory handshakes, so load drifts on a shared machine hit figure and reference
 * alike. Printed: the medians over all rounds, {@code e2e_setup_ratio_to_ice_plus_dtls} (the e2e median over
 * the sum of the two reference medians), and per round the same ratio (min and median), and where in the
 * setup the time goes (median instant of each step seen through the public API, and how long each
 * signaling call took, see {@link SetupSteps}).
 */
public final class E2eSetupBench {

    private static final int MEASURED = 50;
    /** Connections between the cold sample and the steady-state one. */
    private static final int WARM_UP = 100;
    private static final int ROUNDS = 3;
    private static final int ICE_WARM_UP = 3;
    private static final int ICE_RUNS = 20;
    private static final int DTLS_WARM_UP = 20;
    private static final int DTLS_RUNS = 50;
    private static final Duration TA = Duration.ofMillis(5);

    public static void main(String[] args) throws Exception {
        RtcConfiguration config = BenchPair.loopback().icePacing(TA).build();
        DtlsOptions dtlsReference = DtlsOptions.defaults();
        DtlsCertificate clientCert = DtlsCertificate.generate();
        DtlsCertificate serverCert = DtlsCertificate.generate();

        double[] steady = new double[ROUNDS * MEASURED];
        double[] construct = new double[ROUNDS * MEASURED];
        double[][] steps = new double[SetupSteps.NAMES.length][ROUNDS * MEASURED];
        double[][] calls = new double[SetupSteps.SIGNALING_CALLS.length][ROUNDS * MEASURED];
        double[] ice = new double[ROUNDS * ICE_RUNS];
        double[] dtls = new double[ROUNDS * DTLS_RUNS];
        double[] roundRatios = new double[ROUNDS];
        double[] cold = new double[MEASURED];
        double first;
        try (PeerConnectionFactory factory = new PeerConnectionFactory()) {
            for (int i = 0; i < MEASURED; i++) {
                cold[i] = connect(factory, config, null, null);
            }
            first = cold[0];
            for (int i = 0; i < WARM_UP; i++) {
                connect(factory, config, null, null);
            }
            for (int round = 0; round < ROUNDS; round++) {
                double[] e2eRound = new double[MEASURED];
                for (int i = 0; i < MEASURED; i++) {
                    double[] constructed = new double[1];
                    double[][] offsets = new double[2][];
                    e2eRound[i] = connect(factory, config, constructed, offsets);
                    int at = round * MEASURED + i;
                    steady[at] = e2eRound[i];
                    construct[at] = constructed[0];
                    for (int s = 0; s < offsets[0].length; s++) {
                        steps[s][at] = offsets[0][s];
                    }
                    for (int s = 0; s < offsets[1].length; s++) {
                        calls[s][at] = offsets[1][s];
                    }
                }
                List<Double> iceRound = IceConnectBench.connectSamples(TA, ICE_WARM_UP, ICE_RUNS);
                for (int i = 0; i < ICE_RUNS; i++) {
                    ice[round * ICE_RUNS + i] = iceRound.get(i);
                }
                double[] dtlsRound = DtlsMemBench.handshakeSamples(clientCert, serverCert, dtlsReference,
                        DTLS_WARM_UP, DTLS_RUNS);
                System.arraycopy(dtlsRound, 0, dtls, round * DTLS_RUNS, DTLS_RUNS);
                roundRatios[round] = median(e2eRound) / (median(iceRound.stream().mapToDouble(d -> d).toArray())
                        + median(dtlsRound));
            }
        }
        double e2e = median(steady);
        double iceMedian = median(ice);
        double dtlsMedian = median(dtls);
        double[] sorted = steady.clone();
        Arrays.sort(sorted);
        double[] ratios = roundRatios.clone();
        Arrays.sort(ratios);
        System.out.printf("# first connection of the JVM: %.1f ms%n", first);
        System.out.printf("# constructing both connections (certificates, ICE agents), before the clock: median %.1f ms%n",
                median(construct));
        System.out.printf("# steady state, %d rounds of %d connections after %d: min %.1f ms, median %.1f ms, max %.1f ms%n",
                ROUNDS, MEASURED, MEASURED + WARM_UP, sorted[0], e2e, sorted[sorted.length - 1]);
        for (int s = 0; s < SetupSteps.NAMES.length; s++) {
            System.out.printf("#   step, steady state: %-28s median %.1f ms after createOffer%n", SetupSteps.NAMES[s],
                    median(steps[s]));
        }
        for (int s = 0; s < SetupSteps.SIGNALING_CALLS.length; s++) {
            System.out.printf("#     signaling call: %-46s median %.2f ms%n", SetupSteps.SIGNALING_CALLS[s],
                    median(calls[s]));
        }
        System.out.printf("# references in the same run and JVM, %d rounds interleaved with the connections: "
                        + "ICE min %.2f ms, in-memory DTLS handshake (%s) min %.2f ms%n",
                ROUNDS, min(ice), dtlsReference.cryptoBackend(), min(dtls));
        System.out.printf("# ratio per round (e2e median / (ICE median + DTLS median)): min %.2f, median %.2f, max %.2f%n",
                ratios[0], ratios[ROUNDS / 2], ratios[ROUNDS - 1]);
        System.out.printf("BENCH e2e_setup_ms %.1f ms%n", e2e);
        System.out.printf("BENCH e2e_setup_first50_ms %.1f ms%n", median(cold));
        System.out.printf("BENCH ice_connect_ms_ta5 %.2f ms%n", iceMedian);
        System.out.printf("BENCH dtls_handshake_ms_%s %.2f ms%n", dtlsReference.cryptoBackend().name().toLowerCase(java.util.Locale.ROOT),
                dtlsMedian);
        System.out.printf("BENCH e2e_setup_ratio_to_ice_plus_dtls %.2f x%n", e2e / (iceMedian + dtlsMedian));
    }

    /**
     * One connection: returns milliseconds from {@code createOffer} to open on both sides; fills the
     * construction time, and the step offsets and signaling call times ({@code offsets[0]}, {@code [1]}), when asked.
     */
    private static double connect(PeerConnectionFactory factory, RtcConfiguration config, double[] constructed,
                                  double[][] offsets) throws Exception {
        long built = System.nanoTime();
        try (BenchPair pair = new BenchPair(factory, config, null, null)) {
            long start = System.nanoTime();
            pair.connect(Duration.ofSeconds(30));
            double millis = (System.nanoTime() - start) / 1e6;
            if (constructed != null) {
                constructed[0] = (start - built) / 1e6;
            }
            if (offsets != null) {
                offsets[0] = pair.steps.offsetsMillis();
                offsets[1] = pair.steps.signalingCallMillis();
            }
            return millis;
        }
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private E2eSetupBench() {
    }
}
