package dev.purertc.ice;

import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * coturn (Debian {@code coturn}) on 127.0.0.1 only, listening and relaying on loopback, with one
 * long-term credential. Started by PID and stopped by PID; tests skip when it is not installed.
 */
final class LocalTurnServer implements AutoCloseable {

    static final String BINARY = "/usr/bin/turnserver";
    static final String USER = "purertc";
    static final String PASSWORD = "loopback-only-secret";

    final int port;
    final int relayMin;
    final int relayMax;
    private final Process process;
    private final Path directory;

    static boolean installed() {
        return new File(BINARY).canExecute();
    }

    LocalTurnServer() throws IOException, InterruptedException {
        directory = Files.createTempDirectory("purertc-turn");
        port = freeUdpPort();
        relayMin = 49152 + (int) (Math.random() * 10000);
        relayMax = relayMin + 50;
        List<String> command = List.of(BINARY, "-n",
                "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--listening-port=" + port,
                "--min-port=" + relayMin, "--max-port=" + relayMax,
                "--allow-loopback-peers", "--no-multicast-peers",
                "--lt-cred-mech", "--user=" + USER + ":" + PASSWORD, "--realm=purertc.test",
                "--no-tls", "--no-dtls", "--no-tcp", "--no-cli", "--no-software-attribute",
                "--pidfile=" + directory.resolve("turnserver.pid"),
                "--userdb=" + directory.resolve("turndb"),
                "--log-file=" + directory.resolve("turn.log"), "--simple-log");
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("stdout.txt").toFile()).start();
        awaitBindingResponse();
    }

    String url() {
        return "turn:127.0.0.1:" + port;
    }

    /** Waits (bounded, 20 s) until a STUN Binding request to the server is answered. */
    private void awaitBindingResponse() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        byte[] request = {0, 1, 0, 0, 0x21, 0x12, (byte) 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            probe.setSoTimeout(200);
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException("turnserver exited with " + process.exitValue() + ": "
                            + Files.readString(directory.resolve("stdout.txt")));
                }
                probe.send(new DatagramPacket(request, request.length, server));
                try {
                    probe.receive(new DatagramPacket(new byte[1500], 1500));
                    return;
                } catch (SocketTimeoutException notYet) {
                    // turnserver still starting: ask again
                }
            }
        }
        close();
        throw new IOException("turnserver did not answer within 20 s");
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
