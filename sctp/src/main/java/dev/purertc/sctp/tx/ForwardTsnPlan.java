package dev.purertc.sctp.tx;

/**
 * What a FORWARD TSN chunk must say (RFC 3758 §3.2): the new cumulative TSN (wire form) and, per
 * ordered stream with abandoned messages, the largest SSN skipped.
 */
public record ForwardTsnPlan(long newCumulativeTsn, int[] streamIds, int[] ssns) {}
