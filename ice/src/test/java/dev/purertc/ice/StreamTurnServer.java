package dev.purertc.ice;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * coturn (Debian {@code coturn}) on 127.0.0.1 that clients reach over TCP and TLS only ({@code --no-udp}): a
 * client that gets a relayed candidate from it has spoken TURN over a stream. Its TLS certificate is a
 * self-signed P-256 one for {@code IP:127.0.0.1} that {@code openssl} makes here; {@link #certificate()} is
 * the PEM a client trusts. Relays to peers by UDP on 127.0.0.1. Started and stopped by its process handle.
 */
final class StreamTurnServer implements AutoCloseable {

    static final String OPENSSL = "/usr/bin/openssl";

    final int tcpPort;
    final int tlsPort;
    final int relayMin;
    final int relayMax;
    private final Process process;
    private final Path directory;

    static boolean installed() {
        return LocalTurnServer.installed() && new java.io.File(OPENSSL).canExecute();
    }

    StreamTurnServer() throws IOException, InterruptedException {
        directory = Files.createTempDirectory("purertc-turn-stream");
        try {
            makeCertificate();
            tcpPort = freeTcpPort();
            int tls;
            do {
                tls = freeTcpPort();
            } while (tls == tcpPort);
            tlsPort = tls;
            relayMin = 49152 + (int) (Math.random() * 10000);
            relayMax = relayMin + 50;
            process = new ProcessBuilder(List.of(LocalTurnServer.BINARY, "-n",
                    "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
                    "--listening-port=" + tcpPort, "--tls-listening-port=" + tlsPort,
                    "--min-port=" + relayMin, "--max-port=" + relayMax,
                    "--allow-loopback-peers", "--no-multicast-peers",
                    "--lt-cred-mech", "--user=" + LocalTurnServer.USER + ":" + LocalTurnServer.PASSWORD,
                    "--realm=purertc.test", "--no-udp", "--no-dtls", "--no-cli", "--no-software-attribute",
                    "--cert=" + certificate(), "--pkey=" + directory.resolve("key.pem"),
                    "--pidfile=" + directory.resolve("turnserver.pid"),
                    "--userdb=" + directory.resolve("turndb"),
                    "--log-file=" + directory.resolve("turn.log"), "--simple-log"))
                    .redirectErrorStream(true).redirectOutput(directory.resolve("stdout.txt").toFile()).start();
        } catch (IOException | RuntimeException e) {
            deleteDirectory();
            throw e;
        }
        awaitTcpBindingResponse();
    }

    /** The self-signed certificate coturn presents on {@link #tlsPort}. */
    Path certificate() {
        return directory.resolve("cert.pem");
    }

    String tcpUrl() {
        return "turn:127.0.0.1:" + tcpPort + "?transport=tcp";
    }

    String tlsUrl() {
        return "turns:127.0.0.1:" + tlsPort;
    }

    /** What coturn logged so far, for failure messages. */
    String log() {
        try {
            return Files.readString(directory.resolve("turn.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
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

    /** Waits (bounded, 20 s) until a STUN Binding request over TCP is answered. */
    private void awaitTcpBindingResponse() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        byte[] request = {0, 1, 0, 0, 0x21, 0x12, (byte) 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), tcpPort);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String out = Files.readString(directory.resolve("stdout.txt"));
                close();
                throw new IOException("turnserver exited: " + out);
            }
            try (Socket probe = new Socket()) {
                probe.connect(server, 500);
                probe.setSoTimeout(500);
                probe.getOutputStream().write(request);
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

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
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
