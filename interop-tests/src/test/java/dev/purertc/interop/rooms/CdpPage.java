package dev.purertc.interop.rooms;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One Chromium tab driven through the DevTools protocol: {@link #eval(String)} runs a JavaScript
 * expression in the page (promises awaited, the result returned by value as JSON), and
 * {@link #waitFor(String, Duration)} waits, bounded, until an expression is truthy. Page console
 * output and uncaught exceptions are collected for failure messages ({@link #console()}).
 */
final class CdpPage implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_BOUND = Duration.ofSeconds(60);

    private final String url;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> console = java.util.Collections.synchronizedList(new ArrayList<>());

    private CdpPage(String url, WebSocket socket) {
        this.url = url;
        this.socket = socket;
    }

    static CdpPage connect(HttpClient http, URI devtools, String url) {
        Listener listener = new Listener();
        WebSocket ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(devtools, listener).orTimeout(15, TimeUnit.SECONDS).join();
        CdpPage page = new CdpPage(url, ws);
        listener.page = page;
        page.command("Runtime.enable", JSON.createObjectNode());
        return page;
    }

    /**
     * Evaluates {@code expression} in the page and returns its value (a promise is awaited); a thrown
     * error or rejected promise becomes {@link PageException} with the page's description of it.
     */
    JsonNode eval(String expression) {
        ObjectNode params = JSON.createObjectNode();
        params.put("expression", expression);
        params.put("awaitPromise", true);
        params.put("returnByValue", true);
        JsonNode result = command("Runtime.evaluate", params);
        JsonNode details = result.get("exceptionDetails");
        if (details != null) {
            JsonNode ex = details.path("exception");
            String text = ex.has("description") ? ex.get("description").asText()
                    : ex.has("value") ? ex.get("value").toString() : details.path("text").asText();
            throw new PageException(text, expression, consoleTail());
        }
        JsonNode value = result.path("result").get("value");
        return value == null ? JSON.nullNode() : value;
    }

    /** Waits until {@code condition} (a JavaScript expression) is truthy in the page; returns its value. */
    JsonNode waitFor(String condition, Duration bound) throws InterruptedException {
        return waitFor(condition, bound, null);
    }

    /**
     * As {@link #waitFor(String, Duration)}; on timeout the failure also carries the value of {@code explain}
     * (a JavaScript expression, possibly a promise, evaluated once then), e.g. connection states and getStats.
     */
    JsonNode waitFor(String condition, Duration bound, String explain) throws InterruptedException {
        try {
            return waitForCondition(condition, bound);
        } catch (AssertionError timeout) {
            if (explain == null) {
                throw timeout;
            }
            String explained;
            try {
                explained = eval(explain).toString();
            } catch (RuntimeException e) {
                explained = "(could not explain: " + e.getMessage() + ")";
            }
            throw new AssertionError(timeout.getMessage() + "\npage explains: " + explained, timeout);
        }
    }

    private JsonNode waitForCondition(String condition, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        String last = "never evaluated";
        while (System.nanoTime() < deadline) {
            try {
                JsonNode v = eval("(() => { try { return (" + condition + ") || null; } catch (e) { return null; } })()");
                if (!v.isNull() && !(v.isBoolean() && !v.asBoolean())) {
                    return v;
                }
                last = "falsy";
            } catch (PageException e) {
                last = e.getMessage(); // e.g. the page navigated while we asked
            }
            Thread.sleep(50);
        }
        throw new AssertionError("page " + url + ": `" + condition + "` not true within " + bound + " (" + last + ")\n"
                + consoleTail());
    }

    /**
     * Waits (bounded) until the RTCPeerConnection that {@code pcExpression} names lists a signalled remote
     * candidate of type host at 127.0.0.1 in its getStats(), i.e. a candidate the other side trickled was
     * applied (a connection may still have been made first through a peer-reflexive one, which is normal
     * ICE), and returns how many such candidates there are.
     */
    int awaitRemoteLoopbackHostCandidates(String pcExpression, Duration bound) throws InterruptedException {
        return waitFor("(async () => { const st = await (" + pcExpression + ").getStats(); let n = 0;"
                + " st.forEach((s) => { if (s.type === 'remote-candidate' && s.candidateType === 'host' && s.address === '127.0.0.1') n++; });"
                + " return n > 0 && n; })()", bound).asInt();
    }

    /** Console lines and uncaught exceptions of the page so far. */
    List<String> console() {
        synchronized (console) {
            return List.copyOf(console);
        }
    }

    String consoleTail() {
        List<String> lines = console();
        return "page console (last lines):\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** A PNG screenshot of the element {@code id}'s box, as Chromium renders it. */
    byte[] screenshot(String id) {
        JsonNode box = eval("(() => { const r = document.getElementById('" + id + "').getBoundingClientRect();"
                + " return { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height }; })()");
        ObjectNode clip = JSON.createObjectNode();
        clip.put("x", box.get("x").asDouble());
        clip.put("y", box.get("y").asDouble());
        clip.put("width", box.get("width").asDouble());
        clip.put("height", box.get("height").asDouble());
        clip.put("scale", 1);
        ObjectNode params = JSON.createObjectNode();
        params.put("format", "png");
        params.put("captureBeyondViewport", true);
        params.set("clip", clip);
        return java.util.Base64.getDecoder().decode(command("Page.captureScreenshot", params).get("data").asText());
    }

    private JsonNode command(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", params);
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            socket.sendText(msg.toString(), true).get(10, TimeUnit.SECONDS);
            JsonNode r = reply.get(CALL_BOUND.toSeconds(), TimeUnit.SECONDS);
            if (r.has("error")) {
                throw new PageException("DevTools error " + r.get("error"), method, consoleTail());
            }
            return r.path("result");
        } catch (TimeoutException e) {
            throw new AssertionError("page " + url + ": no DevTools answer to " + method + " " + params + " within "
                    + CALL_BOUND + "\n" + consoleTail(), e);
        } catch (ExecutionException e) {
            throw new AssertionError("page " + url + ": DevTools connection failed during " + method, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            pending.remove(id);
        }
    }

    private void onMessage(String text) {
        JsonNode msg;
        try {
            msg = JSON.readTree(text);
        } catch (java.io.IOException e) {
            console.add("(unreadable DevTools message " + text + ")");
            return;
        }
        if (msg.has("id")) {
            CompletableFuture<JsonNode> f = pending.get(msg.get("id").asInt());
            if (f != null) {
                f.complete(msg);
            }
            return;
        }
        String method = msg.path("method").asText();
        JsonNode p = msg.path("params");
        if (method.equals("Runtime.consoleAPICalled")) {
            StringBuilder line = new StringBuilder(p.path("type").asText()).append(':');
            for (JsonNode a : p.path("args")) {
                line.append(' ').append(a.has("value") ? a.get("value").asText() : a.path("description").asText());
            }
            console.add(line.toString());
        } else if (method.equals("Runtime.exceptionThrown")) {
            JsonNode d = p.path("exceptionDetails");
            console.add("uncaught: " + d.path("exception").path("description").asText(d.path("text").asText()));
        }
    }

    @Override
    public void close() {
        socket.abort();
    }

    /** A JavaScript error thrown (or a promise rejected) while evaluating an expression. */
    static final class PageException extends RuntimeException {
        PageException(String pageError, String expression, String console) {
            super(pageError + "\n  while evaluating: " + abbreviate(expression) + "\n" + console);
        }

        private static String abbreviate(String s) {
            return s.length() <= 300 ? s : s.substring(0, 300) + "…";
        }
    }

    private static final class Listener implements WebSocket.Listener {
        volatile CdpPage page;
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                CdpPage p = page;
                if (p != null) {
                    p.onMessage(text);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
