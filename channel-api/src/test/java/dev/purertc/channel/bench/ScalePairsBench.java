package dev.purertc.channel.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.PeerConnectionListener;
import dev.purertc.channel.PeerConnectionState;
import dev.purertc.channel.RTCDataChannel;
import dev.purertc.channel.RTCDataChannelInit;
import dev.purertc.channel.RTCDataChannelListener;
import dev.purertc.channel.RTCIceCandidate;
import dev.purertc.channel.RTCPeerConnection;
import dev.purertc.channel.RtcConfiguration;

/**
 * {@code ./bench scale_pairs}: N Java-to-Java pairs in one JVM, the server factory on one UDP port (udpMux),
 * held with consent freshness running, then one echo on every channel. For each N prints
 * <pre>
 * BENCH scale_pairs_opened_N&lt;n&gt;       pairs whose channel opened on both sides
 * BENCH scale_pairs_failed_N&lt;n&gt;       connections that reported DISCONNECTED or FAILED from opening to the end of
 *                                      the echo (every other end stays alive)
 * BENCH scale_threads_N&lt;n&gt;            live Java threads in the JVM holding every pair open, at the end of the
 *                                      hold (all thread groups, daemons included; the VM's own GC and JIT threads
 *                                      are not Java threads)
 * BENCH scale_threads_after_open_N&lt;n&gt; the same right after the last wave opened: DTLS handshakes still hold a
 *                                      pool thread each (bctls's blocking handshake), idle ones end after 1 s
 * BENCH scale_heap_kib_per_conn_N&lt;n&gt;   heap after GC above the empty JVM's, per connection (2 per pair), with
 *                                      every pair still open after the hold and the echo
 * BENCH scale_fds_N&lt;n&gt;                file descriptors of the process
 * BENCH scale_server_fds_N&lt;n&gt;         the same without the simulated clients' own sockets (one each; a
 *                                      browser's are on its own machine)
 * BENCH scale_idle_cpu_pct_N&lt;n&gt;        process CPU during the hold, one core = 100
 * BENCH scale_open_s_N&lt;n&gt;              seconds to open them all, in waves of 25
 * </pre>
 * The answering side (the server) has one factory with one UDP port; the offering side (the clients) has
 * a socket and port per connection, as browsers do, since two muxed ports could not tell their pairs apart
 * once past STUN. The clients' sockets are read by their factory's one shared reader thread
 * ({@code RtcConfiguration.Builder.sharedSocketReader}), so the JVM's thread count does not grow with N; their
 * sockets (one fd each) do, which {@code scale_server_fds} leaves out.
 * Arguments: {@code --n 1000,2500,5000} (default), {@code --hold SECONDS} (default 300, the 5
 * minutes) and {@code --consent-interval SECONDS} (default: the configuration's, 2 s; given, both sides use it
 * with disconnected after 2.5 intervals, the default's ratio, and failed after 30 s). Every N runs with fresh
 * factories; nothing is carried over.
 */
public final class ScalePairsBench {
    private static final int WAVE = 25;
    private static final long T0 = System.nanoTime();

    private ScalePairsBench() {
    }

    public static void main(String[] args) throws Exception {
        int[] ns = {1000, 2500, 5000};
        Duration hold = Duration.ofSeconds(300);
        Duration consentInterval = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--n" -> ns = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--hold" -> hold = Duration.ofSeconds(Long.parseLong(args[++i]));
                case "--consent-interval" -> consentInterval = Duration.ofMillis((long) (1000 * Double.parseDouble(args[++i])));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        long baselineHeap = heapAfterGc();
        System.out.printf("# baseline: %d threads, %d fds, heap %d KiB%n", ManagementFactory.getThreadMXBean().getThreadCount(),
                fds(), baselineHeap / 1024);
        for (int n : ns) {
            run(n, hold, consentInterval, baselineHeap);
        }
        System.exit(0);
    }

    private static void run(int n, Duration hold, Duration consentInterval, long baselineHeap) throws Exception {
        // The server side shares one UDP port; the clients have a socket each, as browsers do. Both sides
        // on one port each cannot work past STUN: every pair would have the same two addresses, and DTLS
        // records carry nothing to tell connections apart (pion's and ice4j's muxes have the same limit).
        RtcConfiguration.Builder clientBuilder = BenchPair.loopback().sharedSocketReader(true);
        RtcConfiguration.Builder serverBuilder = BenchPair.loopback().udpMux(0);
        if (consentInterval != null) {
            Duration disconnected = consentInterval.multipliedBy(5).dividedBy(2);
            clientBuilder.consentFreshness(consentInterval, disconnected, Duration.ofSeconds(30));
            serverBuilder.consentFreshness(consentInterval, disconnected, Duration.ofSeconds(30));
            System.out.printf("# consent every %d ms, disconnected after %d ms, failed after 30 s%n",
                    consentInterval.toMillis(), disconnected.toMillis());
        }
        RtcConfiguration config = clientBuilder.build();
        RtcConfiguration serverConfig = serverBuilder.build();
        AtomicInteger failed = new AtomicInteger();
        Set<String> failures = ConcurrentHashMap.newKeySet();
        List<RTCPeerConnection> all = new ArrayList<>();
        List<RTCDataChannel> channels = new ArrayList<>();
        ConcurrentHashMap<String, Integer> openEnds = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        try (PeerConnectionFactory offerers = new PeerConnectionFactory(); PeerConnectionFactory answerers = new PeerConnectionFactory()) {
            for (int done = 0; done < n; done += WAVE) {
                int wave = Math.min(WAVE, n - done);
                CountDownLatch open = new CountDownLatch(2 * wave);
                List<RTCPeerConnection[]> pairs = new ArrayList<>();
                for (int i = 0; i < wave; i++) {
                    RTCPeerConnection[] p = new RTCPeerConnection[2];
                    String name = "pair" + (done + i);
                    p[0] = offerers.createPeerConnection(config, watcher(name + "/offerer", failed, failures, p, 1));
                    p[1] = answerers.createPeerConnection(serverConfig, new PeerConnectionListener() {
                        @Override
                        public void onIceCandidate(RTCIceCandidate c) {
                            p[0].addIceCandidate(c);
                        }

                        @Override
                        public void onConnectionStateChange(PeerConnectionState s) {
                            countFailure(name + "/answerer", s, failed, failures);
                        }

                        @Override
                        public void onDataChannel(RTCDataChannel c) {
                            c.setListener(new RTCDataChannelListener() {
                                @Override
                                public void onOpen(RTCDataChannel ch) {
                                    openEnds.merge(name, 1, Integer::sum);
                                    open.countDown();
                                }

                                @Override
                                public void onMessage(RTCDataChannel ch, String text) {
                                    ch.send(text);
                                }
                            });
                        }
                    });
                    RTCDataChannel c = p[0].createDataChannel(name, RTCDataChannelInit.defaults(), new RTCDataChannelListener() {
                        @Override
                        public void onOpen(RTCDataChannel ch) {
                            openEnds.merge(name, 1, Integer::sum);
                            open.countDown();
                        }
                    });
                    channels.add(c);
                    pairs.add(p);
                    all.add(p[0]);
                    all.add(p[1]);
                }
                for (RTCPeerConnection[] p : pairs) {
                    p[0].setLocalDescription(p[0].createOffer().get()).get();
                    p[1].setRemoteDescription(p[0].localDescription()).get();
                    p[1].setLocalDescription(p[1].createAnswer().get()).get();
                    p[0].setRemoteDescription(p[1].localDescription()).get();
                }
                if (!open.await(120, TimeUnit.SECONDS)) {
                    System.out.printf("# N=%d: wave at %d did not open within 120 s (%d ends missing)%n", n, done, open.getCount());
                }
            }
            long opened = openEnds.values().stream().filter(v -> v == 2).count();
            double openSeconds = (System.nanoTime() - start) / 1e9;
            int threads = ManagementFactory.getThreadMXBean().getThreadCount();
            int fds = fds();
            // The clients' sockets (one fd each) are the simulation's cost, not the server's: the server's figure
            // is reported beside the process's total.
            int clientSockets = offerers.sharedUdpReader() == null ? 0 : offerers.sharedUdpReader().openSockets();

            System.out.printf("# N=%d: holding for %d s (pid %d); ICE states %s; OS threads (with GC and JIT) %d%n", n,
                    hold.toSeconds(), ProcessHandle.current().pid(), iceStates(all), osThreads());
            System.out.printf("# N=%d: Java threads by name after opening %s%n", n, threadsByName());
            long cpuBefore = processCpuNanos();
            long holdStart = System.nanoTime();
            Thread.sleep(hold.toMillis());
            double cpuPct = 100.0 * (processCpuNanos() - cpuBefore) / (System.nanoTime() - holdStart);
            int holdingThreads = ManagementFactory.getThreadMXBean().getThreadCount();
            System.out.printf("# N=%d: Java threads by name at the end of the hold %s%n", n, threadsByName());

            CountDownLatch echoes = new CountDownLatch(channels.size());
            for (RTCDataChannel c : channels) {
                c.setListener(new RTCDataChannelListener() {
                    @Override
                    public void onMessage(RTCDataChannel ch, String text) {
                        echoes.countDown();
                    }
                });
                try {
                    c.send("ping");
                } catch (RuntimeException e) {
                    System.out.printf("# N=%d: send on %s refused: %s%n", n, c.label(), e.getMessage());
                }
            }
            System.out.printf("# N=%d: after the hold, ICE states %s%n", n, iceStates(all));
            var reader = offerers.sharedUdpReader();
            System.out.printf("# N=%d: STUN tasks dropped on full queues: clients' reader %d, server port %d; "
                            + "server port datagrams dropped %d%n", n,
                    reader == null ? 0 : reader.droppedControlTasks(),
                    answerers.udpMuxes().stream().mapToLong(m -> m.droppedControlTasks()).sum(),
                    answerers.udpMuxes().stream().mapToLong(m -> m.droppedDatagrams()).sum());
            boolean allEchoed = echoes.await(120, TimeUnit.SECONDS);
            int failedConnections = failed.get();
            System.out.printf("# N=%d: %d of %d channels echoed after the hold of %d s; failures %s%n", n,
                    channels.size() - echoes.getCount(), channels.size(), hold.toSeconds(),
                    failures.stream().limit(10).toList());
            // Heap last, with every pair still open and idle: System.gc() stops the whole JVM (both ends of every
            // pair) for seconds at this size, and a pause taken before or during the hold made hundreds of
            // connections report DISCONNECTED at N=5000, an artefact of the measurement, not of the stack.
            long heap = heapAfterGc();
            System.out.printf("BENCH scale_pairs_opened_N%d %d pairs%n", n, opened);
            System.out.printf("BENCH scale_pairs_failed_N%d %d connections%n", n, failedConnections);
            System.out.printf("BENCH scale_threads_N%d %d threads%n", n, holdingThreads);
            System.out.printf("BENCH scale_threads_after_open_N%d %d threads%n", n, threads);
            System.out.printf("BENCH scale_heap_kib_per_conn_N%d %.1f KiB%n", n, (heap - baselineHeap) / 1024.0 / (2.0 * n));
            System.out.printf("BENCH scale_fds_N%d %d fds%n", n, fds);
            System.out.printf("BENCH scale_server_fds_N%d %d fds%n", n, fds - clientSockets);
            System.out.printf("BENCH scale_idle_cpu_pct_N%d %.1f %%%n", n, cpuPct);
            System.out.printf("BENCH scale_open_s_N%d %.1f s%n", n, openSeconds);
            System.out.printf("# N=%d echoed all: %s%n", n, allEchoed);
            for (RTCPeerConnection pc : all) {
                pc.close();
            }
        }
    }

    private static PeerConnectionListener watcher(String name, AtomicInteger failed, Set<String> failures,
                                                  RTCPeerConnection[] pair, int other) {
        return new PeerConnectionListener() {
            @Override
            public void onIceCandidate(RTCIceCandidate c) {
                pair[other].addIceCandidate(c);
            }

            @Override
            public void onConnectionStateChange(PeerConnectionState s) {
                countFailure(name, s, failed, failures);
            }
        };
    }

    /** Every pair stays alive for the whole run: any DISCONNECTED or FAILED is a false report. */
    private static void countFailure(String name, PeerConnectionState s, AtomicInteger failed, Set<String> failures) {
        if (Boolean.getBoolean("scale.debug")) {
            System.out.printf("# %.3f s %s %s%n", (System.nanoTime() - T0) / 1e9, name, s);
        }
        if ((s == PeerConnectionState.DISCONNECTED || s == PeerConnectionState.FAILED) && failures.add(name)) {
            failed.incrementAndGet();
        }
    }

    /** How many connections are in each ICE connection state (offerers and answerers alike). */
    private static java.util.Map<String, Long> iceStates(List<RTCPeerConnection> all) {
        return all.stream().collect(java.util.stream.Collectors.groupingBy(pc -> pc.iceConnectionState().toString(),
                java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    private static long heapAfterGc() throws InterruptedException {
        MemoryMXBean m = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return m.getHeapMemoryUsage().getUsed();
    }

    /** Live Java threads counted by name, digits replaced by N (pools show as one entry). */
    private static java.util.Map<String, Long> threadsByName() {
        return Thread.getAllStackTraces().keySet().stream()
                .collect(java.util.stream.Collectors.groupingBy(t -> t.getName().replaceAll("[0-9]+", "N"),
                        java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    private static int fds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static long osThreads() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/task"))) {
            return s.count();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
