// Runs PureRTC's driver script (interop-tests/src/test/resources/dev/purertc/interop/driver.js,
// served by the test at BASE/driver.js) in node on werift's WebRTC polyfill, so the Java test drives
// werift with exactly the commands and events it uses for browsers (dev.purertc.interop.BrowserPeer).
//
// usage: node driver.mjs http://127.0.0.1:PORT/driver.html
// Started by the test inside its lo-only network namespace; refuses to run anywhere else.
import os from 'node:os';
import fs from 'node:fs';
import {installPolyfill} from 'werift/polyfill';

const pageUrl = process.argv[2];
if (!pageUrl || !pageUrl.startsWith('http://127.0.0.1:')) {
  console.error('usage: node driver.mjs http://127.0.0.1:PORT/driver.html');
  process.exit(2);
}
const others = Object.keys(os.networkInterfaces()).filter((n) => n !== 'lo');
if (others.length) {
  console.error('refusing to run: network interfaces other than lo are present: ' + others.join(', '));
  process.exit(2);
}

const weriftVersion = JSON.parse(fs.readFileSync(new URL('./node_modules/werift/package.json', import.meta.url), 'utf8')).version;
// Empty iceServers: werift otherwise asks a public STUN server. werift skips loopback in its
// interface scan unless it is added explicitly.
installPolyfill({
  mediaRegister: [],
  peerConnectionConfig: {iceServers: [], iceAdditionalHostAddresses: ['127.0.0.1'], iceUseIpv6: false},
  userAgent: `werift/${weriftVersion} node/${process.versions.node}`,
});

// The script uses page-relative URLs and closes its window when the test is gone.
const base = new URL(pageUrl);
const nodeFetch = globalThis.fetch;
globalThis.fetch = (url, init) => nodeFetch(new URL(url, base), init);
globalThis.window = {close: () => process.exit(0)};

const response = await nodeFetch(new URL('driver.js', base));
if (!response.ok) {
  console.error('GET driver.js -> ' + response.status);
  process.exit(1);
}
// The driver script is the test's own code, served from the test's server on 127.0.0.1.
new Function(await response.text())();
