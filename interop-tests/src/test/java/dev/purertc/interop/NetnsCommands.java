package dev.purertc.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the {@code ip} and {@code nft} commands that build test topologies: bounded, failing loudly with their output. */
final class NetnsCommands {

    static final Path IP = Path.of("/usr/sbin/ip");

    private NetnsCommands() {
    }

    /** {@code ip ARGS...}. */
    static String ip(String... args) {
        List<String> command = new ArrayList<>();
        command.add(IP.toString());
        command.addAll(List.of(args));
        return run(command, null);
    }

    /**
     * Cleanup of a topology: deletes this namespace's end of each veth {@code links} (synchronous, where a
     * deleted namespace's links go away only when the kernel gets round to it; missing ones are fine), then
     * each of {@code namespaces} that exists, printing rather than throwing a failure on behalf of {@code owner}.
     */
    static void deleteLinksAndNamespaces(String owner, List<String> links, List<String> namespaces) {
        for (String link : links) {
            try {
                run(List.of(IP.toString(), "link", "del", link), null);
            } catch (RuntimeException alreadyGone) {
                // never made, or gone with its namespace
            }
        }
        for (String ns : namespaces) {
            if (Files.exists(Path.of("/run/netns", ns))) {
                try {
                    run(List.of(IP.toString(), "netns", "del", ns), null);
                } catch (RuntimeException e) {
                    System.err.println(owner + ": cannot delete namespace " + ns + ": " + e.getMessage());
                }
            }
        }
    }

    /** {@code ip netns exec NS COMMAND...}. */
    static String inNamespace(String ns, String... command) {
        List<String> full = new ArrayList<>(List.of(IP.toString(), "netns", "exec", ns));
        full.addAll(List.of(command));
        return run(full, null);
    }

    /** Runs {@code command} (with {@code stdin}, may be null) within 10 s; fails with its output on a non-zero exit. */
    static String run(List<String> command, String stdin) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("did not finish in 10 s: " + command);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(command + " failed (" + p.exitValue() + "): " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
