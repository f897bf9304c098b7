'use strict';
// The page half of dev.purertc.interop.BrowserPeer, loaded by driver.html in browsers and by
// werift-driver/driver.mjs in node (on werift's WebRTC polyfill). It long-polls POST /poll for commands
// ({id, cmd, args}), runs each one (concurrently: a long command does not block the next), and
// sends replies ({kind:'reply', id, ok, result | error}) and events ({kind:'event', type, ...})
// through one ordered outbox (POST /out, one request in flight). Nothing leaves 127.0.0.1.
//
// Objects are named by the test: peer connections by `pc`, data channels by `channel`. A channel
// the remote side opened is named `<pc>/<label>/<n>` and announced by a `datachannel` event.
//
// Events: ready {userAgent}; log {text};
//   icecandidate {pc, candidate, sdpMid, sdpMLineIndex} (candidate null: gathering finished);
//   negotiationneeded {pc};
//   signalingstatechange | iceconnectionstatechange | connectionstatechange | icegatheringstatechange {pc, state};
//   datachannel {pc, channel, label, protocol, id, ordered, negotiated, maxRetransmits, maxPacketLifeTime};
//   open | closing | close | bufferedamountlow {channel}; error {channel, error};
//   message {channel, binary, text | base64, size};
//   bulkreceived {channel, bytes, messages, sha256} (after armBulkSink: binary messages are counted
//   and hashed instead of being reported one by one).
const MAX_LIFETIME_MS = 60 * 60 * 1000;  // the poll loop stops by itself after an hour
const MAX_POLL_FAILURES = 20;            // ... or once the test's server is gone

const pcs = new Map();
const channels = new Map();
let stream = null;
let remoteChannelCount = 0;
const bulkSinks = new Map();  // channel name -> BulkSink
let preparedBulk = null;      // {data, sha256} from prepareBulk, taken by the next sendBulk

// ---- outbox: replies and events, in order, one POST in flight --------------------------------
const outbox = [];
let sending = false;
let outFailures = 0;

function emit(message) {
  outbox.push(message);
  flush();
}

async function flush() {
  if (sending || outbox.length === 0 || outFailures >= MAX_POLL_FAILURES) return;
  sending = true;
  const batch = outbox.splice(0, outbox.length);
  try {
    const r = await fetch('/out', {method: 'POST', headers: {'content-type': 'application/json'},
      body: JSON.stringify(batch)});
    if (!r.ok) throw new Error('POST /out -> ' + r.status);
    outFailures = 0;
  } catch (e) {
    outFailures++;
    outbox.unshift(...batch);
    await sleep(200);
  } finally {
    sending = false;
  }
  if (outbox.length) flush();
}

function event(type, fields) {
  emit(Object.assign({kind: 'event', type}, fields));
}

function log(text) {
  console.log('[driver] ' + text);
  event('log', {text});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function errorText(e) {
  if (e && e.name && e.message !== undefined) return e.name + ': ' + e.message;
  return String(e);
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(what + ' did not happen in ' + ms + ' ms')), ms); }),
  ]);
}

// ---- encoding ---------------------------------------------------------------------------------
function toBase64(buffer) {
  const bytes = new Uint8Array(buffer);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(b64) {
  const s = atob(b64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

function concat(chunks, total) {
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { all.set(c, at); at += c.length; }
  return all;
}

async function sha256Hex(bytes) {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

function randomBytes(n) {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

async function bulkData(totalBytes) {
  const data = randomBytes(totalBytes);
  return {data, sha256: await sha256Hex(data)};
}

// Counts and keeps binary messages until `expected` bytes have come; digest() hashes them all.
class BulkSink {
  constructor(expected) {
    this.expected = expected;
    this.chunks = [];
    this.bytes = 0;
    this.messages = 0;
  }

  // true once every expected byte has come
  add(arrayBuffer) {
    this.chunks.push(new Uint8Array(arrayBuffer));
    this.bytes += arrayBuffer.byteLength;
    this.messages++;
    return this.bytes >= this.expected;
  }

  async digest() {
    return {bytes: this.bytes, messages: this.messages, sha256: await sha256Hex(concat(this.chunks, this.bytes))};
  }
}

// Sends data in messageSize messages while bufferedAmount < highWater, else waits for
// bufferedamountlow (threshold lowWater). Resolves once every message is handed to the channel.
async function sendWithBackPressure(ch, data, messageSize, highWater, lowWater, name) {
  const totalBytes = data.length;
  ch.bufferedAmountLowThreshold = lowWater;
  let sent = 0;
  let messages = 0;
  let lowEvents = 0;
  let maxBufferedAmount = 0;
  while (sent < totalBytes) {
    while (sent < totalBytes && ch.bufferedAmount < highWater) {
      if (ch.readyState !== 'open') throw new Error('channel ' + name + ' is ' + ch.readyState + ' after ' + sent + ' bytes');
      const n = Math.min(messageSize, totalBytes - sent);
      ch.send(data.subarray(sent, sent + n));
      sent += n;
      messages++;
      maxBufferedAmount = Math.max(maxBufferedAmount, ch.bufferedAmount);
    }
    if (sent < totalBytes) {
      if (ch.readyState !== 'open') throw new Error('channel ' + name + ' is ' + ch.readyState + ' after ' + sent + ' bytes');
      await new Promise((resolve) => {
        ch.addEventListener('bufferedamountlow', resolve, {once: true});
        ch.addEventListener('close', resolve, {once: true});
      });
      lowEvents++;
    }
  }
  return {bytesSent: sent, messages, bufferedAmountLowEvents: lowEvents, maxBufferedAmount};
}

// ---- objects ----------------------------------------------------------------------------------
function pcOf(name) {
  const pc = pcs.get(name);
  if (!pc) throw new Error('no peer connection named ' + name);
  return pc;
}

function channelOf(name) {
  const ch = channels.get(name);
  if (!ch) throw new Error('no data channel named ' + name);
  return ch;
}

function description(d) {
  return d ? {type: d.type, sdp: d.sdp} : null;
}

function pcState(pc) {
  return {
    signalingState: pc.signalingState,
    iceConnectionState: pc.iceConnectionState,
    connectionState: pc.connectionState,
    iceGatheringState: pc.iceGatheringState,
    localDescription: description(pc.localDescription),
    remoteDescription: description(pc.remoteDescription),
  };
}

function channelInfo(ch) {
  return {
    label: ch.label, protocol: ch.protocol, id: ch.id, ordered: ch.ordered, negotiated: ch.negotiated,
    maxRetransmits: ch.maxRetransmits, maxPacketLifeTime: ch.maxPacketLifeTime,
    readyState: ch.readyState, bufferedAmount: ch.bufferedAmount,
    bufferedAmountLowThreshold: ch.bufferedAmountLowThreshold, binaryType: ch.binaryType,
  };
}

// echo: send every message straight back on the channel it came in on.
function registerChannel(name, ch, echo) {
  if (channels.has(name)) throw new Error('data channel ' + name + ' exists');
  channels.set(name, ch);
  ch.binaryType = 'arraybuffer';
  ch.addEventListener('open', () => event('open', {channel: name}));
  ch.addEventListener('closing', () => event('closing', {channel: name}));
  ch.addEventListener('close', () => event('close', {channel: name}));
  ch.addEventListener('bufferedamountlow', () => event('bufferedamountlow', {channel: name, bufferedAmount: ch.bufferedAmount}));
  ch.addEventListener('error', (e) => event('error', {channel: name, error: errorText(e.error || e)}));
  ch.addEventListener('message', (e) => {
    const sink = bulkSinks.get(name);
    if (sink && typeof e.data !== 'string') {
      if (sink.add(e.data)) {
        bulkSinks.delete(name);
        sink.digest().then((r) => event('bulkreceived', {channel: name, ...r}));
      }
      return;
    }
    if (typeof e.data === 'string') {
      event('message', {channel: name, binary: false, text: e.data, size: e.data.length});
    } else {
      event('message', {channel: name, binary: true, base64: toBase64(e.data), size: e.data.byteLength});
    }
    if (echo && ch.readyState === 'open') ch.send(e.data);
  });
}

function wirePeerConnection(name, pc, echo) {
  pc.addEventListener('icecandidate', (e) => {
    const c = e.candidate;
    // Firefox also ends gathering with an empty candidate string: report it as the end.
    event('icecandidate', c && c.candidate
      ? {pc: name, candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex}
      : {pc: name, candidate: null, sdpMid: c ? c.sdpMid : null, sdpMLineIndex: c ? c.sdpMLineIndex : null});
  });
  for (const [type, prop] of [['signalingstatechange', 'signalingState'], ['iceconnectionstatechange', 'iceConnectionState'],
    ['connectionstatechange', 'connectionState'], ['icegatheringstatechange', 'iceGatheringState']]) {
    pc.addEventListener(type, () => event(type, {pc: name, state: pc[prop]}));
  }
  pc.addEventListener('negotiationneeded', () => event('negotiationneeded', {pc: name}));
  pc.addEventListener('datachannel', (e) => {
    const ch = e.channel;
    const channelName = name + '/' + ch.label + '/' + (++remoteChannelCount);
    registerChannel(channelName, ch, echo);
    event('datachannel', Object.assign({pc: name, channel: channelName}, channelInfo(ch)));
  });
}

// ---- commands ---------------------------------------------------------------------------------
const COMMANDS = {
  ping: async () => ({userAgent: navigator.userAgent}),

  // Media permission: without it neither browser gathers loopback candidates.
  getUserMedia: async ({audio = false, video = false}) => {
    stream = await navigator.mediaDevices.getUserMedia({audio, video});
    return {tracks: stream.getTracks().map((t) => t.kind)};
  },

  // config: RTCConfiguration (iceServers default to none); echo: incoming channels echo messages.
  createPeerConnection: async ({pc, config = {}, echo = false}) => {
    if (pcs.has(pc)) throw new Error('peer connection ' + pc + ' exists');
    const p = new RTCPeerConnection(Object.assign({iceServers: []}, config));
    pcs.set(pc, p);
    wirePeerConnection(pc, p, echo);
    return pcState(p);
  },

  addTracks: async ({pc}) => {
    if (!stream) throw new Error('addTracks needs getUserMedia first');
    const p = pcOf(pc);
    for (const t of stream.getTracks()) p.addTrack(t, stream);
    return {senders: p.getSenders().length};
  },

  // A transceiver without a track (kind 'audio' or 'video'), e.g. for peers without media devices.
  addTransceiver: async ({pc, kind, direction = 'sendrecv'}) => {
    const p = pcOf(pc);
    p.addTransceiver(kind, {direction});
    return {transceivers: p.getTransceivers().length};
  },

  createOffer: async ({pc, options = {}}) => description(await pcOf(pc).createOffer(options)),
  createAnswer: async ({pc, options = {}}) => description(await pcOf(pc).createAnswer(options)),

  // Without type/sdp: the implicit description (createOffer/createAnswer as the state requires).
  setLocalDescription: async ({pc, type, sdp}) => {
    const p = pcOf(pc);
    if (type) await p.setLocalDescription({type, sdp}); else await p.setLocalDescription();
    return pcState(p);
  },

  setRemoteDescription: async ({pc, type, sdp}) => {
    const p = pcOf(pc);
    await p.setRemoteDescription({type, sdp});
    return pcState(p);
  },

  // Signaling without trickle: waits until iceGatheringState is 'complete' and returns
  // pc.localDescription, which then holds every candidate, as such an application sends it.
  completeLocalDescription: async ({pc, timeoutMs = 20000}) => {
    const p = pcOf(pc);
    if (p.iceGatheringState !== 'complete') {
      let check;
      await withTimeout(new Promise((resolve) => {
        check = () => { if (p.iceGatheringState === 'complete') resolve(); };
        p.addEventListener('icegatheringstatechange', check);
        check();
      }), timeoutMs, 'iceGatheringState complete on ' + pc).finally(() => p.removeEventListener('icegatheringstatechange', check));
    }
    return description(p.localDescription);
  },

  // candidate null or absent: end of candidates.
  addIceCandidate: async ({pc, candidate = null, sdpMid = null, sdpMLineIndex = null}) => {
    const p = pcOf(pc);
    if (candidate === null) await p.addIceCandidate(); else await p.addIceCandidate({candidate, sdpMid, sdpMLineIndex});
    return null;
  },

  // W3C restartIce(): the next offer carries new ICE credentials; negotiationneeded fires.
  restartIce: async ({pc}) => {
    pcOf(pc).restartIce();
    return null;
  },

  state: async ({pc}) => pcState(pcOf(pc)),

  transceivers: async ({pc}) => pcOf(pc).getTransceivers().map((t) => ({
    mid: t.mid, kind: t.receiver.track.kind, direction: t.direction, currentDirection: t.currentDirection,
  })),

  getStats: async ({pc}) => [...(await pcOf(pc).getStats()).values()],

  createDataChannel: async ({pc, channel, label, options = {}, echo = false}) => {
    const ch = pcOf(pc).createDataChannel(label, options);
    registerChannel(channel, ch, echo);
    return channelInfo(ch);
  },

  // text: a string message; base64: a binary message.
  send: async ({channel, text, base64}) => {
    const ch = channelOf(channel);
    if (typeof text === 'string') ch.send(text);
    else if (typeof base64 === 'string') ch.send(fromBase64(base64));
    else throw new Error('send needs text or base64');
    return {bufferedAmount: ch.bufferedAmount};
  },

  // Counts and hashes the next totalBytes of binary messages on channel; reports bulkreceived.
  armBulkSink: async ({channel, totalBytes}) => {
    channelOf(channel);
    if (bulkSinks.has(channel)) throw new Error('bulk sink already armed on ' + channel);
    bulkSinks.set(channel, new BulkSink(totalBytes));
    return null;
  },

  // Generates totalBytes of random data and its SHA-256 for the next sendBulk, so that a timed
  // transfer does not include making and hashing its data.
  prepareBulk: async ({totalBytes}) => {
    preparedBulk = await bulkData(totalBytes);
    return {sha256: preparedBulk.sha256};
  },

  // Sends totalBytes of random data in messageSize binary messages with back-pressure: send while
  // bufferedAmount < highWater, else wait for bufferedamountlow (threshold lowWater). Resolves
  // once every message is handed to the channel; sha256 is the digest of all bytes sent. The data
  // is that of prepareBulk when it prepared totalBytes, else made here.
  sendBulk: async ({channel, totalBytes, messageSize, highWater, lowWater}) => {
    const ch = channelOf(channel);
    const prepared = preparedBulk && preparedBulk.data.length === totalBytes ? preparedBulk : await bulkData(totalBytes);
    preparedBulk = null;
    const r = await sendWithBackPressure(ch, prepared.data, messageSize, highWater, lowWater, channel);
    return {...r, sha256: prepared.sha256};
  },

  channelState: async ({channel}) => channelInfo(channelOf(channel)),

  setBufferedAmountLowThreshold: async ({channel, value}) => {
    const ch = channelOf(channel);
    ch.bufferedAmountLowThreshold = value;
    return channelInfo(ch);
  },

  closeChannel: async ({channel}) => {
    channelOf(channel).close();
    return null;
  },

  closePeerConnection: async ({pc}) => {
    pcOf(pc).close();
    pcs.delete(pc);
    return null;
  },

  benchPair: (args) => benchPair(args),
};

// ---- browser-to-browser reference benchmark ------------------------------------------------------
function waitOpen(ch) {
  return new Promise((resolve) => {
    if (ch.readyState === 'open') resolve(ch); else ch.addEventListener('open', () => resolve(ch), {once: true});
  });
}

// Two peer connections in this page, signalling directly (trickle), one reliable ordered channel.
// setupMs: from createDataChannel/createOffer until the channel is open on both sides.
// Then totalBytes in messageSize binary messages, with back-pressure: send while bufferedAmount <
// highWater, else wait for bufferedamountlow (threshold lowWater); transferMs until the receiver
// has every byte.
async function benchPair({totalBytes, messageSize, highWater, lowWater, timeoutMs}) {
  const a = new RTCPeerConnection({iceServers: []});
  const b = new RTCPeerConnection({iceServers: []});
  try {
    const all = (async () => {
      a.addEventListener('icecandidate', (e) => { if (e.candidate) b.addIceCandidate(e.candidate).catch((err) => log('b.addIceCandidate: ' + errorText(err))); });
      b.addEventListener('icecandidate', (e) => { if (e.candidate) a.addIceCandidate(e.candidate).catch((err) => log('a.addIceCandidate: ' + errorText(err))); });
      const remote = new Promise((resolve) => b.addEventListener('datachannel', (e) => resolve(e.channel), {once: true}));
      const t0 = performance.now();
      const ch = a.createDataChannel('bench', {ordered: true});
      ch.binaryType = 'arraybuffer';
      await a.setLocalDescription(await a.createOffer());
      await b.setRemoteDescription(a.localDescription);
      await b.setLocalDescription(await b.createAnswer());
      await a.setRemoteDescription(b.localDescription);
      const [, rch] = await Promise.all([waitOpen(ch), remote.then(waitOpen)]);
      const setupMs = performance.now() - t0;

      rch.binaryType = 'arraybuffer';
      // The same work as a PureRTC transfer: random data made and hashed before the clock starts,
      // sent with back-pressure, kept and hashed by the receiver, which ends the clock.
      const prepared = await bulkData(totalBytes);
      const sink = new BulkSink(totalBytes);
      const done = new Promise((resolve) => rch.addEventListener('message', (e) => {
        if (sink.add(e.data)) resolve(sink.digest());
      }));
      const t1 = performance.now();
      const sending = await sendWithBackPressure(ch, prepared.data, messageSize, highWater, lowWater, 'bench');
      const got = await done;
      const transferMs = performance.now() - t1;
      if (got.sha256 !== prepared.sha256) throw new Error('benchPair: receiver SHA-256 ' + got.sha256 + ', sent ' + prepared.sha256);
      const received = got.bytes;
      const messages = got.messages;
      const sent = sending.bytesSent;
      const lowEvents = sending.bufferedAmountLowEvents;
      let transport = null;
      for (const r of (await a.getStats()).values()) {
        if (r.type === 'transport') transport = {dtlsState: r.dtlsState, tlsVersion: r.tlsVersion, dtlsCipher: r.dtlsCipher, dtlsRole: r.dtlsRole};
      }
      return {setupMs, transferMs, bytesSent: sent, bytesReceived: received, messages, bufferedAmountLowEvents: lowEvents, transport};
    })();
    return await withTimeout(all, timeoutMs, 'benchPair');
  } finally {
    a.close();
    b.close();
  }
}

// ---- poll loop --------------------------------------------------------------------------------
async function run(c) {
  try {
    const fn = COMMANDS[c.cmd];
    if (!fn) throw new Error('unknown command ' + c.cmd);
    const result = await fn(c.args || {});
    emit({kind: 'reply', id: c.id, ok: true, result: result === undefined ? null : result});
  } catch (e) {
    emit({kind: 'reply', id: c.id, ok: false, error: errorText(e)});
  }
}

async function pollLoop() {
  const started = Date.now();
  let failures = 0;
  while (failures < MAX_POLL_FAILURES && Date.now() - started < MAX_LIFETIME_MS) {
    let r;
    try {
      r = await fetch('/poll', {method: 'POST', cache: 'no-store'});
    } catch (e) {
      failures++;
      await sleep(250);
      continue;
    }
    if (r.status === 204) { failures = 0; continue; }
    if (!r.ok) { failures++; await sleep(250); continue; }
    failures = 0;
    for (const c of await r.json()) run(c);
  }
  // The test is gone (or an hour passed): nothing will drive this page again.
  console.log('[driver] poll loop stopped');
  for (const pc of pcs.values()) pc.close();
  window.close();
}

event('ready', {userAgent: navigator.userAgent});
pollLoop();
