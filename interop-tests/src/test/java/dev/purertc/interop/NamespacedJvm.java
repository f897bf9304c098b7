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
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@code main} class of the test class path in its own JVM inside a network namespace (the command is
 * prefixed with {@code ip netns exec NS}), driven by lines over its stdin and stdout (pipes cross
 * namespaces). Stopped by its process handle: {@code EXIT} first, then destroy; its stderr goes to a temp
 * file whose tail failures quote.
 */
final class NamespacedJvm implements AutoCloseable {

    private static final int KEPT_LINES = 1000;

    private final String name;
    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final Path stderr;

    /**
     * @param inNamespace the command prefix that enters the namespace ({@code ip netns exec NS})
     * @param main the class to run; it reads its stdin and prints lines on stdout
     */
    NamespacedJvm(String name, List<String> inNamespace, Class<?> main, String... args) throws IOException {
        this.name = name;
        String java = ProcessHandle.current().info().command()
                .orElseGet(() -> System.getProperty("java.home") + "/bin/java");
        List<String> command = new ArrayList<>(inNamespace);
        command.addAll(List.of(java, "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        stderr = Files.createTempFile("purertc-" + name, ".log");
        process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        stdin = process.getOutputStream();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (seen.size() < KEPT_LINES) {
                        seen.add(line);
                    }
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        }, name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** The next line starting with {@code prefix}, skipping others; fails after {@code bound} naming the log. */
    String awaitLine(String prefix, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        List<String> skipped = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError(name + ": no '" + prefix + "' line within " + bound + "; saw " + skipped
                        + "; alive=" + process.isAlive() + "; stderr: " + stderrTail());
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            skipped.add(line);
        }
    }

    /** Every line printed so far (the first {@value #KEPT_LINES}), including those {@link #awaitLine} consumed. */
    List<String> linesSoFar() {
        return List.copyOf(seen);
    }

    void send(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    String stderrTail() {
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
