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
 *   <li>{@code purertc-signaling.js}: {@code SignalingClient} (same calls as the Java one, presence
 *       included, and with {@code reconnect: true} what {@code ResumingSignalingClient} does),
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
 * ← {"type":"registered","user":"alice","connection":"socket7","secret":"q3F0…22 chars","id":"r1"}
 * → {"type":"call","to":"bob","room":"rtc1","description":{...},"id":"r2"}      (alice)
 * ← {"type":"ack","id":"r2"}                                                  (alice)
 * ← {"type":"call","from":"alice","to":"bob","room":"rtc1","description":{...}}  (bob)
 * </pre>
 * Relayed types: {@code call, answer, description, candidate, hangup, reject, message}. Fields other
 * than {@code type}, {@code from}, {@code id} are forwarded unchanged; {@code from} is set by the
 * server to the sender's registered user, and a message that names another {@code from} is refused.
 * {@code id} (any JSON value) is optional; with it the server answers {@code ack} or an error carrying
 * the same {@code id}. Errors: {@code {"type":"error","code":"unknown-user","message":"...","id":...}},
 * codes in {@link dev.purertc.signaling.SignalingErrorCode}. The {@code secret} of the {@code registered}
 * reply re-claims the id from a new connection while the server reserves it after a disconnection:
 * {@code {"type":"register","user":"alice","secret":"q3F0…"}} (see Identity below); graphscript's
 * {@code addUser} may carry it as {@code {"_id":"alice","secret":"…"}}.
 *
 * <h2>Renegotiation and ICE restart in rooms</h2>
 * An open room renegotiates (JSEP RFC 8829 §5.2.2) with {@code description} messages bound to its peer like
 * the others: an offer is answered with a {@code description} carrying the answer.
 * <pre>
 * → {"type":"description","to":"bob","room":"rtc1","description":{"type":"offer","sdp":"..."}}    (alice)
 * ← {"type":"description","from":"bob","to":"alice","room":"rtc1","description":{"type":"answer","sdp":"..."}}
 * </pre>
 * Glare follows perfect negotiation: the callee (polite) rolls its own offer back and answers, the caller
 * (impolite) ignores the colliding offer; an offer unanswered for 10 s is rolled back. In graphscript's
 * dialect the same happens through {@code run negotiateCall [_id, description]}, whose result is the answer.
 * In both, a room whose connection becomes {@code disconnected} while the bridge's signaling is up restarts
 * ICE (RFC 8445 §9) by itself, the caller starting (so two restart offers never collide), and the
 * restart offer goes through the relay like any renegotiation ({@code AutoIceRestart}). The browser
 * module's rooms of {@code callUser}/{@code answerCalls} do the same ({@code WebRtcRooms.applyRenegotiation},
 * {@code restartIceIfDisconnected}).
 *
 * <h2>Calls between users: whose signal counts</h2>
 * {@link dev.purertc.signaling.RoomSignaling}, {@link dev.purertc.signaling.GraphscriptCalls} and the
 * browser module's {@code callUser}/{@code answerCalls} bind each room to one peer: the callee of a call
 * made, the caller of a call accepted (the first accepted call binds the id). An {@code answer},
 * {@code candidate}, {@code hangup} or {@code reject} (graphscript: {@code answerPeer}, call information)
 * acts only when the server-stamped {@code from} is that peer; from anyone else it is ignored (graphscript:
 * answered {@code {"error":"room-in-use"}}). A {@code call} that reuses a bound room id is refused:
 * <pre>
 * ← {"type":"reject","from":"bob","room":"rtc…","reason":"room-in-use","message":"room rtc… is in use"}
 * </pre>
 * Reasons ({@code dev.purertc.rooms.CallRefusal}): {@code declined}, {@code room-in-use},
 * {@code too-many-calls}, {@code too-many-calls-from-user}, {@code invalid-offer},
 * {@code too-many-pending-calls}. A bridge that answers calls holds at most
 * {@link dev.purertc.signaling.CallLimits} (32 in all, 4 per calling user) and hangs up a call that has
 * not connected within 30 s. Room ids are {@code rtc} + 128 random bits in hex.
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
 * <h2>Exposure and identity</h2>
 * <ul>
 *   <li>Bind: 127.0.0.1 by default. {@code SignalingServer.start} refuses any other address
 *       ({@link dev.purertc.signaling.UnauthenticatedBindException}, before binding) unless a
 *       {@link dev.purertc.signaling.TokenValidator} is configured or the operator sets
 *       {@code allowUnauthenticatedNonLoopback(true)}, which is logged as a warning at start.</li>
 *   <li>Tokens: the validator reads the {@code token} query parameter of the upgrade URL and returns a
 *       {@link dev.purertc.signaling.TokenGrant} naming the user ids the connection may register. An empty
 *       grant refuses the upgrade (401); registering an id outside the grant is refused with
 *       {@code user-not-granted}, in both dialects.</li>
 *   <li>Freed ids: when a connection closes, its ids stay reserved for {@code userIdReservation}
 *       (60 s) for the same client: a register carrying the {@code secret} from its {@code registered}
 *       reply (128 bits from {@code SecureRandom}), or a connection with the same token. Anyone else gets
 *       {@code user-reserved}, so the tail of a call setup, or the next call, cannot land on whoever grabs
 *       the id first. Messages to the id are held for the client when its connection was cut
 *       ({@code HeldMessages}: 64 messages and 256 KiB per user, 16 MiB per server; the sender's ack waits
 *       for the delivery, {@code user-gone} if the client does not come back, {@code peer-congested} past
 *       the bound) and answered {@code unknown-user} when the client closed the connection itself. After the reservation the
 *       id is free again: without a validator the server has no notion of identity beyond that window (it is
 *       meant for loopback and trusted networks); with one, the grant decides. Ids are never bound forever,
 *       so a client that lost its secret (a reloaded page) gets its id back after at most the reservation,
 *       and the reservation table stays bounded by the disconnections of one reservation period.</li>
 *   <li>Enumeration: lookups of ids nobody holds (a message or graphscript call to an unknown user, a
 *       register refused as {@code user-taken} or {@code user-reserved}) cost a token of a per-connection
 *       bucket ({@code unknownUserBurst} 10, one back per {@code unknownUserRefill} 1 s). While it is empty
 *       every lookup from that connection, known or unknown, is refused with {@code rate-limited} before
 *       the user table is read, so the refusals tell nothing apart. A reserved id and an unknown one are
 *       answered alike ({@code unknown-user}: neither can receive), except an id whose client's connection
 *       was cut less than a reservation ago, whose messages are held: that reveals only an id in use a
 *       moment ago, to a sender who names it. {@code peer-congested} stays distinct:
 *       it tells a sender to slow down and retry, and it only reveals users that stopped reading.</li>
 *   <li>Origin (RFC 6455 §10.2): same-origin by default. A browser's {@code Origin} must have the host
 *       and port of the request's {@code Host} header (or of the bound address when there is none);
 *       {@code allowedOrigins} adds exact origins, {@code "*"} allows all. A request without
 *       {@code Origin} is not from a browser and is allowed (the token check applies to it). On a loopback
 *       bind a browser's {@code Host} must be a loopback literal or {@code localhost}, which defeats DNS
 *       rebinding. Refusal: 403.</li>
 * </ul>
 *
 * <h2>Limits (hostile input changes nothing), with their defaults and why</h2>
 * Malformed JSON, non-objects, unknown types/routes/users, a second or taken user id, impersonation:
 * an error reply, no state change.
 * <ul>
 *   <li>{@code maxFrameBytes} 65536: a session description with many candidates is a few KiB; 64 KiB
 *       leaves room for graphscript payloads and is Netty's usual frame bound. Larger: closed with 1009.</li>
 *   <li>{@code handshakeTimeout} 10 s, from TCP accept to a completed upgrade: a browser on a slow mobile
 *       link upgrades in well under a second or two (two round trips); a connection that sends nothing or
 *       trickles an endless request (slowloris) is closed, so one held socket costs an attacker a new
 *       connection every 10 s.</li>
 *   <li>{@code idleTimeout} 60 s with {@code pingInterval} 20 s: the server pings after 20 s of silence and
 *       every WebSocket endpoint answers pings by itself (RFC 6455 §5.5.2), so a live client is never idle;
 *       three ping intervals ride out a lost pong or a short stall on a mobile network, and a vanished peer
 *       (its id reserved meanwhile) is dropped 60-65 s after it last sent anything (checked every 5 s).
 *       20 s is below the 30-60 s after which common NAT and proxy mappings expire, so the pings also keep
 *       the path open.</li>
 *   <li>{@code maxConnections} 1000 in all: each connection is one file descriptor and up to
 *       {@code maxQueuedBytes} of buffered output, so 1000 bounds the server at about a thousand
 *       descriptors and, in the worst case of every client refusing to read, 512 MiB of queued output
 *       (in practice far less: writers pause at half). It is more than a small signaling server serves,
 *       since it carries call setup only.</li>
 *   <li>{@code maxConnectionsPerAddress} 32 (IPv6 grouped by /64): a household or small office behind one
 *       NAT with several tabs each stays below it, while one attacker address holds at most about 3 % of
 *       the total. Behind a reverse proxy every client has the proxy's address: raise it there.</li>
 *   <li>{@code maxUsersPerConnection} 1: a page or peer is one user; more ids per socket only help someone
 *       collecting ids.</li>
 *   <li>{@code maxQueuedMessages} 256 and {@code maxQueuedBytes} 512 KiB per connection (messages written
 *       and not yet taken by its socket): a call setup is tens of messages of a few KiB, so a burst of
 *       several calls fits; the byte bound keeps 256 large graphscript messages from costing 16 MiB. At half
 *       of either the writers are paused (see Back-pressure); at either bound a relayed message is refused
 *       with {@code peer-congested}.</li>
 *   <li>{@code congestionStallTimeout} 2 s: how long a sender is paused for a target that takes nothing
 *       from its queue. Long enough for a reading target to show progress through any hiccup of a loaded
 *       machine, short enough that one silent user delays its senders' other messages only briefly.</li>
 *   <li>{@code userIdReservation} 60 s: covers a reconnect after a network change or page reload and the
 *       30 s a relayed request or an ICE consent check may still be in flight for the old connection.</li>
 *   <li>{@code unknownUserBurst} 10 and {@code unknownUserRefill} 1 s: a client calling users who just left
 *       sees a few misses at most; an enumerator gets about 3,600 guesses an hour per connection.</li>
 *   <li>{@code maxPendingRequests} 64 relayed graphscript requests per connection, each waiting at most
 *       {@code relayTimeout} 30 s.</li>
 * </ul>
 *
 * <h2>Back-pressure without lies</h2>
 * A message is reported failed (an error reply with its {@code id}, and so a failed
 * {@code SignalingClient.send} future) if and only if it was not written to the target's connection: when
 * the target is unknown, rate-limited, or its queue is full. An {@code ack} means it was written there
 * and will reach the target's socket in order; the one way an acknowledged message is still lost is the
 * target's connection ending before its socket took it (the target is then gone). A client that reads is never refused or disconnected
 * for a burst: writes within one read are flushed every 16 messages, replies to a connection's own
 * messages are never refused, and instead of refusing, the server stops reading a connection
 * ({@code autoRead} off; already-read messages wait in order) while its own queue, or the queue of a
 * user it just wrote to, is above the high-water mark (half of {@code maxQueuedMessages} or
 * {@code maxQueuedBytes}), and resumes when it is back at a quarter of both. A target that takes
 * nothing for {@code congestionStallTimeout} counts as stalled: its senders resume and messages to it are refused once its queue is full. Only a client that
 * does not read at all is closed: after {@code idleTimeout} in which its paused replies made no progress
 * (1008, "does not read").
 *
 * <h2>Clusters (several server processes, one namespace)</h2>
 * With {@link dev.purertc.signaling.SignalingServerOptions#cluster()} ({@link dev.purertc.signaling.ClusterOptions};
 * {@code SignalingServerMain --redis redis://HOST:PORT --node-id ID}) a server is one node of a cluster that
 * shares users, presence and relay through one Redis server. The pieces, by file: {@code ClusterBus} (what
 * nodes share: the user directory, presence sets, a channel per node and one to all), {@code RedisClusterBus}
 * (it on Redis through Lettuce: keys, Lua scripts, pub/sub, the node heartbeat and the reaping of dead nodes),
 * {@code ClusterRouting} (the router's cross-node part: claims, relays, acknowledgements and pending
 * graphscript requests across nodes). The wire format to clients does not change. Rules:
 * <ul>
 *   <li>An id is held by one node, in Redis ({@code purertc:user:ID}: node, connection, SHA-256 of the
 *       resume secret, never the secret; kept alive by the holding node). It counts only while its node's
 *       lease lives (3 s, refreshed every second), so a killed node's users are unreachable at once and may
 *       resume on any node with their secret (or token); for anyone else the id stays reserved for the rest
 *       of its key's life (40-60 s; after a clean disconnection, {@code userIdReservation}). A client that resumes elsewhere while its old connection is still open
 *       there has that connection closed (4001).</li>
 *   <li>A message to a user on another node is one envelope on that node's channel; envelopes to one node
 *       produced in one event-loop iteration share one publish. The target node answers the ack or the same
 *       error a single node gives ({@code unknown-user}, {@code peer-congested}, {@code user-gone}); a node
 *       that is gone or no longer holds the user sends it on after a fresh lookup (at most twice) or refuses
 *       it. Who holds an id is cached per node (at most 100,000 entries) and forgotten on an owner-changed
 *       broadcast, and entirely after a reconnection to Redis.</li>
 *   <li>graphscript requests to another node wait there (their answer comes back as a result envelope),
 *       counted against the caller's {@code maxPendingRequests} and timed out by the caller's node after
 *       {@code relayTimeout}; a node holds at most 65,536 requests from other nodes.</li>
 *   <li>Presence: members in Redis hashes, events to every node, each delivering to its own members. A dead
 *       node's members are removed (with {@code member-left}) by the first node that sees its lease ended.</li>
 *   <li>Redis unreachable at start: {@link dev.purertc.signaling.ClusterUnavailableException} (nothing bound).
 *       Lost while running: {@code /healthz} answers 503, and what needs Redis is refused with
 *       {@code cluster-unavailable}; Lettuce rejects commands while disconnected (no unbounded queue; at most
 *       65,536 in flight). A node that finds its lease gone (a pause longer than the lease, or Redis
 *       restarted empty) takes it again and records its users and presence again.</li>
 *   <li>A registration, a presence request and the first message to a user of another node wait for one
 *       Redis round trip on the connection's loop (bounded by {@code commandTimeout}, 2 s). Back-pressure
 *       does not cross nodes.</li>
 * </ul>
 * Without a cluster nothing of this is created and no Redis client class is loaded.
 *
 * <h2>Threading</h2>
 * The server runs one acceptor thread and {@code workerThreads} Netty event loops; each
 * connection's messages are handled in order on its loop; relaying writes to the target's channel
 * from the sender's loop (Netty writes are thread-safe). {@code close()} on server or client returns
 * once their event loop threads have stopped. Client callbacks run on the client's loop thread.
 */
package dev.purertc.signaling;
