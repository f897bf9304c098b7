/**
 * Parts of the association state machine split out by concern: the signed state cookie
 * ({@link dev.purertc.sctp.association.StateCookie}), timers ({@link dev.purertc.sctp.association.Timer})
 * and RE-CONFIG stream reset ({@link dev.purertc.sctp.association.StreamResetHandler}). The handshake,
 * shutdown, heartbeat and packet assembly are in {@link dev.purertc.sctp.Association}. Internal.
 */
package dev.purertc.sctp.association;
