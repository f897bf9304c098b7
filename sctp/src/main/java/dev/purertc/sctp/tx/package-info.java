/**
 * The send side of an association: per-stream queues with a round-robin scheduler
 * ({@link dev.purertc.sctp.tx.SendQueue}), outstanding data with SACK handling, fast retransmit,
 * congestion control and partial reliability ({@link dev.purertc.sctp.tx.RetransmissionQueue}), and
 * the RTO estimator ({@link dev.purertc.sctp.tx.RetransmissionTimeout}). Internal; single-threaded.
 */
package dev.purertc.sctp.tx;
