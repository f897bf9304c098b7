#!/usr/bin/env node
// Captures werift's data-channel offer and the answer a second werift peer gives to it, with the
// trickled candidate strings. Must run inside a fresh network namespace holding only `lo`
// (capture.sh does `unshare -n`): werift would otherwise reach out on every interface.
//
// usage: node werift-run.js --out DIR [--timeout-ms N] [--answer-to OFFER.sdp --answer-name NAME]
// With --answer-to it only answers the offer in OFFER.sdp (captured from another peer) and writes
// NAME.sdp / NAME.candidates.txt.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const argv = process.argv.slice(2);
const opt = {'timeout-ms': '60000'};
for (let i = 0; i < argv.length; i += 2) opt[argv[i].replace(/^--/, '')] = argv[i + 1];
if (!opt.out) { console.error('missing --out'); process.exit(2); }
const TIMEOUT_MS = Number(opt['timeout-ms']);
const t0 = Date.now();
const say = (m) => console.log(`[werift-run +${Date.now() - t0}ms] ${m}`);

const ifaces = Object.keys(os.networkInterfaces()).filter((n) => n !== 'lo');
if (ifaces.length) {
  console.error('refusing to run: network interfaces other than lo are present: ' + ifaces.join(', ') +
      ' (run inside `unshare -n`, see capture.sh)');
  process.exit(2);
}

const overall = setTimeout(() => { say('TIMEOUT after ' + TIMEOUT_MS + ' ms'); process.exit(1); }, TIMEOUT_MS);

const {RTCPeerConnection} = require('werift');
const wVersion = JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules', 'werift', 'package.json'), 'utf8')).version;

// Empty iceServers: werift otherwise asks a public STUN server. Loopback is skipped by werift's
// interface scan unless added explicitly.
const CONFIG = {
  iceServers: [],
  iceAdditionalHostAddresses: ['127.0.0.1'],
  iceUseIpv6: false,
};

function writeResult(name, desc, candidates) {
  fs.writeFileSync(path.join(opt.out, name + '.sdp'), desc.sdp, 'utf8');
  fs.writeFileSync(path.join(opt.out, name + '.candidates.txt'),
      candidates.length ? candidates.join('\n') + '\n' : '', 'utf8');
  say(`wrote ${name}.sdp (${Buffer.byteLength(desc.sdp)} bytes, type ${desc.type}) and ` +
      `${name}.candidates.txt (${candidates.length} lines)`);
}

// Resolves once gathering is complete; collects trickled candidate strings into sink.
function collect(pc, sink) {
  return new Promise((resolve) => {
    pc.onIceCandidate.subscribe((c) => {
      if (c && c.candidate) sink.push(c.candidate);
    });
    pc.iceGatheringStateChange.subscribe((state) => { if (state === 'complete') resolve(); });
  });
}

function bounded(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(what + ' not within ' + ms + ' ms')), ms); }),
  ]);
}

// --answer-to OFFER.sdp --answer-name NAME: answer an offer another peer produced; no connection.
async function answerRemote() {
  const answerer = new RTCPeerConnection(CONFIG);
  const candidates = [];
  const gathered = collect(answerer, candidates);
  await answerer.setRemoteDescription({type: 'offer', sdp: fs.readFileSync(opt['answer-to'], 'utf8')});
  await answerer.setLocalDescription(await answerer.createAnswer());
  if (answerer.iceGatheringState !== 'complete') await bounded(gathered, 30000, 'answer gathering');
  writeResult(opt['answer-name'], answerer.localDescription, candidates);
  await Promise.race([answerer.close(), new Promise((r) => setTimeout(r, 5000))]);
}

async function main() {
  fs.mkdirSync(opt.out, {recursive: true});
  say('werift ' + wVersion + ', node ' + process.version);
  if (opt['answer-to']) {
    if (!/^[a-z0-9-]+$/.test(opt['answer-name'] || '')) throw new Error('--answer-to needs --answer-name NAME');
    await answerRemote();
    return;
  }
  const offerer = new RTCPeerConnection(CONFIG);
  const offerChannel = offerer.createDataChannel('data');
  const offerCandidates = [];
  const offerGathered = collect(offerer, offerCandidates);
  await offerer.setLocalDescription(await offerer.createOffer());
  if (offerer.iceGatheringState !== 'complete') await bounded(offerGathered, 30000, 'offer gathering');
  writeResult('werift-offer', offerer.localDescription, offerCandidates);

  const answerer = new RTCPeerConnection(CONFIG);
  const answerCandidates = [];
  const answerGathered = collect(answerer, answerCandidates);
  const remoteChannel = new Promise((resolve) => answerer.onDataChannel.subscribe((ch) => resolve(ch)));
  await answerer.setRemoteDescription(offerer.localDescription);
  await answerer.setLocalDescription(await answerer.createAnswer());
  if (answerer.iceGatheringState !== 'complete') await bounded(answerGathered, 30000, 'answer gathering');
  writeResult('werift-answer', answerer.localDescription, answerCandidates);

  // Sanity check that the captured pair connects; only logged.
  try {
    await offerer.setRemoteDescription(answerer.localDescription);
    const ch = await bounded(remoteChannel, 20000, 'remote data channel');
    const got = bounded(new Promise((resolve) => ch.onMessage.subscribe((m) => resolve(m.toString()))), 20000, 'message');
    if (offerChannel.readyState !== 'open') {
      await bounded(new Promise((resolve) => offerChannel.stateChanged.subscribe((s) => { if (s === 'open') resolve(); })), 20000, 'channel open');
    }
    offerChannel.send('ping');
    say('connected: echo check got "' + (await got) + '"');
  } catch (e) {
    say('connect check failed: ' + e);
  }
  await Promise.race([Promise.all([offerer.close(), answerer.close()]), new Promise((r) => setTimeout(r, 5000))]);
}

main().then(() => { clearTimeout(overall); say('exit 0'); process.exit(0); },
    (e) => { say('error: ' + ((e && e.stack) || e)); process.exit(1); });
