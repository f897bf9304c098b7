#!/usr/bin/env node
// Runs ONE headless browser capture: serves page.html on 127.0.0.1, starts the browser in its
// own session (process group), writes the SDP/candidates the page POSTs back, then kills the
// browser's whole process group and waits for it. Must run inside a fresh network namespace
// that holds only `lo` (capture.sh does `unshare -n`); it refuses to run otherwise.
//
// usage: node browser-run.js --browser chromium|firefox --prefix P --stem S
//          [--gum none|audio|av] [--tracks 0|1] [--answer 0|1] --out DIR
//          [--allow-iface NAME] [--timeout-ms N] [--chromium-fake-media 0|1]
//          [--answer-to OFFER.sdp --answer-name NAME]
// --answer-to/--answer-name: instead of the page's own offer, answer the offer in OFFER.sdp (captured
//   from another peer) and write the answer as NAME.sdp / NAME.candidates.txt.
// --allow-iface NAME: also accept a namespace-local test interface (the mDNS capture needs a
//   non-loopback address; capture.sh creates a veth pair inside the throwaway namespace).
// --chromium-fake-media 0: leave out --use-fake-ui-for-media-stream / --use-fake-device-for-media-stream
//   (with the fake UI Chromium treats the page as holding media permission and does not hide
//   host addresses behind mDNS names).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const {spawn} = require('child_process');

function parseArgs(argv) {
  const a = {gum: 'none', tracks: '0', answer: '0', 'timeout-ms': '60000', 'allow-iface': [], 'chromium-fake-media': '1'};
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, '');
    if (argv[i + 1] === undefined) throw new Error('missing value for ' + argv[i]);
    if (k === 'allow-iface') a[k].push(argv[i + 1]); else a[k] = argv[i + 1];
  }
  for (const k of ['browser', 'prefix', 'stem', 'out']) if (!a[k]) throw new Error('missing --' + k);
  return a;
}

const args = parseArgs(process.argv.slice(2));
const TIMEOUT_MS = Number(args['timeout-ms']);
const t0 = Date.now();
const say = (m) => console.log(`[browser-run ${args.prefix}-${args.stem} +${Date.now() - t0}ms] ${m}`);

// Network-rule guard: only lo (plus explicitly allowed namespace-local test interfaces).
const ifaces = Object.keys(os.networkInterfaces()).filter((n) => n !== 'lo' && !args['allow-iface'].includes(n));
if (ifaces.length) {
  console.error('refusing to run: network interfaces other than lo are present: ' + ifaces.join(', ') +
      ' (run inside `unshare -n`, see capture.sh)');
  process.exit(2);
}

fs.mkdirSync(args.out, {recursive: true});
const page = fs.readFileSync(path.join(__dirname, 'page.html'));
// --answer-to FILE --answer-name NAME: answer an offer another peer produced (read from FILE).
const remoteOffer = args['answer-to'] ? fs.readFileSync(args['answer-to']) : null;
if ((remoteOffer === null) !== !args['answer-name']) throw new Error('--answer-to and --answer-name go together');
const expected = args.answer === '1' ? 2 : 1;
let written = [];
let browser = null;
let finishing = false;

function writeResult(r) {
  if (!/^[a-z0-9-]+$/.test(r.name)) throw new Error('bad result name ' + r.name);
  // The SDP string exactly as localDescription.sdp holds it (CRLF as the peer produced it).
  fs.writeFileSync(path.join(args.out, r.name + '.sdp'), r.sdp, 'utf8');
  const cands = r.candidates.length ? r.candidates.join('\n') + '\n' : '';
  fs.writeFileSync(path.join(args.out, r.name + '.candidates.txt'), cands, 'utf8');
  written.push(r.name);
  say(`wrote ${r.name}.sdp (${Buffer.byteLength(r.sdp)} bytes, type ${r.type}) and ` +
      `${r.name}.candidates.txt (${r.candidates.length} lines)`);
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET') {
    if (req.url === '/remote-offer' && remoteOffer !== null) {
      res.writeHead(200, {'content-type': 'application/sdp', 'cache-control': 'no-store'});
      res.end(remoteOffer);
    } else if (req.url.startsWith('/page.html')) {
      res.writeHead(200, {'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store'});
      res.end(page);
    } else {
      res.writeHead(404);
      res.end();
    }
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    let ok = true;
    try {
      const msg = body ? JSON.parse(body) : {};
      if (req.url === '/log') say('page: ' + msg.msg);
      else if (req.url === '/result') writeResult(msg);
      else if (req.url === '/done') { say('page done: ' + msg.userAgent); finish(written.length === expected ? 0 : 1); }
      else if (req.url === '/error') { say('page error: ' + msg.msg); finish(1); }
      else ok = false;
    } catch (e) {
      say('bad POST ' + req.url + ': ' + e);
      ok = false;
    }
    res.writeHead(ok ? 204 : 400);
    res.end();
  });
});

// Process ids whose process group is pgid (scan of /proc).
function groupMembers(pgid) {
  const out = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) out.push(Number(d));
    } catch (e) { /* process went away */ }
  }
  return out;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function killGroup(child) {
  const pgid = child.pid;
  const exited = new Promise((r) => { if (child.exitCode !== null || child.signalCode !== null) r(); else child.once('exit', r); });
  try { process.kill(-pgid, 'SIGTERM'); } catch (e) { /* already gone */ }
  await Promise.race([exited, sleep(5000)]);
  for (let i = 0; i < 50 && groupMembers(pgid).length; i++) await sleep(100);
  if (groupMembers(pgid).length) {
    say('process group ' + pgid + ' still alive after SIGTERM, sending SIGKILL');
    try { process.kill(-pgid, 'SIGKILL'); } catch (e) { /* gone */ }
  }
  await Promise.race([exited, sleep(5000)]);
  for (let i = 0; i < 50 && groupMembers(pgid).length; i++) await sleep(100);
  const left = groupMembers(pgid);
  if (left.length) say('WARNING: processes still in group ' + pgid + ': ' + left.join(' '));
  else say('browser process group ' + pgid + ' gone');
}

let tmpDir = null;

async function finish(code) {
  if (finishing) return;
  finishing = true;
  clearTimeout(overall);
  if (browser) await killGroup(browser);
  if (tmpDir) fs.rmSync(tmpDir, {recursive: true, force: true});
  server.close();
  say(`exit ${code}, wrote: ${written.join(', ') || 'nothing'}`);
  process.exit(code);
}

for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => { say('got ' + sig); finish(1); });

const overall = setTimeout(() => { say('TIMEOUT after ' + TIMEOUT_MS + ' ms'); finish(1); }, TIMEOUT_MS);

const FIREFOX_PREFS = {
  // WebRTC on loopback, fake media, permission granted without a prompt.
  'media.peerconnection.ice.loopback': true,
  'media.navigator.permission.disabled': true,
  'media.navigator.streams.fake': true,
  'permissions.default.microphone': 1,
  'permissions.default.camera': 1,
  'devtools.console.stdout.content': true,
  // Stop Firefox's own traffic.
  'app.update.enabled': false,
  'app.update.auto': false,
  'app.normandy.enabled': false,
  'app.normandy.api_url': '',
  'app.shield.optoutstudies.enabled': false,
  'browser.aboutHomeSnippets.updateUrl': '',
  'browser.newtabpage.enabled': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'browser.startup.page': 0,
  'browser.shell.checkDefaultBrowser': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.downloads.remote.enabled': false,
  'browser.safebrowsing.provider.google.updateURL': '',
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'browser.search.update': false,
  'browser.search.geoip.url': '',
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'browser.ping-centre.telemetry': false,
  'browser.newtabpage.activity-stream.feeds.telemetry': false,
  'browser.newtabpage.activity-stream.telemetry': false,
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.server': '',
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.predictor.enabled': false,
  'network.trr.mode': 5,
  'services.settings.server': 'http://127.0.0.1:9/',
  'services.sync.enabled': false,
  'media.gmp-manager.updateEnabled': false,
  'media.gmp-manager.url': '',
  'media.gmp-gmpopenh264.autoupdate': false,
  'media.gmp-widevinecdm.autoupdate': false,
  'media.gmp-widevinecdm.enabled': false,
  'extensions.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.blocklist.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'geo.provider.network.url': '',
  'identity.fxaccounts.enabled': false,
  'messaging-system.rsexperimentloader.enabled': false,
  'dom.push.enabled': false,
  'dom.push.serverURL': '',
  'security.OCSP.enabled': 0,
  'security.remote_settings.crlite_filters.enabled': false,
  'security.remote_settings.intermediates.enabled': false,
  'toolkit.startup.max_resumed_crashes': -1,
  'browser.tabs.crashReporting.sendReport': false,
  'breakpad.reportURL': '',
};

server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const qs = new URLSearchParams({prefix: args.prefix, stem: args.stem, gum: args.gum, tracks: args.tracks, answer: args.answer});
  if (args['answer-name']) qs.set('answername', args['answer-name']);
  const url = `http://127.0.0.1:${port}/page.html?${qs}`;
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), `capture-${args.browser}-`));
  let cmd;
  let argv;
  let env = {...process.env};
  if (args.browser === 'chromium') {
    cmd = '/usr/lib/chromium/chromium';
    argv = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--user-data-dir=${tmpDir}`, '--allow-loopback-in-peer-connection'];
    if (args['chromium-fake-media'] !== '0') argv.push('--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream');
    argv.push(url);
  } else if (args.browser === 'firefox') {
    const prefs = Object.entries(FIREFOX_PREFS).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`);
    fs.writeFileSync(path.join(tmpDir, 'user.js'), prefs.join('\n') + '\n');
    cmd = 'firefox-esr';
    argv = ['--headless', '--no-remote', '--profile', tmpDir, url];
    env = {...env, MOZ_DISABLE_NONLOCAL_CONNECTIONS: '1', MOZ_CRASHREPORTER_DISABLE: '1', MOZ_HEADLESS: '1'};
  } else {
    throw new Error('unknown --browser ' + args.browser);
  }
  say(`serving ${url}; starting ${cmd}`);
  // detached => setsid(): the browser leads a new session/process group we can kill as a whole.
  browser = spawn(cmd, argv, {detached: true, env, stdio: ['ignore', 'pipe', 'pipe']});
  const logFile = fs.createWriteStream(path.join(os.tmpdir(), `capture-${args.prefix}-${args.stem}.browser.log`));
  browser.stdout.pipe(logFile);
  browser.stderr.pipe(logFile);
  browser.on('exit', (code, sig) => {
    if (!finishing) { say(`browser exited early (code ${code}, signal ${sig})`); finish(1); }
  });
});
