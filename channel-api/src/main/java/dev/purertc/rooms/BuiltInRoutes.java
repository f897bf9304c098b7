package dev.purertc.rooms;

import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The routes every graphscript service answers without registering them, as a room's peer may call
 * them: {@code ping} answers {@code "pong"}; {@code echo} answers its arguments as the array a
 * JavaScript rest parameter makes of them (an array stays that array, no arguments give {@code []},
 * one non-array argument gives {@code [it]}). graphscript's {@code echo} also transmits its first
 * argument back as a plain message; PureRTC does not, since the reply already carries it and the extra
 * message would land in the peer's {@code ondata}. A route registered under either name in
 * {@link ServiceRoutes} replaces the built-in one. Stateless.
 */
final class BuiltInRoutes {

    static final String PING = "ping";
    static final String ECHO = "echo";

    private BuiltInRoutes() {
    }

    static boolean answers(String route) {
        return PING.equals(route) || ECHO.equals(route);
    }

    static CompletableFuture<JsonNode> run(String route, JsonNode args) {
        if (PING.equals(route)) {
            return CompletableFuture.completedFuture(TextNode.valueOf("pong"));
        }
        if (args.isArray()) {
            return CompletableFuture.completedFuture(args);
        }
        ArrayNode spread = GraphscriptJson.MAPPER.createArrayNode();
        if (!args.isMissingNode()) {
            spread.add(args);
        }
        return CompletableFuture.completedFuture(spread);
    }
}
