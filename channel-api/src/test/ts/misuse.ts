import { SignalingClient, WebRtcRooms, callUser } from '../../main/resources/dev/purertc/signaling/purertc-signaling.js';

export async function wrong(): Promise<void> {
  const signaling = await SignalingClient.connect('/ws');
  const rooms = new WebRtcRooms();
  const room = await callUser(signaling, rooms, 42);
  const sub: string = await room.subscribe('ticks', () => {});
  room.terminate('now');
  const members: number[] = await signaling.join('lobby');
  signaling.onpresence = (event) => console.log(event.user);
}
