package dev.purertc.interop.rooms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.purertc.interop.BrowserKind;
import dev.purertc.interop.LoopbackNamespace;

/**
 * Headless Chromium opened on arbitrary pages (the rooms demo, graphscript pages) and driven through
 * the Chrome DevTools protocol on 127.0.0.1 ({@code --remote-debugging-port=0}; the port is read from
 * the profile's {@code DevToolsActivePort}). The harness's driver page ({@code dev.purertc.interop.BrowserPeer})
 * only runs its own command set, so these tests need their own way into a page.
 *
 * <p>Same rules as the harness: refuses to run outside a lo-only network namespace, the flags of
 * docs/interop.md "Network rules", {@code setsid} (the browser's pid is its process group), a fresh profile,
 * and {@link #close()} kills the whole group (SIGTERM, then SIGKILL), waits (bounded) until no member
 * is left and deletes the profile. Not thread-safe: one test thread.
 */
final class CdpChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_BOUND = Duration.ofSeconds(30);

    private final Process process;
    private final long pgid;
    private final Path profile;
    private final Path logFile;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<CdpPage> pages = new ArrayList<>();
    private final Map<CdpPage, String> targets = new ConcurrentHashMap<>();
    private boolean closed;

    private CdpChromium(Process process, Path profile, Path logFile, int port) {
        this.process = process;
        this.pgid = process.pid();
        this.profile = profile;
        this.logFile = logFile;
        this.port = port;
    }

    /** True if Debian's chromium is installed (tests assume it). */
    static boolean isInstalled() {
        return BrowserKind.CHROMIUM.isInstalled();
    }

    /** Starts Chromium on {@code about:blank}; pages are opened with {@link #open(String)}. */
    static CdpChromium launch() throws IOException, InterruptedException {
        return launch(List.of());
    }

    /** Starts Chromium with {@code extraFlags} added to the usual ones (e.g. a certificate to trust). */
    static CdpChromium launch(List<String> extraFlags) throws IOException, InterruptedException {
        LoopbackNamespace.requireLoopbackOnly();
        Path binary = BrowserKind.CHROMIUM.binary()
                .orElseThrow(() -> new IllegalStateException("chromium is not installed"));
        Path profile = Files.createTempDirectory("purertc-rooms-chromium-profile-");
        Path logDir = Path.of(System.getProperty("purertc.interop.logDir", "target/browser-logs"));
        Files.createDirectories(logDir);
        Path logFile = logDir.resolve("rooms-chromium-" + LocalTime.now().format(DateTimeFormatter.ofPattern("HHmmss"))
                + "-" + System.nanoTime() % 100000 + ".log");
        List<String> cmd = new ArrayList<>(List.of("setsid", binary.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--allow-loopback-in-peer-connection",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0"));
        cmd.addAll(extraFlags);
        cmd.add("about:blank");
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        } catch (IOException e) {
            deleteTree(profile);
            throw e;
        }
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + START_BOUND.toNanos();
        int port = -1;
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.isRegularFile(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                if (lines.size() >= 2) {
                    port = Integer.parseInt(lines.get(0).trim());
                    break;
                }
            }
            Thread.sleep(20); // the browser writes the file once its DevTools server listens
        }
        CdpChromium browser = new CdpChromium(p, profile, logFile, port);
        if (port < 0) {
            browser.close();
            throw new IllegalStateException("chromium did not open its DevTools port within " + START_BOUND
                    + "; log " + logFile);
        }
        return browser;
    }

    /** Opens {@code url} in a new tab and connects to it. */
    CdpPage open(String url) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/new?"
                        + URLEncoder.encode(url, StandardCharsets.UTF_8)))
                .PUT(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IllegalStateException("DevTools /json/new answered " + resp.statusCode() + ": " + resp.body());
        }
        JsonNode target = JSON.readTree(resp.body());
        CdpPage page = CdpPage.connect(http, URI.create(target.get("webSocketDebuggerUrl").asText()), url);
        pages.add(page);
        targets.put(page, target.get("id").asText());
        return page;
    }

    /** Closes the tab of {@code page} as a user closing it would (its page unloads, its sockets close). */
    void closeTab(CdpPage page) throws IOException, InterruptedException {
        page.close();
        String id = targets.remove(page);
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/close/" + id))
                .timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IllegalStateException("DevTools /json/close answered " + resp.statusCode() + ": " + resp.body());
        }
    }

    /** The last {@code maxChars} characters of the browser's output, for failure messages. */
    String logTail(int maxChars) {
        try {
            String s = Files.readString(logFile, StandardCharsets.UTF_8);
            return s.length() <= maxChars ? s : s.substring(s.length() - maxChars);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Process ids still in the browser's process group (zombies count as gone). */
    List<Long> groupMembers() {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.map(d -> d.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit)).forEach(n -> {
                try {
                    String stat = Files.readString(Path.of("/proc", n, "stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (!f[0].equals("Z") && Long.parseLong(f[2]) == pgid) {
                        out.add(Long.parseLong(n));
                    }
                } catch (IOException | RuntimeException e) {
                    // the process went away while we looked
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (CdpPage page : pages) {
            page.close();
        }
        try {
            if (!stopGroup("TERM") && !stopGroup("KILL")) {
                throw new IllegalStateException("chromium process group " + pgid + " still has " + groupMembers());
            }
        } finally {
            deleteTree(profile);
        }
    }

    private boolean stopGroup(String signal) {
        try {
            Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " -" + pgid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
            process.waitFor(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive() && groupMembers().isEmpty()) {
                    return true;
                }
                Thread.sleep(50);
            }
            return !process.isAlive() && groupMembers().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // already gone
        }
    }
}
