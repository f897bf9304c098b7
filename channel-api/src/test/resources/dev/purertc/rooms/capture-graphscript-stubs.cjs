// Browser globals graphscript 0.3.12 touches when loaded, and a recording RTCDataChannel/RTCPeerConnection.
globalThis.HTMLElement = class {};
globalThis.customElements = { define() {}, get() { return undefined; } };
globalThis.window = globalThis;
globalThis.document = { createElement: () => ({ style: {}, appendChild() {}, setAttribute() {} }), head: { appendChild() {} }, body: { appendChild() {} }, addEventListener() {}, querySelector() { return null; } };
class RTCDataChannel {
  constructor(label) { this.label = label; this.sent = []; this.listeners = []; }
  send(x) { this.sent.push(x); }
  addEventListener(t, f) { if (t === 'message') this.listeners.push(f); }
  removeEventListener(t, f) { this.listeners = this.listeners.filter(g => g !== f); }
  deliver(data) { for (const f of [...this.listeners]) f({ data }); }
}
globalThis.RTCDataChannel = RTCDataChannel;
globalThis.RTCPeerConnection = class {
  constructor() { this.signalingState = 'stable'; this.localDescription = null; }
  createDataChannel(label) { return new RTCDataChannel(label); }
  createOffer() { return Promise.resolve({ type: 'offer', sdp: 'v=0\r\n' }); }
  setLocalDescription(d) { this.localDescription = d; return Promise.resolve(); }
  addEventListener() {}
};
globalThis.Worker = class { constructor(){} addEventListener(){} postMessage(){} };
