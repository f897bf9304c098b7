package dev.purertc.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One headless browser running the driver page ({@code driver.html}), controlled by the test:
 * {@link #call} sends a command (create a peer connection, createOffer, setRemoteDescription,
 * addIceCandidate, createDataChannel, send, getStats...) and waits, bounded, for its result;
 * {@link #awaitEvent} waits, bounded, for something the page reported (candidates, state changes,
 * channel events, messages). Objects in the page are named by the test: peer connections by
 * {@code pc}, data channels by {@code channel}. The commands and events are listed in driver.html.
 *
 * <p>Start one with {@link Browsers#launch(BrowserKind)}; {@link #close()} kills the browser's
 * whole process group, waits for it and deletes its profile. Thread-safe: commands may be sent
 * from several threads; replies and events arrive on the driver's HTTP threads.
 */
public final class BrowserPeer implements AutoCloseable {
    /** Bound for one command when the caller names none. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
    /** Bound for the browser to start and load the page. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final int PAGE_LOG_LINES = 200;
    private static final long LIVENESS_CHECK_MILLIS = 200;

    private final BrowserKind kind;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong nextId = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Object eventLock = new Object();
    private final List<BrowserEvent> events = new ArrayList<>();
    /** Runs after every page event is recorded (on the driver's HTTP thread); must not block. */
    private volatile Runnable onEvent = () -> { };
    private final Set<Long> taken = new HashSet<>();
    private final Deque<String> pageLog = new ArrayDeque<>();
    private final DriverPageServer server;
    private final BrowserProcess process;
    private final String userAgent;
    private volatile boolean closed;

    BrowserPeer(BrowserKind kind, Path binary) throws IOException {
        this.kind = kind;
        this.server = new DriverPageServer(json, this::onPageMessage);
        BrowserProcess started = null;
        try {
            started = BrowserProcess.start(kind, binary, server.pageUrl(), logFile(kind));
            this.process = started;
            BrowserEvent ready = awaitEvent(e -> e.type().equals("ready"), READY_TIMEOUT);
            this.userAgent = ready.text("userAgent");
        } catch (IOException | RuntimeException | Error e) {
            if (started != null) {
                try {
                    started.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            server.close();
            throw e;
        }
    }

    private static Path logFile(BrowserKind kind) {
        String dir = System.getProperty("purertc.interop.logDir",
                Path.of(System.getProperty("java.io.tmpdir"), "purertc-browser-logs").toString());
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        return Path.of(dir, kind.shortName() + "-" + stamp + "-" + ProcessHandle.current().pid() + ".log");
    }

    /** Which browser this is. */
    public BrowserKind kind() {
        return kind;
    }

    /** {@code navigator.userAgent} as the page reported it. */
    public String userAgent() {
        return userAgent;
    }

    /** Where the browser's stdout/stderr (and Firefox's page console) go. */
    public Path logFile() {
        return process.logFile();
    }

    /** The browser's process id, which is also its process group and session id. */
    long browserPid() {
        return process.pid();
    }

    /** The throwaway profile directory (deleted by {@link #close()}). */
    Path profileDir() {
        return process.profileDir();
    }

    /** Processes still in the browser's process group (zombies excluded). */
    List<Long> browserProcessGroup() {
        return process.groupMembers();
    }

    /** A fresh JSON object for command arguments. */
    public ObjectNode args() {
        return json.createObjectNode();
    }

    /** Runs {@code command} with arguments given as alternating names and values, bounded by {@link #DEFAULT_CALL_TIMEOUT}. */
    public JsonNode call(String command, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("arguments must be name/value pairs");
        }
        ObjectNode a = args();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            a.set((String) namesAndValues[i], json.valueToTree(namesAndValues[i + 1]));
        }
        return call(command, a, DEFAULT_CALL_TIMEOUT);
    }

    /**
     * Runs {@code command} in the page and returns its result (JSON null for none).
     *
     * @throws BrowserCallException if the command failed in the page
     * @throws BrowserTimeoutException if no reply came within {@code timeout} or the browser died
     */
    public JsonNode call(String command, ObjectNode args, Duration timeout) {
        if (closed) {
            throw new IllegalStateException(kind + " peer is closed");
        }
        long id = nextId.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode cmd = json.createObjectNode();
        cmd.put("id", id);
        cmd.put("cmd", command);
        cmd.set("args", args);
        server.enqueue(cmd);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new BrowserTimeoutException("no reply to " + command + " " + args + " within " + timeout
                            + diagnostics());
                }
                try {
                    JsonNode m = reply.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(LIVENESS_CHECK_MILLIS)),
                            TimeUnit.NANOSECONDS);
                    if (m.path("ok").asBoolean(false)) {
                        return m.path("result");
                    }
                    throw new BrowserCallException(kind, command, m.path("error").asText("(no error text)"));
                } catch (TimeoutException e) {
                    checkAlive("waiting for the reply to " + command);
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BrowserTimeoutException("interrupted waiting for the reply to " + command);
                }
            }
        } finally {
            pending.remove(id);
        }
    }

    /**
     * Waits for the first event, in arrival order, that matches {@code filter} and has not been
     * returned before, and returns it (marking it taken).
     *
     * @throws BrowserTimeoutException if none arrives within {@code timeout} or the browser died
     */
    public BrowserEvent awaitEvent(Predicate<BrowserEvent> filter, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (eventLock) {
            while (true) {
                for (BrowserEvent e : events) {
                    if (!taken.contains(e.seq()) && filter.test(e)) {
                        taken.add(e.seq());
                        return e;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new BrowserTimeoutException("no matching event within " + timeout + diagnostics());
                }
                checkAlive("waiting for an event");
                try {
                    TimeUnit.NANOSECONDS.timedWait(eventLock, Math.min(left, TimeUnit.MILLISECONDS.toNanos(LIVENESS_CHECK_MILLIS)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BrowserTimeoutException("interrupted waiting for an event");
                }
            }
        }
    }

    /** Waits for the next not yet taken event of {@code type} whose field {@code field} is {@code value}. */
    public BrowserEvent awaitEvent(String type, String field, String value, Duration timeout) {
        return awaitEvent(e -> e.is(type, field, value), timeout);
    }

    /** Returns, and marks taken, every event received so far that matches {@code filter}, in arrival order. */
    /** Sets what runs after each page event is recorded ({@code null}: nothing); it must not block. */
    public void onEvent(Runnable hook) {
        onEvent = hook == null ? () -> { } : hook;
    }

    public List<BrowserEvent> takeEvents(Predicate<BrowserEvent> filter) {
        synchronized (eventLock) {
            List<BrowserEvent> out = new ArrayList<>();
            for (BrowserEvent e : events) {
                if (!taken.contains(e.seq()) && filter.test(e)) {
                    taken.add(e.seq());
                    out.add(e);
                }
            }
            return out;
        }
    }

    /** Every event received so far, taken or not, in arrival order. */
    public List<BrowserEvent> events() {
        synchronized (eventLock) {
            return List.copyOf(events);
        }
    }

    private void onPageMessage(JsonNode m) {
        String kindOfMessage = m.path("kind").asText();
        if (kindOfMessage.equals("reply")) {
            CompletableFuture<JsonNode> f = pending.get(m.path("id").asLong(-1));
            if (f != null) {
                f.complete(m);
            }
        } else if (kindOfMessage.equals("event")) {
            synchronized (eventLock) {
                String type = m.path("type").asText();
                if (type.equals("log")) {
                    pageLog.addLast(m.path("text").asText());
                    while (pageLog.size() > PAGE_LOG_LINES) {
                        pageLog.removeFirst();
                    }
                }
                events.add(new BrowserEvent(events.size() + 1, type, m));
                eventLock.notifyAll();
            }
            onEvent.run();
        }
    }

    private void checkAlive(String what) {
        if (process != null && !process.isAlive()) {
            throw new BrowserTimeoutException(kind + " exited while " + what + diagnostics());
        }
    }

    /** What to print when a wait fails: process state, recent events, page log and browser log tails. */
    public String diagnostics() {
        StringBuilder sb = new StringBuilder("\n--- ").append(kind);
        if (process != null) {
            sb.append(" pid ").append(process.pid()).append(process.isAlive() ? " alive" : " exited");
        }
        synchronized (eventLock) {
            sb.append("\n--- last events:");
            for (BrowserEvent e : events.subList(Math.max(0, events.size() - 15), events.size())) {
                String text = e.data().toString();
                sb.append("\n  ").append(text.length() > 300 ? text.substring(0, 300) + "..." : text);
            }
            sb.append("\n--- page log:");
            pageLog.forEach(l -> sb.append("\n  ").append(l));
        }
        if (process != null) {
            sb.append("\n--- browser output (").append(process.logFile()).append(") tail:\n").append(process.logTail(3000));
        }
        return sb.toString();
    }

    /**
     * Makes the browser vanish as a crashed or killed tab does: SIGKILL to its whole process group
     * (no DTLS close_notify, no SCTP ABORT or SHUTDOWN), then waits for the group to be gone and
     * deletes the profile. Waits on this peer fail from then on; {@link #close()} is still needed.
     */
    public void killBrowser() {
        process.killAbruptly();
    }

    /** Kills the browser's process group (bounded wait), deletes its profile and stops the driver server. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (process != null) {
                process.close();
            }
        } finally {
            server.close();
            pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("browser closed")));
        }
    }
}
