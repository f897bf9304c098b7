// Captures graphscript 0.3.12's real service messages with a stubbed RTCPeerConnection (no network).
// Run: npm install graphscript@0.3.12 in a scratch directory, copy this file and
// capture-graphscript-stubs.cjs there, then: node capture-graphscript-messages.mjs > graphscript-0.3.12-messages.json
import './capture-graphscript-stubs.cjs';
const { WebRTCfrontend } = await import('graphscript/dist/index.esm.js');

const gsRoutes = {
  add: (a, b) => a + b,
  greet: (name) => 'hello ' + name,
  nothing: () => undefined,
  news: (x) => x,
};
const service = new WebRTCfrontend({ roots: gsRoutes });
const room = await service.openRTC({ _id: 'rtc1' });
const ch = room.channels.data;
const take = () => { const s = ch.sent.slice(); ch.sent.length = 0; return s; };
const out = { graphscriptSends: {}, graphscriptAnswers: {}, graphscriptResolves: {} };

// What graphscript sends (Java receives these).
room.post('chat', 'hi'); out.graphscriptSends.post = take()[0];
room.post('x', [1, 2], 'get'); out.graphscriptSends.postWithMethod = take()[0];
const runP = room.run('add', [2, 3]); out.graphscriptSends.run = take()[0];
room.run('user', 'bob', 'delete'); out.graphscriptSends.runWithMethod = take()[0];
room.request({ route: 'greet', args: ['bob'] }, 'post'); out.graphscriptSends.requestWithMethod = take()[0];
const subP = room.subscribe('ticks', (v) => { out.graphscriptResolves.push = v; });
out.graphscriptSends.subscribe = take()[0];
room.unsubscribe('ticks', 0); out.graphscriptSends.unsubscribe = take()[0];
room.send({ route: 'chat', args: 'x' }); out.graphscriptSends.sendObject = take()[0];
room.send('plain text'); out.graphscriptSends.sendText = take()[0];

// graphscript resolving replies written by PureRTC.
const runCb = JSON.parse(out.graphscriptSends.run).args[2];
ch.deliver(JSON.stringify({ args: 5, callbackId: runCb }));
out.graphscriptResolves.run = await runP;
const subCb = JSON.parse(out.graphscriptSends.subscribe).args[2];
ch.deliver(JSON.stringify({ args: 7, callbackId: subCb }));
out.graphscriptResolves.subscribe = await subP;
ch.deliver('{"args":{"t":1},"callbackId":"ticks"}');
// graphscript 0.3.12 hands the raw string to its state, so subscribeToRTC's res?.callbackId never matches.
out.graphscriptResolves.pushDelivered = out.graphscriptResolves.push !== undefined;
const errP = room.run('nope');
const errCb = JSON.parse(take()[0]).args[2];
ch.deliver(JSON.stringify({ error: { code: 'NOT_FOUND', message: "no route 'nope' callable by remote peers" }, callbackId: errCb }));
out.graphscriptResolves.errorReply = (await errP) === undefined ? 'undefined' : 'defined';

// What graphscript answers to PureRTC's requests (exact text PureRTC's engine writes, callbackIds 1..).
const javaRequests = {
  run: '{"route":"runRequest","args":[{"route":"add","args":[2,3]},"rtc1",1]}',
  request: '{"route":"runRequest","args":[{"route":"greet","args":["bob"]},"rtc1",2]}',
  runNothing: '{"route":"runRequest","args":[{"route":"nothing"},"rtc1",3]}',
  subscribe: '{"route":"runRequest","args":[{"route":"subscribeRTC","args":["news","rtc1",null,null,null,"data"]},"rtc1",4]}',
  stringCallbackId: '{"route":"runRequest","args":[{"route":"greet","args":["x"]},"rtc1","0.25"]}',
};
for (const [k, msg] of Object.entries(javaRequests)) {
  take();
  let r = service.receive(msg);
  if (r instanceof Promise) await r;
  await new Promise((res) => setTimeout(res, 0));
  out.graphscriptAnswers[k] = { request: msg, replies: take() };
}
// A subscribed route's output is pushed.
take();
service.run('news', 'extra!');
await new Promise((res) => setTimeout(res, 0));
out.graphscriptAnswers.push = { request: null, replies: take() };
const subNumber = JSON.parse(out.graphscriptAnswers.subscribe.replies[0]).args;
const unsub = `{"route":"runRequest","args":[{"route":"unsubscribe","args":["news",${subNumber}]},"rtc1",5]}`;
take();
service.receive(unsub);
await new Promise((res) => setTimeout(res, 0));
out.graphscriptAnswers.unsubscribe = { request: unsub, replies: take() };
service.run('news', 'after');
await new Promise((res) => setTimeout(res, 0));
out.graphscriptAnswers.pushAfterUnsubscribe = { request: null, replies: take() };

console.log(JSON.stringify(out, null, 2));
