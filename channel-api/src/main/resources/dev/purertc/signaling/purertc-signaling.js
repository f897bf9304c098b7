// PureRTC browser client: the signaling connection and a room API over RTCPeerConnection.
// Served by dev.purertc.signaling.SignalingServer at /purertc-signaling.js. ES module, no build step.
//
// Wire formats (documented in the Java package dev.purertc.signaling):
//  - to the server: {"type":"register","user":U,"id":I}, {"type":T,"to":U,...,"id":I} for T in
//    call|answer|description|candidate|hangup|reject|message ("description" renegotiates an open room); {"type":T,"session":S,"id":I} for T in
//    join|leave|members (replies joined|left|members, events member-joined|member-left); graphscript's
//    {"route":"runRequest","args":[{"route":"runConnection","args":[user,method,args]},socketId,callbackId]}
//  - between rooms, over the default data channel (graphscript WebRTCfrontend compatible):
//    post {"route","args","method"?}; run {"route":"runRequest","args":[{"route","args","method"?},roomId,callbackId]};
//    request {"route":"runRequest","args":[message,roomId,callbackId],"method"?}; replies {"args","callbackId"};
//    subscribe = request subscribeRTC [route,roomId,args,key,subInput,channelId], pushes {"args","callbackId":route};
//    unsubscribe = run("unsubscribe",[route,sub]) -> boolean. With a key, only that key of the route
//    (publishKey, or the field of an object output); ping answers "pong", echo its args as an array.

const randomDigits = () => `${Math.floor(Math.random() * 1000000000000000)}`;

/**
 * A room id nobody can guess: "rtc" + 128 bits from the CSPRNG as 32 hex digits. Signaling messages
 * name calls by room id, so a guessable one lets a third user aim messages at a call.
 */
export function randomRoomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `rtc${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The remote description and candidates of call information in graphscript's names (description,
 * candidates) or the seed document's, where the caller is the host and the callee the peer
 * (hostdescription is the host's offer, peerdescription the peer's answer, hostcandidates and
 * peercandidates each side's candidates). description wins; else peerdescription (only the peer writes
 * it, so a message carrying both came back from the peer); else hostdescription. The candidates are
 * those of the same side; without any description (late candidates), every candidate named.
 * Returns { description, candidates, rest } with rest free of all six names.
 */
export function seedSignals(options) {
  const { description, candidates, hostdescription, peerdescription, hostcandidates, peercandidates, ...rest } = options;
  const remote = description || peerdescription || hostdescription;
  let remoteCandidates = candidates;
  if (!remoteCandidates && !description) {
    if (peerdescription) remoteCandidates = peercandidates;
    else if (hostdescription) remoteCandidates = hostcandidates;
    else if (hostcandidates || peercandidates) remoteCandidates = Object.assign({}, hostcandidates, peercandidates);
  }
  return { description: remote, candidates: remoteCandidates, rest };
}

/** Descriptions and candidates arrive as objects or as graphscript's URL-encoded JSON strings. */
export function decodeSignal(value) {
  if (typeof value === 'string') return JSON.parse(decodeURIComponent(value));
  return value;
}

/** The ICE ufrag a candidate names (usernameFragment, or the "ufrag" extension of its line), if any. */
function candidateUfrag(c) {
  if (!c) return undefined;
  if (typeof c.usernameFragment === 'string' && c.usernameFragment) return c.usernameFragment;
  const m = / ufrag (\S+)/.exec(typeof c.candidate === 'string' ? c.candidate : '');
  return m ? m[1] : undefined;
}

/** The a=ice-ufrag of a description. */
function descriptionUfrag(d) {
  const m = /^a=ice-ufrag:(\S+)/m.exec((d && d.sdp) || '');
  return m ? m[1] : undefined;
}

/**
 * The rule by which a room replaces a lost path by itself (Java's AutoIceRestart): when the room's
 * connection is `disconnected` (consent failed: an address change, a NAT binding lost) while `signaling` is
 * connected, the impolite side (the caller, room.polite false) restarts ICE (RFC 8445 §9); the polite callee
 * leaves it to the caller, so two restart offers never collide. The restart offer goes through the relay
 * from negotiationneeded (rooms of callUser/answerCalls). Returns whether a restart was asked for.
 */
export function restartIceIfDisconnected(room, state, signaling) {
  if (state !== 'disconnected' || room.polite !== false || !signaling.connected) return false;
  room.rtc.restartIce();
  return true;
}

/**
 * Renegotiation of a room bound to `peer` in PureRTC's dialect: after the call's own offer/answer, each
 * negotiationneeded (a channel added later, restartIce()) sends the new offer as {"type":"description"};
 * answerCalls applies the peer's (WebRtcRooms.applyRenegotiation) and sends answers back the same way.
 * The room restarts ICE by itself on `disconnected` (restartIceIfDisconnected).
 */
const RENEGOTIATION_ANSWER_MS = 10000;

function relayRenegotiation(signaling, room, peer, polite) {
  room.polite = polite;
  const rtc = room.rtc;
  rtc.addEventListener('negotiationneeded', async () => {
    if (!rtc.remoteDescription || rtc.signalingState !== 'stable' || room.awaitingAnswer) return;
    room.makingOffer = true;
    try {
      await rtc.setLocalDescription(await rtc.createOffer());
      const sequence = room.offerSequence = (room.offerSequence || 0) + 1;
      room.description = toJSON(rtc.localDescription);
      // An offer the peer does not answer is rolled back after RENEGOTIATION_ANSWER_MS, as Java's bridge does,
      // so a peer that never answers cannot hold the room in have-local-offer.
      setTimeout(() => {
        if (rtc.signalingState === 'have-local-offer' && room.offerSequence === sequence) {
          rtc.setLocalDescription({ type: 'rollback' }).catch(() => {});
        }
      }, RENEGOTIATION_ANSWER_MS);
      await signaling.send(peer, 'description', { room: room._id, description: room.description });
    } catch (e) {
      // the room closed or the peer is gone; a later negotiationneeded tries again
    } finally {
      room.makingOffer = false;
    }
  });
  rtc.addEventListener('connectionstatechange', () => restartIceIfDisconnected(room, rtc.connectionState, signaling));
}

function toJSON(value) {
  return value && typeof value.toJSON === 'function' ? value.toJSON() : value;
}

/**
 * A server URL from what the page gave: a full ws:// or wss:// URL as it is, or a path such as '/ws' on
 * the page's own server, with wss: on an HTTPS page and ws: on an HTTP one.
 */
export function signalingUrl(url, location = globalThis.location) {
  if (typeof url === 'string' && url.startsWith('/') && location) {
    return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${url}`;
  }
  return url;
}

/**
 * A WebSocket connection to the PureRTC signaling server.
 *
 * Options: `requestTimeoutMs` (30 s) bounds every request. With `reconnect: true`, a connection that
 * closes without close() being called is opened again with exponential backoff (`initialBackoffMs`
 * 250, doubling up to `maxBackoffMs` 10000, at most `maxAttempts` attempts, unbounded by default),
 * trying the page's URL and then each of `urls` in turn; the client registers its user id again with
 * the secret of its registration and joins its sessions again, then calls `onresume`. Requests made
 * while no connection is open fail at once with code `not-connected`; nothing is queued.
 */
export class SignalingClient {
  constructor(url, { requestTimeoutMs = 30000, reconnect = false, urls = [], initialBackoffMs = 250,
    maxBackoffMs = 10000, maxAttempts = Infinity } = {}) {
    this.url = signalingUrl(url);
    this.urls = [this.url, ...urls.map((u) => signalingUrl(u)).filter((u) => u !== this.url)];
    this.requestTimeoutMs = requestTimeoutMs;
    this.reconnect = reconnect;
    this.initialBackoffMs = initialBackoffMs;
    this.maxBackoffMs = maxBackoffMs;
    this.maxAttempts = maxAttempts;
    this.connectionId = undefined;
    this.user = undefined;
    this.secret = undefined;
    /** Names of the sessions (lobbies) this client joined, joined again after a reconnection. */
    this.sessions = new Set();
    this.pending = new Map();
    this.routes = new Map();
    this.sequence = 0;
    /** Called with every message not consumed here (relayed calls, candidates, errors). */
    this.onmessage = undefined;
    /**
     * Called with presence events: {type: "member-joined"|"member-left", session, user} as other users
     * come and go, and {type: "members", session, members} after a reconnection joined again. Without
     * it, those go to onmessage.
     */
    this.onpresence = undefined;
    /**
     * Called with (code, reason) when an open connection closes, also one followed by a reconnection
     * (a reconnection attempt that never opened calls onreconnecting again instead).
     */
    this.onclose = undefined;
    /** Called with (attempt, delayMs) before each reconnection attempt. */
    this.onreconnecting = undefined;
    /** Called with this client once a reconnection registered and joined again. */
    this.onresume = undefined;
    this.socket = undefined;
    this.closedByUser = false;
    this.reconnectTimer = undefined;
    this.attempt = 0;
  }

  /** Opens the socket; resolves with this client once the server assigned the connection id. */
  static connect(url, options) {
    const client = new SignalingClient(url, options);
    return client.open();
  }

  /** True while a socket is open and the server assigned its connection id. */
  get connected() {
    return this.socket !== undefined && this.socket.readyState === 1 && this.connectionId !== undefined;
  }

  open(url = this.url) {
    this.closedByUser = false;
    this.connectionId = undefined;
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      this.socket = socket;
      socket.addEventListener('message', (ev) => {
        if (typeof ev.data !== 'string') return;
        let msg;
        try { msg = JSON.parse(ev.data); } catch (e) { return; }
        if (msg && msg.route === 'setId' && this.connectionId === undefined) {
          this.connectionId = msg.args;
          resolve(this);
          return;
        }
        this.#receive(msg);
      });
      // Node's WebSocket fires only "error" for a connection that never opened; browsers fire "close"
      // after it. Either ends the socket, once.
      let ended = false;
      const end = (code, reason) => {
        if (ended || this.socket !== socket) return; // ended, or an earlier socket replaced already
        ended = true;
        const wasOpen = this.connectionId !== undefined;
        this.connectionId = undefined;
        for (const [, p] of this.pending) p.reject(new Error(`signaling connection closed (${code})`));
        this.pending.clear();
        reject(new Error(`signaling connection closed (${code})`));
        if (this.onclose && wasOpen) this.onclose(code, reason);
        if (this.reconnect && !this.closedByUser && this.user !== undefined) this.#scheduleReconnect();
      };
      socket.addEventListener('error', () => {
        reject(new Error(`signaling socket ${url} failed`));
        end(1006, 'socket error');
      });
      socket.addEventListener('close', (ev) => end(ev.code, ev.reason));
    });
  }

  #scheduleReconnect() {
    if (this.closedByUser || this.reconnectTimer) return;
    this.attempt += 1;
    if (this.attempt > this.maxAttempts) return;
    const delay = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** Math.min(20, this.attempt - 1));
    if (this.onreconnecting) this.onreconnecting(this.attempt, delay);
    this.reconnectTimer = setTimeout(() => this.#resume(), delay);
  }

  // One attempt; a failure closes the socket if it opened and schedules the next attempt.
  async #resume() {
    this.reconnectTimer = undefined;
    if (this.closedByUser) return;
    const url = this.urls[(this.attempt - 1) % this.urls.length];
    try {
      await this.open(url);
      await this.register(this.user, this.secret);
      for (const session of [...this.sessions]) {
        let members;
        try {
          members = await this.join(session);
        } catch (e) {
          if (e.code === undefined || e.code === 'not-connected') throw e; // the connection failed: try again
          this.sessions.delete(session); // refused now (session-full…): this client is no longer in it
          this.#presence({ type: 'members', session, members: [], error: e.code });
          continue;
        }
        this.#presence({ type: 'members', session, members });
      }
    } catch (e) {
      if (this.socket && this.socket.readyState === 1) this.socket.close(4000, 'resume failed');
      this.#scheduleReconnect(); // a no-op when the socket's end scheduled it already
      return;
    }
    this.attempt = 0;
    if (this.onresume) this.onresume(this);
  }

  #await(key, message) {
    return new Promise((resolve, reject) => {
      if (!this.socket || this.socket.readyState !== 1) {
        reject(Object.assign(new Error('the signaling connection is not open'), { code: 'not-connected' }));
        return;
      }
      const timer = setTimeout(() => {
        if (this.pending.delete(key)) reject(new Error('no answer from the signaling server'));
      }, this.requestTimeoutMs);
      this.pending.set(key, {
        resolve: (v) => { clearTimeout(timer); resolve(v); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.socket.send(JSON.stringify(message));
    });
  }

  #request(message) {
    const id = `r${++this.sequence}`;
    message.id = id;
    return this.#await(id, message);
  }

  /**
   * Registers this connection as `user`. The server reserves a freed id for its last holder for a
   * while (a reload, a dropped connection): the `secret` of the earlier registration claims it back.
   * Without one, the secret kept in sessionStorage (per tab) for this server and user is used, and the
   * new one is kept there. Fails with an error whose `code` is the server's: `user-taken`,
   * `user-reserved` (held for another client), `user-not-granted` (the token does not grant it),
   * `rate-limited`, `already-registered`.
   */
  async register(user, secret) {
    const key = `purertc-secret:${this.url}:${user}`;
    const store = typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
    const kept = secret || (store && store.getItem(key)) || undefined;
    const message = { type: 'register', user };
    if (kept) message.secret = kept;
    const reply = await this.#request(message);
    this.user = reply.user;
    if (reply.secret) this.secret = reply.secret;
    if (store && reply.secret) store.setItem(key, reply.secret);
    return reply;
  }

  /**
   * Joins the session (lobby) named `session`; resolves with its members (user ids in order, this
   * user among them). Others in it get "member-joined". Fails with code `not-registered`,
   * `too-many-sessions`, `session-full` or `invalid-message`.
   */
  async join(session) {
    const reply = await this.#request({ type: 'join', session });
    this.sessions.add(session);
    return reply.members;
  }

  /** Leaves the session; others in it get "member-left". Fails with code `not-a-member`. */
  async leave(session) {
    this.sessions.delete(session);
    await this.#request({ type: 'leave', session });
  }

  /** The members of a session this user is in (user ids in order). Fails with code `not-a-member`. */
  async members(session) {
    const reply = await this.#request({ type: 'members', session });
    return reply.members;
  }

  #presence(event) {
    if (this.onpresence) this.onpresence(event);
    else if (this.onmessage) this.onmessage(event);
  }

  /** Relays {type, to, ...fields} to user `to`; resolves when the server forwarded it. */
  send(to, type, fields = {}) {
    const message = { type, to };
    for (const k of Object.keys(fields)) if (k !== 'type' && k !== 'to' && k !== 'id') message[k] = fields[k];
    return this.#request(message);
  }

  #runConnection(user, method, args) {
    const callbackId = `c${++this.sequence}`;
    return this.#await(callbackId, {
      route: 'runRequest',
      args: [{ route: 'runConnection', args: [user, method, args] }, this.connectionId, callbackId],
    });
  }

  /** graphscript's runConnection(user, 'run', [route, args]): resolves with the other user's result. */
  async run(user, route, args) {
    const reply = await this.#runConnection(user, 'run', args === undefined ? [route] : [route, args]);
    return reply.args;
  }

  /** graphscript's runConnection(user, 'post', [route, args]). */
  async post(user, route, args) {
    await this.#runConnection(user, 'post', args === undefined ? [route] : [route, args]);
  }

  /** Answers graphscript calls for `route` relayed from other users: fn(args, fromUser) -> result. */
  handle(route, fn) {
    this.routes.set(route, fn);
  }

  #receive(msg) {
    if (!msg || typeof msg !== 'object') return;
    const key = msg.id !== undefined ? msg.id : (msg.route === undefined ? msg.callbackId : undefined);
    if (key !== undefined && this.pending.has(key)) {
      const p = this.pending.get(key);
      this.pending.delete(key);
      if (msg.type === 'error') p.reject(Object.assign(new Error(`${msg.code}: ${msg.message}`), { code: msg.code }));
      else p.resolve(msg);
      return;
    }
    if (msg.route === 'runRequest' && Array.isArray(msg.args)) {
      const [call, , callbackId] = msg.args;
      const fn = call && this.routes.get(call.route);
      Promise.resolve()
        .then(() => (fn ? fn(call.args, msg.from) : { error: 'unknown-route', message: `no handler for route ${call && call.route}` }))
        .catch((e) => ({ error: 'route-failed', message: String(e && e.message) }))
        .then((result) => this.socket.send(JSON.stringify({ args: result, callbackId })));
      return;
    }
    if (msg.route !== undefined && msg.type === undefined && this.routes.has(msg.route)) {
      this.routes.get(msg.route)(msg.args, msg.from);
      return;
    }
    if ((msg.type === 'member-joined' || msg.type === 'member-left') && msg.from === undefined) {
      this.#presence(msg);
      return;
    }
    if (this.onmessage) this.onmessage(msg);
  }

  /** Closes the connection for good: no reconnection follows. */
  close() {
    this.closedByUser = true;
    if (this.reconnectTimer) { clearTimeout(this.reconnectTimer); this.reconnectTimer = undefined; }
    if (this.socket) this.socket.close(1000, 'bye');
  }
}

/**
 * Rooms by _id, each an RTCPeerConnection with data channels and graphscript-compatible service
 * messages on its default channel. Routes registered with addRoute answer the peer's post/run/request
 * and can be subscribed to.
 */
export class WebRtcRooms {
  constructor({ iceServers = [], routes = {}, requestTimeoutMs = 30000, pendingLimits = {} } = {}) {
    this.iceServers = iceServers;
    this.requestTimeoutMs = requestTimeoutMs;
    this.rooms = {};
    this.unanswered = {};
    // Call information for rooms not open yet is bounded and expires (anyone can send it): rooms in
    // all and per caller, candidates per room, and its age.
    this.pendingLimits = Object.assign({ maxCalls: 64, maxCallsPerCaller: 8, maxCandidatesPerCall: 32, ttlMs: 60000 },
      pendingLimits);
    this.routes = new Map(Object.entries(routes));
    this.subscriptions = new Map(); // route -> Map(sub -> fn)
    this.subSequence = 0;
    this.routes.set('unsubscribe', (route, sub) => this.#unsubscribeLocal(route, sub));
  }

  /** graphscript's name for the room map (rooms by _id): the same object as `rooms`. */
  get rtc() {
    return this.rooms;
  }

  /** Registers a local route; fn receives the (spread) args of the call. */
  addRoute(name, fn) {
    this.routes.set(name, fn);
  }

  /** Runs a local route and pushes its result to subscribers, as graphscript does on node output. */
  async runRoute(route, args) {
    const fn = this.routes.get(route);
    if (!fn) throw new Error(`no route ${route}`);
    const result = await (Array.isArray(args) ? fn(...args) : fn(args));
    this.publish(route, result);
    return result;
  }

  /**
   * Pushes `output` to every subscriber of `route` (local or remote); a subscriber to one key of the
   * route gets that field when `output` is an object that has it.
   */
  publish(route, output) {
    const subs = this.subscriptions.get(route);
    if (!subs) return;
    for (const fn of subs.values()) {
      if (fn.key === undefined) fn(output);
      else if (output !== null && typeof output === 'object' && fn.key in output) fn(output[fn.key]);
    }
  }

  /** Pushes `value` to the subscribers of key `key` of `route` only (graphscript's node property). */
  publishKey(route, key, value) {
    const subs = this.subscriptions.get(route);
    if (subs) for (const fn of subs.values()) if (fn.key === key) fn(value);
  }

  #subscribeLocal(route, fn, key) {
    if (key !== undefined && key !== null) fn.key = String(key);
    if (!this.subscriptions.has(route)) this.subscriptions.set(route, new Map());
    const sub = ++this.subSequence;
    this.subscriptions.get(route).set(sub, fn);
    return sub;
  }

  #unsubscribeLocal(route, sub) {
    const subs = this.subscriptions.get(route);
    return !!(subs && subs.delete(sub));
  }

  #room(roomOrId) {
    return typeof roomOrId === 'string' ? this.rooms[roomOrId] : roomOrId;
  }

  /** A new room (caller: creates the offer; callee: options.description is the remote offer) or a merge. */
  async openRTC(options = {}) {
    const _id = options._id || randomRoomId();
    const existing = this.rooms[_id];
    const { description, candidates, rest } = seedSignals(options);
    if (existing) {
      Object.assign(existing, rest);
      if (description) await this.answerPeer(existing, { description, candidates });
      else if (candidates) for (const k of Object.keys(candidates)) await this.addIceCandidate(existing, candidates[k]);
      return existing;
    }
    const rtc = new RTCPeerConnection(options.config || { iceServers: this.iceServers });
    const room = Object.assign({}, rest, {
      _id, rtc, channels: {}, candidates: {}, pendingCandidates: [], pendingReplies: new Map(),
      remoteSubscriptions: new Map(), graph: this,
      // The seed document's names for the one connection, which both sends and receives.
      rtcTransmit: rtc, rtcReceive: rtc,
    });
    // The seed's names for this side's own signals: the caller is the host, the callee the peer.
    if (description) {
      room.hostdescription = decodeSignal(description);
      room.hostcandidates = candidates || {};
      room.peercandidates = room.candidates;
    } else {
      room.hostcandidates = room.candidates;
    }
    const wanted = options.channels || { data: true };
    room.defaultChannel = Object.keys(wanted)[0] || 'data';
    this.rooms[_id] = room;
    this.#attachApi(room);

    rtc.ondatachannel = (ev) => {
      this.#wireChannel(room, ev.channel);
      if (room.ondatachannel) room.ondatachannel(ev);
    };
    rtc.onicecandidate = (ev) => {
      if (ev.candidate) room.candidates[`candidate${randomDigits()}`] = toJSON(ev.candidate);
      if (room.onicecandidate) room.onicecandidate(ev);
    };
    rtc.onnegotiationneeded = (ev) => { if (room.onnegotiationneeded) room.onnegotiationneeded(ev); };
    rtc.oniceconnectionstatechange = (ev) => { if (room.oniceconnectionstatechange) room.oniceconnectionstatechange(ev); };
    rtc.onconnectionstatechange = (ev) => {
      if (room.onconnectionstatechange) room.onconnectionstatechange(ev);
      if (rtc.connectionState === 'closed' || rtc.connectionState === 'failed') this.#closed(room);
    };

    if (!description) {
      for (const label of Object.keys(wanted)) {
        const init = wanted[label];
        const channel = init === true ? rtc.createDataChannel(label) : rtc.createDataChannel(label, init);
        this.#wireChannel(room, channel);
      }
      await rtc.setLocalDescription(await rtc.createOffer(options.offer));
      room.description = toJSON(rtc.localDescription);
      room.hostdescription = room.description;
      if (candidates) for (const k of Object.keys(candidates)) await this.addIceCandidate(room, candidates[k]);
    } else {
      await this.answerPeer(room, { description, candidates, answer: options.answer });
    }
    return room;
  }

  /** Applies the other side's description (answering an offer) and candidates. */
  async answerPeer(roomOrId, options = {}) {
    const room = this.#room(roomOrId);
    if (!room) throw new Error(`no room ${roomOrId}`);
    const signals = seedSignals(options);
    const description = decodeSignal(signals.description);
    if (description) {
      await room.rtc.setRemoteDescription(description);
      const buffered = room.pendingCandidates.splice(0);
      for (const c of buffered) await room.rtc.addIceCandidate(c);
      if (description.type === 'offer') {
        await room.rtc.setLocalDescription(await room.rtc.createAnswer(options.answer || room.answer));
        room.description = toJSON(room.rtc.localDescription);
        room.peerdescription = room.description;
      } else {
        room.peerdescription = description; // the host keeps the peer's answer under the seed's name
        if (signals.candidates) room.peercandidates = signals.candidates;
      }
    }
    if (signals.candidates) {
      for (const k of Object.keys(signals.candidates)) await this.addIceCandidate(room, signals.candidates[k]);
    }
    return room;
  }

  /** Adds a remote candidate; candidates that arrive before the description are buffered. */
  async addIceCandidate(roomOrId, candidate) {
    const room = this.#room(roomOrId);
    if (!room) throw new Error(`no room ${roomOrId}`);
    const c = decodeSignal(candidate);
    const remote = room.rtc.remoteDescription;
    const ufrag = candidateUfrag(c);
    if (!remote || (ufrag !== undefined && ufrag !== descriptionUfrag(remote))) {
      // Before the description, or one of the peer's ICE restart whose offer or answer it overtook: kept
      // (bounded) until that description is applied.
      if (room.pendingCandidates.length < this.pendingLimits.maxCandidatesPerCall) room.pendingCandidates.push(c);
      return;
    }
    await room.rtc.addIceCandidate(c);
  }

  /**
   * Applies a later description of the room's peer (renegotiation, JSEP RFC 8829 §5.2.2) with perfect
   * negotiation (W3C WebRTC §10.7): an offer that collides with this side's own is ignored by the impolite
   * side (room.polite false, the caller) and answered by the polite one after an implicit rollback.
   * Resolves with the answer to send back, or undefined (an answer applied, or an offer ignored).
   */
  async applyRenegotiation(roomOrId, description) {
    const room = this.#room(roomOrId);
    if (!room) throw new Error(`no room ${roomOrId}`);
    const rtc = room.rtc;
    const d = decodeSignal(description);
    if (!d || (d.type !== 'offer' && d.type !== 'answer')) return undefined;
    if (d.type === 'offer') {
      const collision = room.makingOffer || rtc.signalingState !== 'stable';
      if (collision && !room.polite) return undefined; // the impolite side keeps its own offer
      await rtc.setRemoteDescription(d);
      await this.#applyPendingCandidates(room);
      await rtc.setLocalDescription(await rtc.createAnswer());
      room.description = toJSON(rtc.localDescription);
      return room.description;
    }
    if (rtc.signalingState !== 'have-local-offer') return undefined;
    await rtc.setRemoteDescription(d);
    await this.#applyPendingCandidates(room);
    return undefined;
  }

  /** Kept candidates of the remote credentials now in force are added; those of an older generation dropped. */
  async #applyPendingCandidates(room) {
    const ufrag = descriptionUfrag(room.rtc.remoteDescription);
    const kept = room.pendingCandidates.splice(0);
    for (const c of kept) {
      const u = candidateUfrag(c);
      if (u !== undefined && u !== ufrag) continue;
      try { await room.rtc.addIceCandidate(c); } catch (e) { /* a stale or malformed candidate changes nothing */ }
    }
  }

  /** Keeps incoming call information (descriptions, candidates) until answered. */
  receiveCallInformation(options) {
    const _id = options._id || randomRoomId();
    const room = this.rooms[_id];
    const { description, candidates, rest } = seedSignals(options);
    if (description) rest.description = description;
    if (room) {
      if (candidates) for (const k of Object.keys(candidates)) this.addIceCandidate(room, candidates[k]);
      Object.assign(room, rest);
    } else if (this.unanswered[_id]) {
      const call = this.unanswered[_id];
      if ((options.caller || '') !== (call.caller || '')) {
        throw Object.assign(new Error(`room ${_id} has call information from another caller`), { code: 'room-in-use' });
      }
      Object.assign(call, rest);
      if (candidates) call.candidates = this.#capCandidates(Object.assign(call.candidates || {}, candidates));
    } else {
      const limits = this.pendingLimits;
      const kept = Object.values(this.unanswered);
      const caller = options.caller || '';
      if (kept.length >= limits.maxCalls
          || kept.filter((c) => (c.caller || '') === caller).length >= limits.maxCallsPerCaller) {
        throw Object.assign(new Error('too much call information is kept already'), { code: 'too-many-pending-calls' });
      }
      const call = Object.assign({}, rest, { _id });
      if (candidates) call.candidates = candidates;
      if (call.candidates) call.candidates = this.#capCandidates(Object.assign({}, call.candidates));
      this.unanswered[_id] = call;
      const expiry = setTimeout(() => { if (this.unanswered[_id] === call) delete this.unanswered[_id]; }, limits.ttlMs);
      if (expiry && expiry.unref) expiry.unref(); // node: a kept call does not hold the process open
    }
    return _id;
  }

  #capCandidates(candidates) {
    const keys = Object.keys(candidates);
    for (const k of keys.slice(this.pendingLimits.maxCandidatesPerCall)) delete candidates[k];
    return candidates;
  }

  answerCall(optionsOrId) {
    const call = typeof optionsOrId === 'string' ? this.unanswered[optionsOrId] : optionsOrId;
    if (!call) return Promise.reject(new Error(`no unanswered call ${optionsOrId}`));
    delete this.unanswered[call._id];
    return this.openRTC(call);
  }

  rejectCall(optionsOrId) {
    const id = typeof optionsOrId === 'string' ? optionsOrId : optionsOrId._id;
    delete this.unanswered[id];
    return true;
  }

  /** Closes the room's channels and connection; fires onclose once. */
  terminate(roomOrId) {
    const room = this.#room(roomOrId);
    if (!room) return false;
    for (const ch of Object.values(room.channels)) { try { ch.close(); } catch (e) { /* already closed */ } }
    try { room.rtc.close(); } catch (e) { /* already closed */ }
    this.#closed(room);
    return true;
  }

  #closed(room) {
    if (room.closed) return;
    room.closed = true;
    for (const [, p] of room.pendingReplies) p.reject(new Error(`room ${room._id} closed`));
    room.pendingReplies.clear();
    for (const [route, sub] of room.remoteSubscriptions) this.#unsubscribeLocal(route, sub);
    delete this.rooms[room._id];
    if (room.onclose) room.onclose(room);
  }

  #serviceChannel(room) {
    const preferred = room.channels[room.defaultChannel];
    if (preferred && preferred.readyState === 'open') return preferred;
    return Object.values(room.channels).find((c) => c.readyState === 'open');
  }

  #transmit(room, message) {
    const channel = this.#serviceChannel(room);
    if (!channel) throw new Error(`room ${room._id} has no open data channel`);
    channel.send(typeof message === 'string' || message instanceof ArrayBuffer || ArrayBuffer.isView(message)
      || message instanceof Blob ? message : JSON.stringify(message));
  }

  #awaitReply(room, callbackId, message) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (room.pendingReplies.delete(callbackId)) reject(new Error(`no reply in room ${room._id}`));
      }, this.requestTimeoutMs);
      room.pendingReplies.set(callbackId, {
        resolve: (v) => { clearTimeout(timer); resolve(v); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      try { this.#transmit(room, message); } catch (e) { room.pendingReplies.delete(callbackId); clearTimeout(timer); reject(e); }
    });
  }

  #attachApi(room) {
    room.send = (message) => this.#transmit(room, message);
    room.post = (route, args, method) => {
      const message = { route, args };
      if (method) message.method = method;
      this.#transmit(room, message);
    };
    room.run = (route, args, method) => {
      const callbackId = Math.random();
      const call = { route, args };
      if (method) call.method = method;
      return this.#awaitReply(room, callbackId, { route: 'runRequest', args: [call, room._id, callbackId] });
    };
    room.request = (message, method) => {
      const callbackId = Math.random();
      const req = { route: 'runRequest', args: [message, room._id, callbackId] };
      if (method) req.method = method;
      return this.#awaitReply(room, callbackId, req);
    };
    room.subscribe = async (route, callback, args, key, subInput, channelId) => {
      const sub = await room.request({ route: 'subscribeRTC', args: [route, room._id, args, key, subInput, channelId] });
      if (!room.localSubscriptions) room.localSubscriptions = new Map();
      if (!room.localSubscriptions.has(route)) room.localSubscriptions.set(route, new Map());
      room.localSubscriptions.get(route).set(sub, callback);
      return sub;
    };
    room.unsubscribe = async (route, sub) => {
      const done = await room.run('unsubscribe', [route, sub]);
      if (room.localSubscriptions && room.localSubscriptions.has(route)) room.localSubscriptions.get(route).delete(sub);
      return done;
    };
    room.terminate = () => this.terminate(room);
    // The browser's own statistics of the room's connection (W3C names, as Java's getStats()).
    room.getStats = () => room.rtc.getStats();
  }

  #wireChannel(room, channel) {
    room.channels[channel.label] = channel;
    // The peer's close (an SCTP ABORT or SHUTDOWN) ends the association: no channel can open on it again,
    // while the connection itself stays 'connected' until consent fails 10 to 30 s later. The room ends
    // when its SCTP transport is closed, as it does on 'closed' or 'failed'.
    const endIfAssociationClosed = () => {
      const sctp = room.rtc.sctp;
      if (sctp && sctp.state === 'closed') this.#closed(room);
    };
    channel.addEventListener('open', () => {
      const sctp = room.rtc.sctp;
      if (sctp && !room.watchingSctp) {
        room.watchingSctp = true;
        sctp.addEventListener('statechange', endIfAssociationClosed);
      }
    });
    channel.addEventListener('close', endIfAssociationClosed);
    channel.addEventListener('message', (ev) => {
      const own = room.channelHandlers && room.channelHandlers[channel.label];
      if (own) { own(ev, channel, room); return; }
      this.#serviceMessage(room, channel, ev);
    });
  }

  async #serviceMessage(room, channel, ev) {
    // graphscript's behaviour, asked for by name: an ondata takes every message, service ones included.
    if (room.ondata && room.ondataTakesServiceMessages === true) { room.ondata(ev, channel, room); return; }
    let msg = ev.data;
    if (typeof msg === 'string' && (msg[0] === '{' || msg[0] === '[')) {
      try { msg = JSON.parse(msg); } catch (e) { /* not JSON: plain data */ }
    }
    if (msg && typeof msg === 'object' && !Array.isArray(msg) && !(msg instanceof ArrayBuffer)) {
      if (msg.route === undefined && 'callbackId' in msg) {
        const p = room.pendingReplies.get(msg.callbackId);
        if (p) {
          room.pendingReplies.delete(msg.callbackId);
          // PureRTC rooms answer a failed call with {"error":{"code","message"},"callbackId"}
          if (msg.error && typeof msg.error === 'object') {
            p.reject(Object.assign(new Error(`${msg.error.code}: ${msg.error.message}`), { code: msg.error.code }));
          } else p.resolve(msg.args);
          return;
        }
        const subs = room.localSubscriptions && room.localSubscriptions.get(msg.callbackId);
        if (subs) { for (const fn of subs.values()) if (typeof fn === 'function') fn(msg.args); return; }
      } else if (msg.route === 'runRequest' && Array.isArray(msg.args)) {
        const [message, , callbackId] = msg.args;
        let result;
        try { result = await this.#receive(room, message, channel); } catch (e) { result = { error: String(e && e.message) }; }
        channel.send(JSON.stringify({ args: result, callbackId }));
        return;
      } else if (typeof msg.route === 'string') {
        try { await this.#receive(room, msg, channel); } catch (e) { console.warn('route failed', msg.route, e); }
        return;
      }
    }
    if (room.ondata) room.ondata(ev, channel, room);
  }

  #receive(room, message, channel) {
    if (!message || typeof message !== 'object' || typeof message.route !== 'string') return message;
    if (message.route === 'subscribeRTC') {
      const [route, , , key, , channelId] = Array.isArray(message.args) ? message.args : [];
      const target = (channelId && room.channels[channelId]) || channel;
      const sub = this.#subscribeLocal(route, (output) => {
        if (target.readyState === 'open') target.send(JSON.stringify({ args: output, callbackId: route }));
      }, key);
      room.remoteSubscriptions.set(route, sub);
      return sub;
    }
    // Built in, as in every graphscript service, unless a route of that name was added.
    if (message.route === 'ping' && !this.routes.has('ping')) return 'pong';
    if (message.route === 'echo' && !this.routes.has('echo')) {
      const a = message.args;
      return Array.isArray(a) ? a : a === undefined ? [] : [a];
    }
    return this.runRoute(message.route, message.args);
  }
}

/**
 * Calls `user` through the signaling server with PureRTC's own messages: "call" carries the offer,
 * "candidate" trickles candidates both ways, "answer" returns the answer, "hangup" ends the room.
 * The room is bound to `user`: answerCalls applies only that user's answer, candidates, descriptions,
 * reject and hangup to it. Later renegotiations (restartIce(), channels added) go through the relay by
 * themselves, and the room, as the impolite caller, restarts ICE when it becomes `disconnected` while
 * signaling is connected (restartIceIfDisconnected); answered rooms are polite. A refused call ({"type":"reject","reason"}) terminates the room and calls
 * options.onreject(reason, message).
 */
export async function callUser(signaling, rooms, user, options = {}) {
  const _id = options._id || randomRoomId();
  if (rooms.rooms[_id]) throw Object.assign(new Error(`room ${_id} is in use`), { code: 'room-in-use' });
  const early = []; // candidates gathered before the call went out: sent right after it
  let called = false;
  // The room is bound to `user` from its creation: the callee's candidates may come before the answer.
  const room = await rooms.openRTC(Object.assign({}, options, {
    _id,
    peer: user,
    onicecandidate: (ev) => {
      if (ev.candidate) {
        const candidate = toJSON(ev.candidate);
        if (called) signaling.send(user, 'candidate', { room: _id, candidate }).catch(() => {});
        else early.push(candidate);
      }
      if (options.onicecandidate) options.onicecandidate(ev);
    },
  }));
  room.awaitingAnswer = true;
  relayRenegotiation(signaling, room, user, false);
  await signaling.send(user, 'call', { room: _id, description: room.description });
  called = true;
  for (const candidate of early.splice(0)) await signaling.send(user, 'candidate', { room: _id, candidate });
  return room;
}

/**
 * Routes incoming "call"/"answer"/"candidate"/"hangup"/"reject"/"description" messages to `rooms`
 * ("description": a later offer or answer of an open room, see WebRtcRooms.applyRenegotiation). A room signal
 * acts only when its server-stamped sender (msg.from) is the peer bound to the room; others are
 * ignored. A "call" that reuses a room id in use is refused with {"type":"reject","reason":"room-in-use"};
 * one that accept(msg) declines with reason "declined"; past `limits` ({maxCalls: 32,
 * maxCallsPerUser: 4} by default, counting answered rooms still open) with "too-many-calls" or
 * "too-many-calls-from-user"; an offer that cannot be answered with "invalid-offer".
 */
export function answerCalls(signaling, rooms, accept = () => true, options = {}, limits = {}) {
  const maxCalls = limits.maxCalls || 32;
  const maxCallsPerUser = limits.maxCallsPerUser || 4;
  const previous = signaling.onmessage;
  const claimed = new Set(); // room ids whose call is being answered
  const answered = new Map(); // room id -> caller, for answered rooms still open
  const reject = (to, room, reason, message) =>
    signaling.send(to, 'reject', { room, reason, message }).catch(() => {});
  const isPeer = (id, from) => rooms.rooms[id] && rooms.rooms[id].peer === from;
  signaling.onmessage = async (msg) => {
    const id = msg.room;
    const from = msg.from;
    if (!['call', 'answer', 'candidate', 'hangup', 'reject', 'description'].includes(msg.type) || typeof id !== 'string') {
      if (previous) previous(msg);
      return;
    }
    if (msg.type === 'call') {
      for (const [rid] of answered) if (!rooms.rooms[rid]) answered.delete(rid);
      if (rooms.rooms[id] || claimed.has(id)) { reject(from, id, 'room-in-use', `room ${id} is in use`); return; }
      const fromUser = [...answered.values()].filter((u) => u === from).length;
      if (answered.size + claimed.size >= maxCalls) { reject(from, id, 'too-many-calls', 'too many calls'); return; }
      if (fromUser >= maxCallsPerUser) { reject(from, id, 'too-many-calls-from-user', 'too many calls from one user'); return; }
      if (!accept(msg)) { reject(from, id, 'declined', 'call declined'); return; }
      claimed.add(id);
      try {
        let room;
        try {
          // Bound to the caller from its creation: the caller's candidates come while this answers.
          room = await rooms.openRTC(Object.assign({}, options, {
            _id: id, description: msg.description, peer: from,
            onicecandidate: (ev) => {
              if (ev.candidate) signaling.send(from, 'candidate', { room: id, candidate: toJSON(ev.candidate) }).catch(() => {});
            },
          }));
        } catch (e) {
          if (rooms.rooms[id]) rooms.terminate(id);
          reject(from, id, 'invalid-offer', `the offer could not be answered: ${e && e.message}`);
          return;
        }
        answered.set(id, from);
        relayRenegotiation(signaling, room, from, true);
        await signaling.send(from, 'answer', { room: id, description: room.description });
        if (options.onanswered) options.onanswered(room, from);
      } finally {
        claimed.delete(id);
      }
      return;
    }
    if (!isPeer(id, from)) return; // a third user's signal for someone else's call
    const room = rooms.rooms[id];
    if (msg.type === 'answer') {
      if (!room.awaitingAnswer) return;
      room.awaitingAnswer = false;
      await rooms.answerPeer(id, { description: msg.description });
    } else if (msg.type === 'candidate') {
      await rooms.addIceCandidate(id, msg.candidate);
    } else if (msg.type === 'description') {
      const answer = await rooms.applyRenegotiation(id, msg.description);
      if (answer) await signaling.send(from, 'description', { room: id, description: answer });
    } else if (msg.type === 'hangup') {
      rooms.terminate(id);
    } else if (msg.type === 'reject') {
      if (!room.awaitingAnswer) return;
      room.awaitingAnswer = false;
      rooms.terminate(id);
      if (room.onreject) room.onreject(msg.reason || 'declined', msg.message);
    }
  };
}
