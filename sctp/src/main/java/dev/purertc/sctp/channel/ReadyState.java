package dev.purertc.sctp.channel;

/** RTCDataChannelState (W3C WebRTC §6.2). */
public enum ReadyState { CONNECTING, OPEN, CLOSING, CLOSED }
