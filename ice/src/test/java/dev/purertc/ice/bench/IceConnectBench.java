package dev.purertc.ice.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.purertc.ice.HostAddressFilter;
import dev.purertc.ice.IceAgent;
import dev.purertc.ice.IceAgentListener;
import dev.purertc.ice.IceConnectionState;
import dev.purertc.ice.IceOptions;
import dev.purertc.ice.IceRole;
import dev.purertc.sdp.IceCandidate;

/**
 * Two agents on 127.0.0.1: time from the moment both learn the peer's credentials (connectivity checks
 * start; candidates were already exchanged) until both report CONNECTED. Median of 20 runs after 3
 * warm-up runs, at ice4j's default pacing (Ta = 20 ms) and at the RFC 8445 minimum (Ta = 5 ms).
 * Prints {@code BENCH ice_connect_ms} and {@code BENCH ice_connect_ms_ta5}.
 *
 * <p>Before that, the cost of {@link IceAgent#create} alone (no socket is opened): median of 50 after 10
 * warm-up creations, each agent closed before the next, with the default consent settings
 * ({@code BENCH ice_agent_create_ms}) and with non-default ones ({@code ice_agent_create_ms_custom_consent},
 * which ice4j must read from its configuration uncached). Never fails on speed.
 */
public final class IceConnectBench {

    private static final int WARMUP = 3;
    private static final int RUNS = 20;

    private static final int CREATE_WARMUP = 10;
    private static final int CREATE_RUNS = 50;

    public static void main(String[] args) throws Exception {
        IceOptions defaults = IceOptions.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly()).build();
        reportCreate("ice_agent_create_ms", defaults);
        reportCreate("ice_agent_create_ms_custom_consent", defaults.toBuilder()
                .consentInterval(Duration.ofSeconds(1)).disconnectedTimeout(Duration.ofSeconds(3))
                .consentTimeout(Duration.ofSeconds(10)).build());
        report("ice_connect_ms", Duration.ofMillis(20));
        report("ice_connect_ms_ta5", Duration.ofMillis(5));
    }

    private static void report(String name, Duration pacing) throws Exception {
        List<Double> samples = connectSamples(pacing, WARMUP, RUNS);
        double median = (samples.get(RUNS / 2 - 1) + samples.get(RUNS / 2)) / 2;
        System.out.printf("BENCH %s %.2f ms%n", name, median);
        System.out.printf("# %s min %.2f max %.2f (Ta %d ms, %d runs)%n", name, samples.get(0),
                samples.get(RUNS - 1), pacing.toMillis(), RUNS);
    }

    /**
     * The measurement behind {@code ice_connect_ms}: {@code runs} connections of two loopback agents at
     * {@code pacing} after {@code warmUp} unmeasured ones, milliseconds each, sorted. Public so that
     * channel-api's E2eSetupBench prints its reference from the same run.
     */
    public static List<Double> connectSamples(Duration pacing, int warmUp, int runs) throws Exception {
        IceOptions options = IceOptions.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly())
                .pacing(pacing).build();
        for (int i = 0; i < warmUp; i++) {
            once(options);
        }
        List<Double> samples = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            samples.add(once(options));
        }
        Collections.sort(samples);
        return samples;
    }

    private static void reportCreate(String name, IceOptions options) {
        for (int i = 0; i < CREATE_WARMUP; i++) {
            IceAgent.create(options, IceRole.CONTROLLING, new Recorder()).close();
        }
        List<Double> samples = new ArrayList<>();
        for (int i = 0; i < CREATE_RUNS; i++) {
            Recorder listener = new Recorder();
            long start = System.nanoTime();
            IceAgent agent = IceAgent.create(options, IceRole.CONTROLLING, listener);
            samples.add((System.nanoTime() - start) / 1e6);
            agent.close();
        }
        Collections.sort(samples);
        double median = (samples.get(CREATE_RUNS / 2 - 1) + samples.get(CREATE_RUNS / 2)) / 2;
        System.out.printf("BENCH %s %.3f ms%n", name, median);
        System.out.printf("# %s min %.3f max %.3f (%d runs)%n", name, samples.get(0), samples.get(CREATE_RUNS - 1),
                CREATE_RUNS);
    }

    private static double once(IceOptions options) throws Exception {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        try (IceAgent x = IceAgent.create(options, IceRole.CONTROLLING, a);
             IceAgent y = IceAgent.create(options, IceRole.CONTROLLED, b)) {
            x.startGathering();
            y.startGathering();
            for (IceCandidate c : a.candidates) {
                y.addRemoteCandidate(c);
            }
            for (IceCandidate c : b.candidates) {
                x.addRemoteCandidate(c);
            }
            long start = System.nanoTime();
            x.setRemoteCredentials(y.localCredentials());
            y.setRemoteCredentials(x.localCredentials());
            if (!a.connected.await(30, TimeUnit.SECONDS) || !b.connected.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("agents did not connect within 30 s");
            }
            return Math.max(a.connectedAt, b.connectedAt) - start < 0 ? 0
                    : (Math.max(a.connectedAt, b.connectedAt) - start) / 1e6;
        }
    }

    private static final class Recorder implements IceAgentListener {
        final List<IceCandidate> candidates = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch connected = new CountDownLatch(1);
        volatile long connectedAt;

        @Override
        public void onLocalCandidate(IceCandidate candidate) {
            candidates.add(candidate);
        }

        @Override
        public void onStateChange(IceConnectionState state) {
            if (state == IceConnectionState.CONNECTED && connected.getCount() == 1) {
                connectedAt = System.nanoTime();
                connected.countDown();
            }
        }
    }
}
