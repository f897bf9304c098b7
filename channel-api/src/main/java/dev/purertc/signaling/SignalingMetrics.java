package dev.purertc.signaling;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The signaling server's figures, served at {@code GET /metrics} in the Prometheus text format through
 * Micrometer: registered users, WebSocket connections, messages relayed, messages refused by error code,
 * and the time a relayed message spends in the server (from its frame's arrival to its hand-off to the
 * target's queue). One registry per server; {@link #registry()} lets an application add its own meters.
 */
public final class SignalingMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter relayed;
    private final Map<SignalingErrorCode, Counter> refused = new EnumMap<>(SignalingErrorCode.class);
    private final Timer relayLatency;
    private final Counter clusterSent;
    private final Counter clusterDelivered;

    SignalingMetrics(Supplier<Number> users, Supplier<Number> connections) {
        Gauge.builder("purertc_signaling_users", users).description("user ids registered now").register(registry);
        Gauge.builder("purertc_signaling_connections", connections)
                .description("WebSocket connections open now").register(registry);
        relayed = Counter.builder("purertc_signaling_relayed_messages")
                .description("messages relayed to another user").register(registry);
        for (SignalingErrorCode code : SignalingErrorCode.values()) {
            refused.put(code, Counter.builder("purertc_signaling_refused_messages")
                    .description("messages answered with an error, by its code")
                    .tag("code", code.wireName()).register(registry));
        }
        relayLatency = Timer.builder("purertc_signaling_relay_latency")
                .description("time from the server taking a message up to its hand-off to the target's queue")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        clusterSent = Counter.builder("purertc_signaling_cluster_sent_messages")
                .description("messages and requests relayed to users on other cluster nodes").register(registry);
        clusterDelivered = Counter.builder("purertc_signaling_cluster_delivered_messages")
                .description("messages and requests from other cluster nodes written to users of this node")
                .register(registry);
    }

    /** A message or request left for a user on another cluster node. */
    void clusterSent() {
        clusterSent.increment();
    }

    /** A message or request from another cluster node was written to a user here. */
    void clusterDelivered() {
        clusterDelivered.increment();
    }

    /** One message relayed, {@code nanos} after its frame arrived. */
    void relayed(long nanos) {
        relayed.increment();
        relayLatency.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void refused(SignalingErrorCode code) {
        refused.get(code).increment();
    }

    /** The registry behind {@code /metrics}. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }
}
