/**
 * The receive side of an association: which TSNs arrived and when a SACK is due
 * ({@link dev.purertc.sctp.rx.DataTracker}), and reassembly of fragments into ordered or unordered
 * messages bounded by the maximum message size ({@link dev.purertc.sctp.rx.ReassemblyQueue}).
 * Internal to the association; single-threaded.
 */
package dev.purertc.sctp.rx;
