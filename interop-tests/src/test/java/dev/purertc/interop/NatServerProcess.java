package dev.purertc.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@link NatServerMain} in its own JVM in the topology's server namespace, driven over its stdin/stdout (which
 * cross namespaces as pipes). Stopped by its process handle; its stderr goes to a file named in failures.
 */
final class NatServerProcess implements AutoCloseable {

    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path stderr;
    /** The server's {@code PORT …} line, once printed. */
    private volatile String portLine;

    NatServerProcess(NatTopology topology, String... args) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElseGet(() -> System.getProperty("java.home") + "/bin/java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), NatServerMain.class.getName()));
        command.addAll(List.of(args));
        stderr = Files.createTempFile("purertc-nat-server", ".log");
        process = new ProcessBuilder(topology.inServer(command)).redirectError(stderr.toFile()).start();
        stdin = process.getOutputStream();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("PORT ")) {
                        portLine = line;
                    }
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        }, "nat-server-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Sends {@code offer} and returns the server's complete answer (30 s bound). */
    String answer(String offer) throws IOException, InterruptedException {
        send("OFFER " + Base64.getEncoder().encodeToString(offer.getBytes(StandardCharsets.UTF_8)));
        String line = awaitLine("ANSWER ", Duration.ofSeconds(30));
        return new String(Base64.getDecoder().decode(line.substring("ANSWER ".length())), StandardCharsets.UTF_8);
    }

    /** The next line starting with {@code prefix}, skipping others; fails after {@code bound} naming the log. */
    String awaitLine(String prefix, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        List<String> skipped = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("NAT server: no '" + prefix + "' line within " + bound + "; saw " + skipped
                        + "; alive=" + process.isAlive() + "; stderr: " + stderrTail());
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            skipped.add(line);
        }
    }

    /** The server's ICE-TCP port (started with {@code ICETCP}), known once it has answered an offer. */
    int iceTcpPort() {
        String line = portLine;
        if (line == null || !line.contains(" TCP ")) {
            throw new AssertionError("the NAT server named no ICE-TCP port: " + line);
        }
        return Integer.parseInt(line.substring(line.indexOf(" TCP ") + 5).trim());
    }

    private void send(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    private String stderrTail() {
        try {
            String all = Files.readString(stderr);
            return all.length() > 4000 ? all.substring(all.length() - 4000) : all;
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            send("EXIT");
        } catch (IOException gone) {
            // already exited
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        try {
            Files.deleteIfExists(stderr);
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }
}
