package dev.purertc.channel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.purertc.ice.mux.UdpMux;

/**
 * N Java clients (one factory, a socket per connection) against N server connections on one server
 * factory, with or without the server factory's UDP mux; every client opens a channel and the server
 * echoes one message on it. Measures the server side's ports, sockets and threads as the process shows
 * them. Used by {@link UdpMuxManyConnectionsTest} and, as a program, to compare both server modes.
 */
final class UdpMuxScale {

    /** What one run saw, all counted while every connection was open. */
    record Figures(int connections, boolean serverMux, Set<Integer> serverCandidatePorts,
                   int serverPortSocketsAtFirstWave, int serverPortSocketsAtEnd, int muxThreadsAtFirstWave,
                   int muxThreadsAtEnd, int ice4jConnectorThreads, int processThreads, int processFds,
                   int processUdpSockets, int echoed, double setupSeconds, int muxConnectionsAfterClose,
                   int muxRoutesAfterClose) {

        String summary() {
            return String.format("server %s, N=%d: server candidate ports %s; UDP sockets on server ports %d "
                            + "(after first wave %d); mux threads %d (after first wave %d); IceConnector threads "
                            + "%d; process threads %d, fds %d, UDP sockets %d; echoed %d; set up in %.1f s",
                    serverMux ? "udpMux(0)" : "per-connection sockets", connections,
                    serverCandidatePorts.size() <= 3 ? serverCandidatePorts : serverCandidatePorts.size() + " ports",
                    serverPortSocketsAtEnd, serverPortSocketsAtFirstWave, muxThreadsAtEnd, muxThreadsAtFirstWave,
                    ice4jConnectorThreads, processThreads, processFds, processUdpSockets, echoed, setupSeconds);
        }
    }

    static final int WAVE = 25;

    private UdpMuxScale() {
    }

    /** Runs {@code connections} client/server pairs; closes both factories before it returns. */
    static Figures run(int connections, boolean serverMux) throws Exception {
        RtcConfiguration clientConfig = Peer.loopback().build();
        RtcConfiguration serverConfig = serverMux ? Peer.loopback().udpMux(0).build() : Peer.loopback().build();
        List<Peer> clients = new ArrayList<>();
        List<Peer> servers = new ArrayList<>();
        CountDownLatch echoes = new CountDownLatch(connections);
        Set<String> echoedLabels = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger wrongEchoes = new AtomicInteger();
        RTCDataChannelListener echo = new RTCDataChannelListener() {
            @Override
            public void onMessage(RTCDataChannel channel, String text) {
                channel.send("echo:" + text);
            }
        };
        int firstWaveSockets = -1;
        int firstWaveMuxThreads = -1;
        long start = System.nanoTime();
        try (PeerConnectionFactory clientFactory = new PeerConnectionFactory(2);
             PeerConnectionFactory serverFactory = new PeerConnectionFactory(2)) {
            for (int i = 0; i < connections; i++) {
                Peer client = Signaling.create(clientFactory, clientConfig);
                Peer server = Signaling.create(serverFactory, serverConfig);
                server.remoteChannelListener = echo;
                String label = "pc-" + i;
                RTCDataChannel channel = client.pc.createDataChannel(label);
                channel.setListener(new RTCDataChannelListener() {
                    @Override
                    public void onOpen(RTCDataChannel c) {
                        c.send(label);
                    }

                    @Override
                    public void onMessage(RTCDataChannel c, String text) {
                        if (!text.equals("echo:" + label)) {
                            wrongEchoes.incrementAndGet();
                        }
                        echoedLabels.add(label);
                        echoes.countDown();
                    }
                });
                Signaling.negotiate(client, server);
                clients.add(client);
                servers.add(server);
                if ((i + 1) % WAVE == 0 || i + 1 == connections) {
                    // Pace set-ups so 2 cores are not asked for hundreds of handshakes at once.
                    long left = connections - (i + 1);
                    if (!awaitCount(echoes, left, Duration.ofSeconds(60))) {
                        StringBuilder missing = new StringBuilder();
                        for (int k = 0; k < clients.size(); k++) {
                            if (!echoedLabels.contains("pc-" + k)) {
                                missing.append("\n  pc-").append(k).append(": client ")
                                        .append(clients.get(k).pc.transportStates()).append(" | server ")
                                        .append(servers.get(k).pc.transportStates());
                            }
                        }
                        throw new AssertionError((connections - echoes.getCount()) + " echoes after "
                                + (i + 1) + " connections; missing:" + missing);
                    }
                    if (firstWaveSockets < 0) {
                        firstWaveSockets = udpSocketsOnPorts(serverPorts(servers));
                        firstWaveMuxThreads = threadsNamed("purertc-udpmux-");
                    }
                }
            }
            double setupSeconds = (System.nanoTime() - start) / 1e9;
            if (wrongEchoes.get() != 0) {
                throw new AssertionError(wrongEchoes.get() + " wrong echoes");
            }
            Set<Integer> ports = serverPorts(servers);
            int socketsAtEnd = udpSocketsOnPorts(ports);
            int muxThreadsAtEnd = threadsNamed("purertc-udpmux-");
            int connectorThreads = threadsNamed("IceConnector@");
            int processThreads = Thread.activeCount();
            int processFds = fds().size();
            int processUdpSockets = udpSocketsOnPorts(null);
            int muxConnectionsAfterClose = -1;
            int muxRoutesAfterClose = -1;
            if (serverMux) {
                // Closing the server connections (the factory and its mux stay open) unregisters them all.
                UdpMux mux = serverFactory.udpMuxes().get(0);
                servers.forEach(p -> p.pc.close());
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (mux.connectionCount() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10); // agents are released on the factory's pool: no event to wait on
                }
                muxConnectionsAfterClose = mux.connectionCount();
                muxRoutesAfterClose = mux.routeCount();
            }
            Figures figures = new Figures(connections, serverMux, ports, firstWaveSockets, socketsAtEnd,
                    firstWaveMuxThreads, muxThreadsAtEnd, connectorThreads, processThreads, processFds,
                    processUdpSockets, connections - (int) echoes.getCount(), setupSeconds,
                    muxConnectionsAfterClose, muxRoutesAfterClose);
            if (serverMux) {
                List<UdpMux> muxes = serverFactory.udpMuxes();
                if (muxes.size() != 1) {
                    throw new AssertionError("expected one mux: " + muxes);
                }
                System.out.println("mux, counted after the server connections closed: dropped datagrams "
                        + muxes.get(0).droppedDatagrams()
                        + ", dropped STUN tasks " + muxes.get(0).droppedControlTasks()
                        + ", interrupts cleared on the reader " + muxes.get(0).clearedInterrupts());
            }
            return figures;
        }
    }

    /** Ports of every server-side local candidate. */
    static Set<Integer> serverPorts(List<Peer> servers) {
        Set<Integer> ports = new TreeSet<>();
        for (Peer p : servers) {
            for (RTCIceCandidate c : p.candidates) {
                if (!c.isEndOfCandidates()) {
                    // candidate:<foundation> <component> udp <priority> <address> <port> typ ...
                    ports.add(Integer.parseInt(c.candidate().split(" ")[5]));
                }
            }
        }
        return ports;
    }

    /** Threads alive whose name starts with {@code prefix}. */
    static int threadsNamed(String prefix) {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }

    /** This process's open file descriptors, as /proc/self/fd lists them (link targets). */
    static List<String> fds() throws IOException {
        List<String> targets = new ArrayList<>();
        try (var stream = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) stream::iterator) {
                try {
                    targets.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException closedMeanwhile) {
                    // the directory stream's own fd, or one closed while listing
                }
            }
        }
        return targets;
    }

    /**
     * UDP sockets (IPv4 and IPv6) this process holds whose local port is in {@code ports}, or all of them
     * for {@code null}: /proc/self/fd's socket inodes joined with /proc/net/udp{,6}.
     */
    static int udpSocketsOnPorts(Set<Integer> ports) throws IOException {
        Set<String> inodes = new HashSet<>();
        for (String target : fds()) {
            if (target.startsWith("socket:[")) {
                inodes.add(target.substring(8, target.length() - 1));
            }
        }
        int count = 0;
        for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            List<String> lines = Files.readAllLines(path);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                if (inodes.contains(f[9]) && (ports == null || ports.contains(port))) {
                    count++;
                }
            }
        }
        return count;
    }

    private static boolean awaitCount(CountDownLatch latch, long count, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (latch.getCount() > count) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10); // CountDownLatch has no "wait until count <= n"
        }
        return true;
    }

    /**
     * {@code java ... UdpMuxScale [N [sockets|mux|both]]}: the server modes asked for (default: N=200, both),
     * one after the other in one JVM, figures on stdout.
     */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        String modes = args.length > 1 ? args[1] : "both";
        List<Boolean> runs = switch (modes) {
            case "sockets" -> List.of(false);
            case "mux" -> List.of(true);
            case "both" -> List.of(false, true);
            default -> throw new IllegalArgumentException("mode must be sockets, mux or both: " + modes);
        };
        for (boolean mux : runs) {
            Figures f = run(n, mux);
            String mode = mux ? "mux" : "sockets";
            System.out.println(f.summary());
            System.out.printf("BENCH udpmux_server_ports_%s_N%d %d ports%n", mode, n, f.serverCandidatePorts().size());
            System.out.printf("BENCH udpmux_server_udp_sockets_%s_N%d %d sockets%n", mode, n, f.serverPortSocketsAtEnd());
            System.out.printf("BENCH udpmux_ice_connector_threads_%s_N%d %d threads%n", mode, n,
                    f.ice4jConnectorThreads());
            System.out.printf("BENCH udpmux_process_threads_%s_N%d %d threads%n", mode, n, f.processThreads());
            System.out.printf("BENCH udpmux_process_fds_%s_N%d %d fds%n", mode, n, f.processFds());
            System.out.printf("BENCH udpmux_process_udp_sockets_%s_N%d %d sockets%n", mode, n, f.processUdpSockets());
        }
    }
}
