package dev.purertc.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One browser process tree started in its own session and process group ({@code setsid}), with a
 * throwaway profile directory. {@link #close()} kills the whole group (SIGTERM, then SIGKILL),
 * waits until no member is left, and deletes the profile. Every wait is bounded.
 *
 * <p>Not thread-safe; owned by one {@link BrowserPeer}.
 */
final class BrowserProcess implements AutoCloseable {
    private static final Duration TERM_GRACE = Duration.ofSeconds(5);
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);

    /** Browsers still running; killed by a shutdown hook if the JVM ends without closing them. */
    private static final Set<BrowserProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (BrowserProcess p : LIVE) {
                try {
                    p.killAbruptly();
                } catch (RuntimeException e) {
                    System.err.println("could not kill " + p.kind + " process group " + p.pgid + ": " + e);
                }
            }
        }, "browser-process-reaper"));
    }

    private final BrowserKind kind;
    private final Process process;
    private final long pgid;
    private final Path profileDir;
    private final Path logFile;
    private boolean closed;

    private BrowserProcess(BrowserKind kind, Process process, Path profileDir, Path logFile) {
        this.kind = kind;
        this.process = process;
        this.pgid = process.pid();
        this.profileDir = profileDir;
        this.logFile = logFile;
    }

    /** Starts {@code kind} on {@code url}; stdout and stderr go to {@code logFile}. */
    static BrowserProcess start(BrowserKind kind, Path binary, String url, Path logFile) throws IOException {
        Path profile = Files.createTempDirectory("purertc-" + kind.shortName() + "-profile-");
        try {
            List<String> cmd = new ArrayList<>();
            // A child of the JVM is never a process-group leader, so setsid(1) calls setsid() and execs
            // the browser in place: the browser's pid is the new session's and process group's id.
            cmd.add("setsid");
            cmd.addAll(kind.command(binary, profile, url));
            Files.createDirectories(logFile.getParent());
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().putAll(kind.environment());
            BrowserProcess bp = new BrowserProcess(kind, pb.start(), profile, logFile);
            LIVE.add(bp);
            bp.checkOwnProcessGroup();
            return bp;
        } catch (IOException | RuntimeException e) {
            deleteTree(profile);
            throw e;
        }
    }

    private void checkOwnProcessGroup() {
        // The group id is set by setsid right after fork+exec; give it a bounded moment.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && process.isAlive()) {
            long group = processGroupOf(pgid);
            if (group == pgid) {
                return;
            }
            sleepQuietly(10);
        }
        if (process.isAlive()) {
            close();
            throw new IllegalStateException(kind + " did not become a process-group leader (pid " + pgid + ")");
        }
    }

    BrowserKind kind() {
        return kind;
    }

    long pid() {
        return pgid;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path logFile() {
        return logFile;
    }

    Path profileDir() {
        return profileDir;
    }

    /** The last {@code maxChars} characters of the browser's output, for failure messages. */
    String logTail(int maxChars) {
        try {
            String s = Files.readString(logFile, StandardCharsets.UTF_8);
            return s.length() <= maxChars ? s : s.substring(s.length() - maxChars);
        } catch (IOException | UncheckedIOException e) {
            return "(no browser log: " + e + ")";
        }
    }

    /** Process ids whose process group is this browser's; zombies count as gone. */
    List<Long> groupMembers() {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.forEach(p -> {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    return;
                }
                long pid = Long.parseLong(name);
                String[] fields = statFields(pid);
                // stat after ")": state ppid pgrp ...
                if (fields != null && fields.length > 2 && !fields[0].equals("Z") && Long.parseLong(fields[2]) == pgid) {
                    out.add(pid);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static long processGroupOf(long pid) {
        String[] fields = statFields(pid);
        return fields == null || fields.length < 3 ? -1 : Long.parseLong(fields[2]);
    }

    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | UncheckedIOException | StringIndexOutOfBoundsException e) {
            return null; // the process went away
        }
    }

    /** Kills the process group (SIGTERM, then SIGKILL), waits for it (bounded) and deletes the profile. Idempotent. */
    @Override
    public void close() {
        stop(true);
    }

    /** Like {@link #close()} but SIGKILL at once: the browser vanishes without any goodbye on the wire. */
    void killAbruptly() {
        stop(false);
    }

    private synchronized void stop(boolean graceful) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            boolean gone = false;
            if (graceful) {
                signalGroup("TERM");
                gone = awaitGroupGone(TERM_GRACE);
            }
            if (!gone) {
                signalGroup("KILL");
                gone = awaitGroupGone(KILL_GRACE);
            }
            if (!gone) {
                throw new IllegalStateException(kind + " process group " + pgid + " still has members " + groupMembers()
                        + " after SIGKILL");
            }
        } finally {
            LIVE.remove(this);
            deleteTree(profileDir);
        }
    }

    private void signalGroup(String signal) {
        try {
            // The shell's kill builtin (dash and bash alike) signals a whole group by a negative id and
            // needs no procps, which minimal Debian images lack.
            Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " -" + pgid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean awaitGroupGone(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        try {
            // The group leader is our child: reap it, then wait for the rest of the group.
            process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        while (System.nanoTime() < deadline) {
            if (!process.isAlive() && groupMembers().isEmpty()) {
                return true;
            }
            sleepQuietly(50);
        }
        return !process.isAlive() && groupMembers().isEmpty();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    if (exc instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete browser profile " + root, e);
        }
    }
}
