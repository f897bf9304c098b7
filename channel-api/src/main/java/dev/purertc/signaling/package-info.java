/**
 * Signaling: a WebSocket relay that passes session information (descriptions, candidates,
 * call/answer/hang-up) between users by id, a Java client for it, and the browser client module it
 * serves. The relay carries only signaling; media and data go peer to peer.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link dev.purertc.signaling.SignalingServer} (Netty; 127.0.0.1 and an ephemeral port by
 *       default, configured by {@link dev.purertc.signaling.SignalingServerOptions}): WebSocket at
 *       {@code /ws}, and {@code GET /purertc-signaling.js} (the browser module, ES module, no build
 *       step) on the same port.</li>
 *   <li>{@link dev.purertc.signaling.SignalingClient}: Java client with a CompletableFuture API.</li>
 *   <li>{@link dev.purertc.signaling.RoomSignaling}: connects {@code dev.purertc.rooms.WebRtcRooms} to
 *       other users through a client (call / answer / candidate / reject / hangup).</li>
 *   <li>{@link dev.purertc.signaling.GraphscriptCalls}: the same for graphscript pages, in the calls
 *       graphscript's examples make ({@code receiveCallInformation}, {@code answerPeer}).</li>
 *   <li>{@code dev.purertc.signaling.demo.DemoMain}: the demo (server + page at {@code /} + a Java
 *       peer {@code javapeer}).</li>
 *   <li>{@code purertc-signaling.js}: {@code SignalingClient} (same calls as the Java one),
 *       {@code WebRtcRooms} (openRTC / answerPeer / addIceCandidate / receiveCallInformation /
 *       answerCall / rejectCall / terminate; each room has send / post / run / request / subscribe /
 *       unsubscribe / terminate with graphscript's data-channel wire format), and {@code callUser} /
 *       {@code answerCalls} gluing the two with the messages below.</li>
 * </ul>
 *
 * <h2>Wire format, PureRTC dialect</h2>
 * Every frame is one JSON object in a text frame. On connect the server sends
 * {@code {"route":"setId","args":"socket7"}} (graphscript's WSSbackend does the same, so graphscript
 * pages learn their socket id). Then:
 * <pre>
 * → {"type":"register","user":"alice","id":"r1"}
 * ← {"type":"registered","user":"alice","connection":"socket7","id":"r1"}
 * → {"type":"call","to":"bob","room":"rtc1","description":{...},"id":"r2"}      (alice)
 * ← {"type":"ack","id":"r2"}                                                  (alice)
 * ← {"type":"call","from":"alice","to":"bob","room":"rtc1","description":{...}}  (bob)
 * </pre>
 * Relayed types: {@code call, answer, description, candidate, hangup, reject, message}. Fields other
 * than {@code type}, {@code from}, {@code id} are forwarded unchanged; {@code from} is set by the
 * server to the sender's registered user, and a message that names another {@code from} is refused.
 * {@code id} (any JSON value) is optional; with it the server answers {@code ack} or an error carrying
 * the same {@code id}. Errors: {@code {"type":"error","code":"unknown-user","message":"...","id":...}},
 * codes in {@link dev.purertc.signaling.SignalingErrorCode}.
 *
 * <h2>Wire format, graphscript 0.3.12 dialect (verified in the npm package and its repository)</h2>
 * <ul>
 *   <li>Registration: {@code Router.addUser(info, {ws:{connection}})} (src/services/router/Router.ts,
 *       {@code addUser}, the {@code user.send} at its end) sends
 *       {@code {"route":"addUser","args":[{"_id":"user123"},{"0":"socket7"},null,true]}}. The relay binds
 *       the user to the sending connection; connection ids other than the sender's are refused.</li>
 *   <li>Calls between users go through the server's {@code Router.runConnection(userId, method, args,
 *       connectionId?)} (Router.ts {@code runConnection}); the page's
 *       {@code user.run('runConnection', [...])} travels as WSSfrontend's {@code run}
 *       (src/services/wss/WSS.browser.ts, {@code openWS}/{@code run}):
 *       {@code {"route":"runRequest","args":[{"route":"runConnection","args":["bob","run",
 *       ["receiveCallInformation",{"_id":"rtc42","description":"<URL-encoded JSON>","caller":"user123",
 *       "remoteId":"socket7"}]]},"socket7",0.8123]}} (callbackId is {@code Math.random()}). This is
 *       how graphscript's webrtc examples hand over calls (the call settings in its
 *       examples/advanced/webrtc/components: {@code onicecandidate} runs {@code runAll} of
 *       {@code receiveCallInformation} with {@code {_id, candidates:{[cid]:candidate}}}; the caller
 *       posts {@code receiveCallInformation} with the description; the callee runs
 *       {@code answerPeer} with {@code [rtcId, {description, caller, remoteId}]} on the caller;
 *       {@code negotiateCall} with {@code [rtcId, encodedDescription]}; {@code postAll}
 *       {@code cleanupCallInfo}). The relay forwards {@code run}/{@code runAll} as
 *       {@code {"route":"runRequest","args":[{"route":R,"args":A},"<target socket>","relay9"],"from":"user123"}};
 *       the target answers as WSSfrontend's {@code runRequest} does, {@code {"args":result,"callbackId":"relay9"}},
 *       and the caller gets {@code {"args":result,"callbackId":0.8123,"from":"bob"}} (the callbackId
 *       echoed exactly, numbers included; {@code runAll} wraps the result in an array as
 *       {@code Promise.all} does). {@code post}/{@code postAll} forward {@code {"route":R,"args":A,"from":...}}
 *       and {@code send}/{@code sendAll} forward the object plus {@code from}; the caller gets
 *       {@code {"callbackId":...}} (graphscript resolves undefined). {@code request} forwards the
 *       message as the runRequest's first argument. The same {@code runConnection} may arrive
 *       posted, {@code {"route":"runConnection","args":[...]}}, with no answer to the caller.</li>
 *   <li>Stamping in this dialect: forwarded messages get {@code "from"}; a {@code caller} that is
 *       not the sender's user, a {@code remoteId} or runRequest socket id that is not the sender's
 *       connection, are refused ({@code impersonation}). Errors to a graphscript request carry its
 *       {@code callbackId} and {@code args:{"error","message"}}, so the page's pending promise
 *       resolves instead of hanging. subscribe/unsubscribe/terminate through the server are not
 *       relayed ({@code unknown-route}); graphscript subscribes over the data channel.</li>
 *   <li>Checked by running graphscript 0.3.12's own {@code WSSfrontend} (its npm ESM build, in node
 *       with {@code --experimental-websocket} and DOM globals stubbed) against this server: it takes
 *       its id from {@code setId}, registers with the {@code addUser} message, its {@code run} of
 *       {@code runConnection} {@code runAll receiveCallInformation} resolved with {@code ["rtc1"]} from a
 *       Java client, a forged {@code caller} resolved with the impersonation error, and
 *       {@code postAll} reached the Java route. (The calls were made on the socket's own
 *       {@code run}/{@code send}, which is what {@code Router.addUser} and {@code user.run} end in; in
 *       that node setup {@code Router.getConnection} did not find the socket, so the Router layer itself
 *       is left to the browser test.)</li>
 * </ul>
 *
 * <h2>Limits (hostile input changes nothing)</h2>
 * Malformed JSON, non-objects, unknown types/routes/users, a second or taken user id, impersonation:
 * an error reply, no state change. Messages above {@code maxFrameBytes} (one frame, or fragments
 * together): the connection is closed with 1009. Each connection has at most
 * {@code maxQueuedMessages} messages written and not yet taken by its socket: a message relayed to a
 * full queue is refused to its sender ({@code peer-congested}); a connection that floods without
 * reading its own replies is closed with 1008. At most {@code maxPendingRequests} relayed graphscript
 * requests per connection wait for answers, each for at most {@code relayTimeout}. Upgrades may be
 * limited by an {@code Origin} allow-list (403) and a {@link dev.purertc.signaling.TokenValidator}
 * on the {@code token} query parameter (401).
 *
 * <h2>Threading</h2>
 * The server runs one acceptor thread and {@code workerThreads} Netty event loops; each
 * connection's messages are handled in order on its loop; relaying writes to the target's channel
 * from the sender's loop (Netty writes are thread-safe). {@code close()} on server or client returns
 * once their event loop threads have stopped. Client callbacks run on the client's loop thread.
 */
package dev.purertc.signaling;
