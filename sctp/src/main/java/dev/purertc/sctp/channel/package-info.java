/**
 * WebRTC data channels (RFC 8831) with DCEP (RFC 8832) over one association:
 * {@link dev.purertc.sctp.channel.DataChannels} owns the association's events and the channels,
 * {@link dev.purertc.sctp.channel.DataChannel} has the browser's API and semantics. Sans-I/O and
 * confined to one thread, like the association.
 */
package dev.purertc.sctp.channel;
