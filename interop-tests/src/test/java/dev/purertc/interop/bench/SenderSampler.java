package dev.purertc.interop.bench;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * What limited PureRTC's SCTP sender during one transfer: reads the connection's {@code sctp-transport}
 * stats every {@value #PERIOD_MILLIS} ms on a thread of its own and sorts each sample as limited by the
 * peer's window (less than an MTU left), by the congestion window (less than an MTU left), or by neither
 * (the pacer, the loop or the application), with the mean bytes in flight, window and SRTT. Diagnostics
 * for stderr; the figures of the benchmark do not depend on it.
 */
final class SenderSampler implements AutoCloseable {
    private static final long PERIOD_MILLIS = 5;
    private static final int MTU = 1200;

    private final Supplier<Map<String, Object>> stats;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private long samples;
    private long peerWindowLimited;
    private long congestionWindowLimited;
    private long bytesInFlight;
    private long congestionWindow;
    private double srttSeconds;

    SenderSampler(Supplier<Map<String, Object>> stats) {
        this.stats = stats;
        this.thread = new Thread(this::run, "sender-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private static long number(Map<String, Object> s, String key) {
        Object v = s.get(key);
        return v instanceof Number n ? n.longValue() : 0;
    }

    private void run() {
        while (running.get()) {
            Map<String, Object> s = stats.get();
            long cwnd = number(s, "congestionWindow");
            long inFlight = number(s, "bytesInFlight");
            synchronized (this) {
                samples++;
                if (number(s, "receiverWindow") < MTU) {
                    peerWindowLimited++;
                } else if (inFlight + MTU > cwnd) {
                    congestionWindowLimited++;
                }
                bytesInFlight += inFlight;
                congestionWindow += cwnd;
                if (s.get("smoothedRoundTripTime") instanceof Number srtt) {
                    srttSeconds += srtt.doubleValue();
                }
            }
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops sampling and describes what was seen. */
    String summary() throws InterruptedException {
        close();
        synchronized (this) {
            long n = Math.max(1, samples);
            return String.format(Locale.ROOT, "%d samples: %.0f %% peer-window-limited, %.0f %% cwnd-limited, "
                    + "%.0f %% neither; mean in flight %d B, cwnd %d B, SRTT %.2f ms", samples,
                    100.0 * peerWindowLimited / n, 100.0 * congestionWindowLimited / n,
                    100.0 * (samples - peerWindowLimited - congestionWindowLimited) / n,
                    bytesInFlight / n, congestionWindow / n, srttSeconds / n * 1e3);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
