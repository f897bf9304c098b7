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
 * Test helper: Debian's coturn on 127.0.0.1 only (listening and relaying on loopback, one long-term
 * credential), started and stopped by its process handle. {@link #Coturn()} listens for clients on UDP;
 * {@link #streamsOnly()} on TCP and TLS only ({@code --no-udp}), with a self-signed P-256 certificate for
 * {@code IP:127.0.0.1} made by {@code openssl} ({@link #certificate()}).
 */
final class Coturn implements AutoCloseable {

    static final String BINARY = "/usr/bin/turnserver";
    static final String USER = "purertc";
    static final String PASSWORD = "loopback-relay-only";

    static final String OPENSSL = "/usr/bin/openssl";

    final int port;
    /** The TLS port of a {@link #streamsOnly()} server, -1 otherwise. */
    final int tlsPort;
    private final Process process;
    private final Path directory;

    static boolean installed() {
        return new File(BINARY).canExecute();
    }

    Coturn() throws IOException, InterruptedException {
        this(false);
    }

    /** coturn reached over TCP ({@link #tcpUrl()}) and TLS ({@link #tlsUrl()}) only. */
    static Coturn streamsOnly() throws IOException, InterruptedException {
        return new Coturn(true);
    }

    static boolean opensslInstalled() {
        return new File(OPENSSL).canExecute();
    }

    private Coturn(boolean streamsOnly) throws IOException, InterruptedException {
        directory = Files.createTempDirectory("purertc-coturn");
        if (streamsOnly) {
            makeCertificate();
            port = freeTcpPort();
            int tls;
            do {
                tls = freeTcpPort();
            } while (tls == port);
            tlsPort = tls;
        } else {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                port = s.getLocalPort();
            }
            tlsPort = -1;
        }
        int relayMin = 50000 + (int) (ProcessHandle.current().pid() % 5000) + (streamsOnly ? 5000 : 0);
        List<String> command = new java.util.ArrayList<>(List.of(BINARY, "-n",
                "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--listening-port=" + port,
                "--min-port=" + relayMin, "--max-port=" + (relayMin + 40),
                "--allow-loopback-peers", "--no-multicast-peers",
                "--lt-cred-mech", "--user=" + USER + ":" + PASSWORD, "--realm=purertc.test",
                "--no-dtls", "--no-cli", "--no-software-attribute",
                "--pidfile=" + directory.resolve("turnserver.pid"),
                "--userdb=" + directory.resolve("turndb"),
                "--log-file=" + directory.resolve("turn.log"), "--simple-log"));
        if (streamsOnly) {
            command.addAll(List.of("--no-udp", "--tls-listening-port=" + tlsPort, "--cert=" + certificate(),
                    "--pkey=" + directory.resolve("key.pem")));
        } else {
            command.addAll(List.of("--no-tls", "--no-tcp"));
        }
        process = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(directory.resolve("out.txt").toFile()).start();
        if (streamsOnly) {
            awaitTcpAnswer();
        } else {
            awaitAnswer();
        }
    }

    String url() {
        return "turn:127.0.0.1:" + port;
    }

    String tcpUrl() {
        return "turn:127.0.0.1:" + port + "?transport=tcp";
    }

    String tlsUrl() {
        return "turns:127.0.0.1:" + tlsPort;
    }

    /** The self-signed certificate a {@link #streamsOnly()} server presents. */
    Path certificate() {
        return directory.resolve("cert.pem");
    }

    private void makeCertificate() throws IOException, InterruptedException {
        Process openssl = new ProcessBuilder(OPENSSL, "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-days", "2",
                "-keyout", directory.resolve("key.pem").toString(), "-out", certificate().toString())
                .redirectErrorStream(true).redirectOutput(directory.resolve("openssl.txt").toFile()).start();
        if (!openssl.waitFor(30, TimeUnit.SECONDS)) {
            openssl.destroyForcibly();
            openssl.waitFor(10, TimeUnit.SECONDS);
            throw new IOException("openssl did not finish within 30 s");
        }
        if (openssl.exitValue() != 0) {
            throw new IOException("openssl failed: " + Files.readString(directory.resolve("openssl.txt")));
        }
    }

    /** A STUN Binding request over TCP answered means the server is up; bounded to 20 s. */
    private void awaitTcpAnswer() throws IOException, InterruptedException {
        byte[] binding = {0, 1, 0, 0, 0x21, 0x12, (byte) 0xA4, 0x42, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2};
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("turnserver exited: " + Files.readString(directory.resolve("out.txt")));
            }
            try (java.net.Socket probe = new java.net.Socket()) {
                probe.connect(server, 500);
                probe.setSoTimeout(500);
                probe.getOutputStream().write(binding);
                byte[] header = new byte[20];
                new java.io.DataInputStream(probe.getInputStream()).readFully(header);
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

    private static int freeTcpPort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
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
