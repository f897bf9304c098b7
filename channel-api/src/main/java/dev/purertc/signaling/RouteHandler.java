package dev.purertc.signaling;

import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Answers a graphscript-style call that another user relayed through the server
 * ({@code runConnection} with {@code run}/{@code post}, e.g. {@code receiveCallInformation} or
 * {@code answerPeer}). Called on the client's event loop thread; return a completed stage for
 * synchronous answers and do not block.
 */
@FunctionalInterface
public interface RouteHandler {

    /**
     * @param args the {@code args} of the call (null when absent), as graphscript sent them
     * @param from the calling user, stamped by the server
     * @return the result sent back as {@code {"args": result, "callbackId": ...}}; for a post it is
     *         discarded
     */
    CompletionStage<JsonNode> handle(JsonNode args, String from);
}
