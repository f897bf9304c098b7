package dev.purertc.signaling;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One signaling cluster node in its own JVM: {@link SignalingServerMain} with {@code --redis} and
 * {@code --node-id}, on 127.0.0.1 at an ephemeral port. Stopped (or killed) by its pid.
 */
final class ClusterNodeProcess implements AutoCloseable {

    private final Process process;
    private final URI websocketUri;
    final String nodeId;

    private ClusterNodeProcess(Process process, URI websocketUri, String nodeId) {
        this.process = process;
        this.websocketUri = websocketUri;
        this.nodeId = nodeId;
    }

    /** Starts node {@code nodeId} against {@code redis} and waits (at most 60 s) for its "listening on" line. */
    static ClusterNodeProcess start(URI redis, String nodeId, String... extra) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                SignalingServerMain.class.getName(), "--port", "0", "--redis", redis.toString(), "--node-id", nodeId,
                "--max-connections-per-address", "1000"));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String line;
        try {
            line = first.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw e;
        }
        if (line == null || !line.startsWith("listening on ")) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("node " + nodeId + " did not start: " + line);
        }
        return new ClusterNodeProcess(p, URI.create(line.substring("listening on ".length())), nodeId);
    }

    URI websocketUri() {
        return websocketUri;
    }

    URI httpUri(String path) {
        return URI.create("http://" + websocketUri.getAuthority() + path);
    }

    long pid() {
        return process.pid();
    }

    /** kill -9 by pid, and wait for the process to be gone. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM (a clean stop), then SIGKILL after 10 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill9();
            }
        }
    }
}
