package dev.purertc.interop;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's coturn in the {@link NatTopology}'s server namespace, on {@link NatTopology#SERVER} only: TURN over
 * TCP on {@link #TCP_PORT}, TLS on {@link #TLS_PORT} with a self-signed P-256 certificate for
 * {@code IP:198.18.1.2} that {@code openssl} makes here ({@link #certificate()}), no UDP listener, relaying
 * from the same address. Stopped by its process handle.
 */
final class NatTurnServer implements AutoCloseable {

    static final String USER = "purertc";
    static final String PASSWORD = "namespace-only-secret";
    static final int TCP_PORT = 3478;
    static final int TLS_PORT = 5349;
    private static final Path TURNSERVER = Path.of("/usr/bin/turnserver");

    private final Path directory;
    private final Process process;

    /** Skips (or under {@code CI=true} fails) where coturn or openssl is missing, naming it. */
    static void assumeInstalled() {
        for (Path tool : List.of(TURNSERVER, SelfSignedPem.OPENSSL)) {
            if (!Files.isExecutable(tool)) {
                String reason = tool + " is not installed (Debian coturn, openssl): TURN over TCP/TLS across the "
                        + "NAT topology cannot be tested";
                if ("true".equals(System.getenv("CI"))) {
                    Assertions.fail(reason);
                }
                Assumptions.assumeTrue(false, reason);
            }
        }
    }

    NatTurnServer(NatTopology topology) throws IOException, InterruptedException {
        directory = Files.createTempDirectory("purertc-nat-turn");
        Process started = null;
        try {
            SelfSignedPem.make(directory, NatTopology.SERVER);
            started = new ProcessBuilder(topology.inServer(List.of(TURNSERVER.toString(), "-n",
                    "--listening-ip=" + NatTopology.SERVER, "--relay-ip=" + NatTopology.SERVER,
                    "--listening-port=" + TCP_PORT, "--tls-listening-port=" + TLS_PORT,
                    "--min-port=49160", "--max-port=49200", "--no-multicast-peers",
                    "--lt-cred-mech", "--user=" + USER + ":" + PASSWORD, "--realm=purertc.test",
                    "--no-udp", "--no-dtls", "--no-cli", "--no-software-attribute",
                    "--cert=" + certificate(), "--pkey=" + directory.resolve("key.pem"),
                    "--pidfile=" + directory.resolve("turnserver.pid"),
                    "--userdb=" + directory.resolve("turndb"),
                    "--log-file=" + directory.resolve("turn.log"), "--simple-log")))
                    .redirectErrorStream(true).redirectOutput(directory.resolve("stdout.txt").toFile()).start();
        } catch (IOException | RuntimeException e) {
            deleteDirectory();
            throw e;
        }
        process = started;
        awaitTcpAnswer();
    }

    Path certificate() {
        return directory.resolve("cert.pem");
    }

    String tcpUrl() {
        return "turn:" + NatTopology.SERVER + ":" + TCP_PORT + "?transport=tcp";
    }

    String tlsUrl() {
        return "turns:" + NatTopology.SERVER + ":" + TLS_PORT;
    }

    /** A STUN Binding request over TCP, across the router, answered; bounded to 20 s. */
    private void awaitTcpAnswer() throws IOException, InterruptedException {
        byte[] binding = {0, 1, 0, 0, 0x21, 0x12, (byte) 0xA4, 0x42, 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8};
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String out = Files.readString(directory.resolve("stdout.txt"));
                close();
                throw new IOException("turnserver exited: " + out);
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(NatTopology.SERVER, TCP_PORT), 500);
                probe.setSoTimeout(500);
                probe.getOutputStream().write(binding);
                byte[] header = new byte[20];
                new DataInputStream(probe.getInputStream()).readFully(header);
                if (header[0] == 1 && header[1] == 1) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        close();
        throw new IOException("turnserver did not answer over TCP within 20 s");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        deleteDirectory();
    }

    private void deleteDirectory() {
        try (var files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
