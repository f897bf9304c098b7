// A page written against the declarations, as a user would: tsc must accept it, and must refuse the
// misuses in misuse.ts (JsModuleTypesNodeTest checks both).
import { SignalingClient, WebRtcRooms, callUser, answerCalls, signalingUrl, randomRoomId, type Room,
  type PresenceEvent }
  from '../../main/resources/dev/purertc/signaling/purertc-signaling.js';

export async function start(): Promise<number> {
  const signaling: SignalingClient = await SignalingClient.connect(signalingUrl('/ws'),
    { reconnect: true, urls: ['wss://backup.example/ws'], initialBackoffMs: 100, maxBackoffMs: 5000 });
  const registration = await signaling.register('me');
  const lobby = new Set<string>(await signaling.join('lobby'));
  signaling.onpresence = (event: PresenceEvent) => {
    if (event.type === 'members') event.members.forEach((m) => lobby.add(m));
    else if (event.type === 'member-joined') lobby.add(event.user);
    else lobby.delete(event.user);
  };
  signaling.onclose = (code: number, reason: string) => console.log(code, reason, signaling.connected);
  signaling.onreconnecting = (attempt, delayMs) => console.log(attempt, delayMs);
  signaling.onresume = (client) => console.log(client.user, client.secret === registration.secret);
  const others: string[] = (await signaling.members('lobby')).filter((m) => m !== signaling.user);
  await signaling.leave('lobby');
  console.log(others, [...signaling.sessions]);
  const rooms = new WebRtcRooms({ iceServers: [], routes: { add: (a: number, b: number) => a + b } });
  rooms.addRoute('chat', (text: string) => `got ${text}`);
  answerCalls(signaling, rooms, (call) => call.from !== 'blocked', {
    onanswered: (room: Room, from: string) => console.log(room._id, from),
  });
  const room: Room = await callUser(signaling, rooms, 'javapeer', { channels: { data: true } });
  const sum = await room.request({ route: 'add', args: [2, 3] });
  const sub: number = await room.subscribe('ticks', (tick) => console.log(tick));
  const stats: RTCStatsReport = await room.getStats();
  stats.forEach((s) => console.log(s.type));
  await room.unsubscribe('ticks', sub);
  console.log(randomRoomId(), sum, room.rtcTransmit === room.rtcReceive, rooms.rtc === rooms.rooms);
  room.terminate();
  return sub;
}
