// Types of purertc-signaling.js, the browser module served by PureRTC's signaling server at
// /purertc-signaling.js. Checked by tsc in the build (channel-api's JsModuleTypesNodeTest).

/** A room id nobody can guess: "rtc" and 32 hex digits. */
export function randomRoomId(): string;

/** Call information in graphscript's names or the seed document's (host/peer). */
export interface CallSignals {
  description?: RTCSessionDescriptionInit | string;
  candidates?: Record<string, RTCIceCandidateInit>;
  hostdescription?: RTCSessionDescriptionInit | string;
  peerdescription?: RTCSessionDescriptionInit | string;
  hostcandidates?: Record<string, RTCIceCandidateInit>;
  peercandidates?: Record<string, RTCIceCandidateInit>;
  [other: string]: unknown;
}

export function seedSignals(options: CallSignals): {
  description?: RTCSessionDescriptionInit | string;
  candidates?: Record<string, RTCIceCandidateInit>;
  rest: Record<string, unknown>;
};

export function decodeSignal<T = unknown>(value: T | string): T;

/** A ws:// or wss:// URL as it is, or a path such as '/ws' on the page's own server (wss: on HTTPS pages). */
export function signalingUrl(url: string, location?: { protocol: string; host: string }): string;

/** A message the server relays, as the receiver sees it. */
export interface SignalingMessage {
  type?: string;
  from?: string;
  to?: string;
  room?: string;
  [field: string]: unknown;
}

/** Options of a SignalingClient. */
export interface SignalingClientOptions {
  /** Bound of every request to the server, 30000 by default. */
  requestTimeoutMs?: number;
  /** Reconnect after a close that close() did not ask for, resume the user id and join again. */
  reconnect?: boolean;
  /** Further servers tried in turn after the first one, on reconnection. */
  urls?: string[];
  /** First reconnection delay, 250 by default, doubling per failed attempt. */
  initialBackoffMs?: number;
  /** Longest reconnection delay, 10000 by default. */
  maxBackoffMs?: number;
  /** Attempts before giving up, unbounded by default. */
  maxAttempts?: number;
}

/** Another user came to or left a session (lobby) this client is in. */
export interface MemberEvent {
  type: 'member-joined' | 'member-left';
  session: string;
  user: string;
}

/**
 * A session's members after a reconnection joined it again; with `error` (the server's code, such as
 * "session-full") the session refused this client, which is no longer in it, and members is empty.
 */
export interface MembersEvent {
  type: 'members';
  session: string;
  members: string[];
  error?: string;
}

export type PresenceEvent = MemberEvent | MembersEvent;

/** The server's answer to register. */
export interface Registration {
  type: 'registered';
  user: string;
  /** Claims the id back after a disconnection. */
  secret?: string;
  [field: string]: unknown;
}

/** A WebSocket connection to the PureRTC signaling server. */
export class SignalingClient {
  constructor(url: string, options?: SignalingClientOptions);
  static connect(url: string, options?: SignalingClientOptions): Promise<SignalingClient>;
  readonly url: string;
  readonly urls: string[];
  connectionId: string | undefined;
  user: string | undefined;
  secret: string | undefined;
  /** The sessions this client joined (joined again after a reconnection). */
  readonly sessions: Set<string>;
  /** A socket is open and has its connection id; requests made otherwise fail with code "not-connected". */
  readonly connected: boolean;
  onmessage: ((message: SignalingMessage) => void) | undefined;
  /** Presence events; without it they go to onmessage. */
  onpresence: ((event: PresenceEvent) => void) | undefined;
  /** Every close of an open connection, also one followed by a reconnection. */
  onclose: ((code: number, reason: string) => void) | undefined;
  onreconnecting: ((attempt: number, delayMs: number) => void) | undefined;
  onresume: ((client: SignalingClient) => void) | undefined;
  open(url?: string): Promise<SignalingClient>;
  register(user: string, secret?: string): Promise<Registration>;
  /** Joins a session (lobby): its members, this user among them, in order. */
  join(session: string): Promise<string[]>;
  leave(session: string): Promise<void>;
  members(session: string): Promise<string[]>;
  send(to: string, type: string, fields?: Record<string, unknown>): Promise<void>;
  run(user: string, route: string, args?: unknown): Promise<unknown>;
  post(user: string, route: string, args?: unknown): Promise<void>;
  handle(route: string, fn: (args: unknown, from: string) => unknown): void;
  /** Closes for good: no reconnection follows. */
  close(): void;
}

/** One room: one RTCPeerConnection with a peer, graphscript's per-room API. */
export interface Room {
  _id: string;
  rtc: RTCPeerConnection;
  /** The seed document's names for the one connection. */
  rtcTransmit: RTCPeerConnection;
  rtcReceive: RTCPeerConnection;
  channels: Record<string, RTCDataChannel>;
  candidates: Record<string, RTCIceCandidateInit>;
  description?: RTCSessionDescriptionInit;
  hostdescription?: RTCSessionDescriptionInit;
  peerdescription?: RTCSessionDescriptionInit;
  hostcandidates?: Record<string, RTCIceCandidateInit>;
  peercandidates?: Record<string, RTCIceCandidateInit>;
  peer?: string;
  /** callUser: false (the caller, who restarts ICE on `disconnected`); answerCalls: true. */
  polite?: boolean;
  send(message: unknown): void;
  post(route: string, args?: unknown, method?: string): void;
  run(route: string, args?: unknown, method?: string): Promise<unknown>;
  request(message: { route: string; args?: unknown; [field: string]: unknown }, method?: string): Promise<unknown>;
  subscribe(route: string, callback: (value: unknown) => void, args?: unknown, key?: string): Promise<number>;
  unsubscribe(route: string, sub: number): Promise<boolean>;
  terminate(): void;
  /** The browser's statistics of the room's connection (W3C names, as Java's getStats()). */
  getStats(): Promise<RTCStatsReport>;
  [other: string]: unknown;
}

/** Options of openRTC / callUser / answerCalls: call signals, channels and event handlers. */
export interface RoomOptions extends CallSignals {
  _id?: string;
  config?: RTCConfiguration;
  channels?: Record<string, boolean | RTCDataChannelInit>;
  onicecandidate?: (ev: RTCPeerConnectionIceEvent) => void;
  onconnectionstatechange?: (ev: Event) => void;
  ondatachannel?: (ev: RTCDataChannelEvent) => void;
  ondata?: (message: unknown, channel: RTCDataChannel, room: Room) => void;
  /** answerCalls: the room of a call this tab answered, and the caller. */
  onanswered?: (room: Room, from: string) => void;
}

/** Rooms keyed by id, as graphscript's WebRTCfrontend. */
export class WebRtcRooms {
  constructor(options?: {
    iceServers?: RTCIceServer[];
    routes?: Record<string, (...args: any[]) => unknown>;
    requestTimeoutMs?: number;
    pendingLimits?: { maxCalls?: number; maxCallsPerCaller?: number; maxCandidatesPerCall?: number; ttlMs?: number };
  });
  rooms: Record<string, Room>;
  /** graphscript's name for the room map: the same object as rooms. */
  readonly rtc: Record<string, Room>;
  addRoute(name: string, fn: (...args: any[]) => unknown): void;
  runRoute(route: string, args?: unknown): Promise<unknown>;
  publish(route: string, output: unknown): void;
  publishKey(route: string, key: string, value: unknown): void;
  openRTC(options?: RoomOptions): Promise<Room>;
  answerPeer(roomOrId: Room | string, options?: CallSignals): Promise<Room>;
  addIceCandidate(roomOrId: Room | string, candidate: RTCIceCandidateInit): Promise<void>;
  /** A later offer or answer of the room's peer (perfect negotiation); resolves with the answer to send back. */
  applyRenegotiation(roomOrId: Room | string, description: RTCSessionDescriptionInit | string):
    Promise<RTCSessionDescriptionInit | undefined>;
  receiveCallInformation(options: RoomOptions & { _id: string }): void;
  answerCall(optionsOrId: RoomOptions | string): Promise<Room>;
  rejectCall(optionsOrId: RoomOptions | string): boolean;
  terminate(roomOrId: Room | string): void;
}

/** Calls a user through the server: a room bound to that user, its offer and candidates relayed. */
export function callUser(signaling: SignalingClient, rooms: WebRtcRooms, user: string, options?: RoomOptions): Promise<Room>;

/**
 * A room of callUser (the impolite caller) whose connection is `disconnected` while signaling is connected
 * restarts ICE; the offer goes through the relay by itself. Returns whether a restart was asked for.
 */
export function restartIceIfDisconnected(room: Room, state: RTCPeerConnectionState, signaling: SignalingClient): boolean;

/** Answers the calls the server relays; accept decides per call. */
export function answerCalls(signaling: SignalingClient, rooms: WebRtcRooms,
  accept?: (call: SignalingMessage) => boolean, options?: RoomOptions,
  limits?: { maxCalls?: number; maxCallsPerUser?: number }): void;
