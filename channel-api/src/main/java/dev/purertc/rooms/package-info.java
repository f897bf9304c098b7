/**
 * graphscript-compatible rooms: {@link dev.purertc.rooms.WebRtcRooms} (graphscript 0.3.12's
 * {@code WebRTCfrontend}), {@link dev.purertc.rooms.Room} (its {@code WebRTCInfo}),
 * {@link dev.purertc.rooms.RoomOptions} (its {@code WebRTCProps}) and the service messages rooms carry,
 * answered from {@link dev.purertc.rooms.ServiceRoutes} by a {@link dev.purertc.rooms.ServiceEngine}
 * that works over any {@link dev.purertc.rooms.MessageTransport}.
 *
 * <h2>Wire format (verified against graphscript 0.3.12's source, npm package)</h2>
 * All messages are JSON text on the service channel. {@code R} a route, {@code A} its args, {@code M}
 * a method, {@code ID} the room id, {@code CB} a callbackId (opaque: number or string, echoed exactly).
 * <ul>
 *   <li>{@code post(R, A, M?)}: {@code {"route":R,"args":A,"method":M}}; absent args or method are left
 *       out, as {@code JSON.stringify} drops undefined ({@code WebRTC.browser.ts}, {@code openRTC}'s
 *       {@code post}).</li>
 *   <li>{@code run(R, A, M?)}: {@code {"route":"runRequest","args":[{"route":R,"args":A,"method":M},ID,CB]}}
 *       (graphscript: {@code openRTC}'s {@code run}, CB = {@code Math.random()}).</li>
 *   <li>{@code request(msg, M?)}: {@code {"route":"runRequest","args":[msg,ID,CB]}} (graphscript:
 *       {@code openRTC}'s {@code request}, which adds M to the outer message where the receiver's
 *       {@code handleMethod('runRequest', M)} drops it; PureRTC sends M inside a copy of msg and accepts
 *       both placements).</li>
 *   <li>reply: {@code {"args":result,"callbackId":CB}}, no {@code args} for an undefined/null result
 *       ({@code runRequest} in {@code WebRTC.browser.ts}). Matched by CB; graphscript compares with
 *       {@code ===}.</li>
 *   <li>error reply (PureRTC; graphscript has none, its callers wait forever):
 *       {@code {"error":{"code":"NOT_FOUND|BAD_ARGUMENTS|BAD_REQUEST|FAILED","message":"..."},"callbackId":CB}};
 *       a graphscript caller resolves with undefined.</li>
 *   <li>{@code subscribe(R, cb, args?, key?, subInput?, channelId?)}: a request whose message is
 *       {@code {"route":"subscribeRTC","args":[R,ID,args,key,subInput,channelId]}} (undefined elements
 *       written as null; channelId defaults to the first channel's label) whose reply's args is the
 *       subscription number; then pushes {@code {"args":output,"callbackId":R}}
 *       ({@code subscribeToRTC} and {@code subscribeRTC}). With a {@code key}, the subscriber hears that
 *       key of the route only (graphscript's node property): values given to
 *       {@link dev.purertc.rooms.ServiceRoutes#publish(String, String, Object)} and that field of an
 *       object output; the pushes carry {@code callbackId} R all the same, as graphscript's do.</li>
 *   <li>Built in, as in every graphscript service: {@code ping} answers {@code "pong"}, {@code echo}
 *       answers its arguments as an array ({@code BuiltInRoutes}); a registered route
 *       of the same name replaces them.</li>
 *   <li>{@code unsubscribe(R, sub)}: {@code run("unsubscribe", [R, sub])}, reply args a boolean.</li>
 *   <li>Incoming {@code {"route":R,"args":A}} runs R; an array A is spread into positional arguments
 *       ({@code Service.handleServiceMessage}); {@code node} is accepted for {@code route}.</li>
 *   <li>Descriptions and candidates travel as {@code encodeURIComponent(JSON.stringify(x))}
 *       ({@code createOffer}, {@code createAnswer}, {@code negotiateCall}); the browser shapes are
 *       {@code {"type","sdp"}} and {@code {"candidate","sdpMid","sdpMLineIndex","usernameFragment"}}.</li>
 * </ul>
 *
 * <p>Verified by replay: {@code graphscript-0.3.12-messages.json} in the test resources holds messages
 * written and answers given by graphscript's own code (captured with a stubbed RTCPeerConnection by
 * {@code capture-graphscript-messages.mjs}); {@code GraphscriptWireFixtureTest} answers the former and
 * sends byte for byte the requests that produced the latter. One graphscript 0.3.12 fact to know: its
 * {@code subscribeToRTC} tests {@code res.callbackId} on the raw message string, so pushes arriving
 * over a data channel never reach a graphscript subscriber's callback (the subscription itself works;
 * a page must watch {@code service.__node.state} for the room id and parse the message itself).
 *
 * <h2>Where PureRTC does better than graphscript</h2>
 * Replies and timeouts always remove their listener (graphscript's room {@code request}/{@code run}
 * unsubscribe from a node that does not exist, leaking one state listener per call); message text is
 * never altered (graphscript's {@code receive} deletes every backslash of a message whose first
 * characters contain one); remote peers may call only routes registered as remote-callable (an
 * allow-list); remote candidates that arrive before the description are kept; a room's {@code ondata}
 * gets service messages only when asked ({@code RoomOptions.Builder.onDataTakesServiceMessages}, which
 * is graphscript's behaviour for a room with an {@code ondata}); {@code terminate} fires
 * {@code onclose}; so does a room whose every channel closed (the peer went away).
 *
 * <h2>Calls that strangers can reach</h2>
 * Whoever can reach a peer through signaling can send it call information. Generated room ids carry
 * 128 random bits ({@link dev.purertc.rooms.RoomIds}; graphscript uses 15 {@code Math.random()} digits).
 * Information kept for rooms not open yet (offers waiting to be answered, candidates that came before
 * their call) is bounded in all, per caller and per room, and expires
 * ({@link dev.purertc.rooms.PendingCallLimits}); past the bounds it is refused with a
 * {@link dev.purertc.rooms.CallRefusedException} whose {@link dev.purertc.rooms.CallRefusal} names the
 * reason on the wire. The signaling bridges in {@code dev.purertc.signaling} bind every room to one
 * peer and bound the calls they answer.
 *
 * <h2>Threads</h2>
 * Room callbacks, route handlers and the completion of the futures a room returns run on the peer
 * connection's event loop: never block there (return a {@code CompletionStage} from a slow route). Request
 * timeouts run on one shared daemon thread ({@code purertc-rooms-timeouts}) unless a
 * {@link dev.purertc.rooms.TimeoutScheduler} is given.
 *
 * <h2>Not supported</h2>
 * SubscribeRTC's {@code args} (arguments bound to a graphscript callback node) are
 * accepted and ignored. Media (tracks, streams) is outside PureRTC: a later offer with media sections
 * is answered with them rejected (port 0). A second description for an open room is applied as
 * {@code RTCPeerConnection} applies it (renegotiation, ICE restart); graphscript's {@code negotiateCall}
 * is served, and sent, by {@link dev.purertc.signaling.GraphscriptCalls}; PureRTC's own dialect renegotiates
 * with {@code description} messages through {@link dev.purertc.signaling.RoomSignaling}. Rooms of both
 * bridges restart ICE through the relay by themselves when their connection becomes {@code disconnected}
 * while signaling is up (the caller starts it; the rule is {@code AutoIceRestart}).
 */
package dev.purertc.rooms;
