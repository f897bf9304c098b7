package dev.purertc.rooms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * One call of a route: its name, the {@code method} the message carried (or null), its
 * {@code args} exactly as received, and where it came from.
 *
 * <p>Positional arguments follow graphscript's {@code handleServiceMessage}: when {@code args} is a
 * JSON array its elements are the arguments ({@code {"route":"add","args":[1,2]}} is add(1, 2)),
 * otherwise {@code args} itself is the single argument.
 *
 * @param route  the route name
 * @param method the message's {@code method}, or null
 * @param args   the {@code args} value; {@link MissingNode} when the message had none
 * @param remote true when a remote peer sent the call
 * @param room   the room the message arrived in, or null (a local call, or an engine without a room)
 */
public record RouteCall(String route, String method, JsonNode args, boolean remote, Room room) {

    public RouteCall {
        if (args == null) {
            args = MissingNode.getInstance();
        }
    }

    /** The number of positional arguments. */
    public int argCount() {
        if (args.isMissingNode()) {
            return 0;
        }
        return args.isArray() ? args.size() : 1;
    }

    /** Positional argument {@code index} as JSON; {@link MissingNode} past the end. */
    public JsonNode arg(int index) {
        if (args.isArray()) {
            return args.path(index);
        }
        return index == 0 ? args : MissingNode.getInstance();
    }

    /**
     * Positional argument {@code index} converted with Jackson.
     *
     * @throws IllegalArgumentException when it is missing or does not convert (a bad-arguments error
     *                                  reply to a remote caller)
     */
    public <T> T arg(int index, Class<T> type) {
        JsonNode node = arg(index);
        if (node.isMissingNode()) {
            throw new IllegalArgumentException("argument " + index + " of " + route + " is missing");
        }
        try {
            return GraphscriptJson.MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("argument " + index + " of " + route + " is not a "
                    + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** The whole {@code args} value converted with Jackson (e.g. to a record or a List). */
    public <T> T argsAs(TypeReference<T> type) {
        try {
            return GraphscriptJson.MAPPER.readerFor(type).readValue(args);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("args of " + route + " do not convert: " + e.getMessage(), e);
        }
    }
}
