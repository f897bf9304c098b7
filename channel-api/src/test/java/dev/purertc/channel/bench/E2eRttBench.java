package dev.purertc.channel.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RTCDataChannel;
import dev.purertc.channel.RTCDataChannelListener;

/**
 * {@code BENCH e2e_rtt_us_p50} / {@code e2e_rtt_us_p99}: a 100-byte binary message sent by the offerer,
 * echoed by the answerer's listener, timed from {@code send} to the echo reaching the sending thread;
 * 2000 round trips after 500 warm-up ones, one at a time.
 */
public final class E2eRttBench {

    private static final int WARM_UP = 500;
    private static final int RUNS = 2000;

    public static void main(String[] args) throws Exception {
        SynchronousQueue<byte[]> echoes = new SynchronousQueue<>();
        RTCDataChannelListener offerer = new RTCDataChannelListener() {
            @Override
            public void onMessage(RTCDataChannel channel, byte[] data) {
                try {
                    echoes.put(data);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        RTCDataChannelListener echo = new RTCDataChannelListener() {
            @Override
            public void onMessage(RTCDataChannel channel, byte[] data) {
                channel.send(data);
            }
        };
        long[] nanos = new long[RUNS];
        try (PeerConnectionFactory factory = new PeerConnectionFactory(2);
             BenchPair pair = new BenchPair(factory, BenchPair.loopback().build(), offerer, echo)) {
            pair.connect(Duration.ofSeconds(30));
            for (int i = 0; i < WARM_UP + RUNS; i++) {
                byte[] message = new byte[100];
                message[0] = (byte) i;
                long start = System.nanoTime();
                pair.channel.send(message);
                byte[] back = echoes.poll(10, TimeUnit.SECONDS);
                long rtt = System.nanoTime() - start;
                if (back == null || back.length != 100 || back[0] != (byte) i) {
                    throw new IllegalStateException("echo " + i + " missing or wrong");
                }
                if (i >= WARM_UP) {
                    nanos[i - WARM_UP] = rtt;
                }
            }
        }
        Arrays.sort(nanos);
        System.out.printf("BENCH e2e_rtt_us_p50 %.0f us%n", nanos[RUNS / 2] / 1e3);
        System.out.printf("BENCH e2e_rtt_us_p99 %.0f us%n", nanos[RUNS * 99 / 100] / 1e3);
    }

    private E2eRttBench() {
    }
}
