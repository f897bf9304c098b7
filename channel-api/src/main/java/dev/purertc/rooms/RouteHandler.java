package dev.purertc.rooms;

/**
 * A route that service messages can call. Return the result value (converted to JSON with Jackson),
 * or a {@link java.util.concurrent.CompletionStage} of it for an asynchronous route; {@code null}
 * means "no result" (graphscript's {@code undefined}: the reply then has no {@code args}).
 *
 * <p>A handler that throws, or whose stage fails, produces an error reply to a remote caller
 * ({@link ServiceError}). Handlers run on the thread that delivered the message: for a room, the
 * connection's event loop, so a handler must not block; return a stage for slow work.
 */
@FunctionalInterface
public interface RouteHandler {

    Object handle(RouteCall call) throws Exception;
}
