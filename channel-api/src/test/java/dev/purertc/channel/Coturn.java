package dev.purertc.channel;

import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: Debian's coturn on 127.0.0.1 only (listening and relaying on loopback, UDP, one long-term
 * credential), started and stopped by its process handle.
 */
final class Coturn implements AutoCloseable {

    static final String BINARY = "/usr/bin/turnserver";
    static final String USER = "purertc";
    static final String PASSWORD = "loopback-relay-only";

    final int port;
    private final Process process;
    private final Path directory;

    static boolean installed() {
        return new File(BINARY).canExecute();
    }

    Coturn() throws IOException, InterruptedException {
        directory = Files.createTempDirectory("purertc-coturn");
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = s.getLocalPort();
        }
        int relayMin = 50000 + (int) (ProcessHandle.current().pid() % 5000);
        process = new ProcessBuilder(List.of(BINARY, "-n",
                "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--listening-port=" + port,
                "--min-port=" + relayMin, "--max-port=" + (relayMin + 40),
                "--allow-loopback-peers", "--no-multicast-peers",
                "--lt-cred-mech", "--user=" + USER + ":" + PASSWORD, "--realm=purertc.test",
                "--no-tls", "--no-dtls", "--no-tcp", "--no-cli", "--no-software-attribute",
                "--pidfile=" + directory.resolve("turnserver.pid"),
                "--userdb=" + directory.resolve("turndb"),
                "--log-file=" + directory.resolve("turn.log"), "--simple-log"))
                .redirectErrorStream(true).redirectOutput(directory.resolve("out.txt").toFile()).start();
        awaitAnswer();
    }

    String url() {
        return "turn:127.0.0.1:" + port;
    }

    /** A STUN Binding request answered means the server is up; bounded to 20 s. */
    private void awaitAnswer() throws IOException, InterruptedException {
        byte[] binding = {0, 1, 0, 0, 0x21, 0x12, (byte) 0xA4, 0x42, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2};
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            probe.setSoTimeout(200);
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException("turnserver exited: " + Files.readString(directory.resolve("out.txt")));
                }
                probe.send(new DatagramPacket(binding, binding.length, server));
                try {
                    probe.receive(new DatagramPacket(new byte[1500], 1500));
                    return;
                } catch (SocketTimeoutException stillStarting) {
                    // ask again until the deadline
                }
            }
        }
        close();
        throw new IOException("turnserver did not answer within 20 s");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try (var files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
