/**
 * Parts of the association state machine split out by concern: the signed state cookie
 * ({@link dev.purertc.sctp.association.StateCookie}), timers ({@link dev.purertc.sctp.association.Timer}),
 * RE-CONFIG stream reset ({@link dev.purertc.sctp.association.StreamResetHandler}) and heartbeats
 * ({@link dev.purertc.sctp.association.HeartbeatHandler}). The handshake, shutdown and packet
 * assembly are in {@link dev.purertc.sctp.Association}. Internal.
 */
package dev.purertc.sctp.association;
