package dev.purertc.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The HTTP side of the browser driver, on an ephemeral port of 127.0.0.1:
 * <ul>
 *   <li>{@code GET /driver.html}, {@code GET /driver.js}: the driver page and its script (test
 *       resources in {@code dev/purertc/interop/}; node peers load only the script);</li>
 *   <li>{@code POST /poll}: long poll; answers a JSON array of queued commands
 *       ({@code {"id":n,"cmd":"...","args":{...}}}) or 204 after {@link #POLL_HOLD} with none;</li>
 *   <li>{@code POST /out}: a JSON array of the page's replies and events, in the order the page
 *       produced them (the page keeps one request in flight), handed to the sink one by one.</li>
 * </ul>
 * Thread-safe: {@link #enqueue} may be called from any thread; the sink runs on server threads,
 * one {@code /out} batch at a time.
 */
final class DriverPageServer implements AutoCloseable {
    /**
     * The JDK server's connections get TCP_NODELAY. Without it every response (headers and body are
     * separate writes) waits for Linux's 40 ms delayed ACK, which made each driver command cost about
     * 50 ms and PureRTC-to-Chromium setup about 320 ms instead of about 115 ms. The JDK reads this
     * property once, when its first HttpServer is created; the interop-tests pom also sets it for tests.
     */
    static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

    static {
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
    }

    /** How long a poll is held open when no command is waiting. */
    static final Duration POLL_HOLD = Duration.ofSeconds(10);
    private static final String RESOURCE_DIR = "/dev/purertc/interop/";
    private static final int MAX_BODY_BYTES = 64 << 20;

    private final ObjectMapper json;
    private final HttpServer server;
    private final ExecutorService executor;
    private final LinkedBlockingQueue<ObjectNode> commands = new LinkedBlockingQueue<>();
    private final Consumer<JsonNode> sink;
    private final Object outLock = new Object();
    private final byte[] page;
    private final byte[] script;

    DriverPageServer(ObjectMapper json, Consumer<JsonNode> sink) throws IOException {
        this.json = json;
        this.sink = sink;
        this.page = resource("driver.html");
        this.script = resource("driver.js");
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(6, r -> {
            Thread t = new Thread(r, "browser-driver-http-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = DriverPageServer.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("driver resource " + RESOURCE_DIR + name + " is not on the test class path");
            }
            return in.readAllBytes();
        }
    }

    /** The page's URL. */
    String pageUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/driver.html";
    }

    /** Queues a command for the page's next poll. */
    void enqueue(ObjectNode command) {
        commands.add(command);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (method.equals("GET") && path.equals("/driver.html")) {
                respond(ex, 200, "text/html; charset=utf-8", page);
            } else if (method.equals("GET") && path.equals("/driver.js")) {
                respond(ex, 200, "text/javascript; charset=utf-8", script);
            } else if (method.equals("POST") && path.equals("/poll")) {
                drainBody(ex);
                poll(ex);
            } else if (method.equals("POST") && path.equals("/out")) {
                byte[] body = readBody(ex);
                JsonNode batch = json.readTree(body);
                if (!batch.isArray()) {
                    respond(ex, 400, "text/plain", "expected a JSON array".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                // One batch at a time so that messages reach the sink in the page's order.
                synchronized (outLock) {
                    for (JsonNode m : batch) {
                        sink.accept(m);
                    }
                }
                respond(ex, 204, null, null);
            } else {
                respond(ex, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            }
        } catch (RuntimeException e) {
            // A handler must never leave the exchange hanging; the page sees 500 and retries or fails.
            try {
                respond(ex, 500, "text/plain", String.valueOf(e).getBytes(StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException ignored) {
                // response already started
            }
        }
    }

    private void poll(HttpExchange ex) throws IOException {
        ObjectNode first;
        try {
            first = commands.poll(POLL_HOLD.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            first = null;
        }
        if (first == null) {
            respond(ex, 204, null, null);
            return;
        }
        List<ObjectNode> drained = new ArrayList<>();
        drained.add(first);
        commands.drainTo(drained);
        ArrayNode array = json.createArrayNode();
        drained.forEach(array::add);
        respond(ex, 200, "application/json", json.writeValueAsBytes(array));
    }

    private static void drainBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }

    private static byte[] readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new IOException("request body over " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        }
    }

    private static void respond(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        if (contentType != null) {
            ex.getResponseHeaders().set("Content-Type", contentType);
        }
        if (body == null || body.length == 0) {
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("driver HTTP threads did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
