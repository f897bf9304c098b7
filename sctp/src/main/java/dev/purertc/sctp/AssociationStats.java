package dev.purertc.sctp;

/**
 * A snapshot of an association's sender state, for getStats ({@code RTCSctpTransportStats} has
 * congestionWindow, receiverWindow, smoothedRoundTripTime and mtu) and diagnostics.
 *
 * @param congestionWindow     cwnd in bytes (RFC 9260 §7.2)
 * @param receiverWindow       the peer's receive window as last advertised, less what is in flight
 * @param bytesInFlight        bytes of DATA chunks sent and not yet acknowledged
 * @param smoothedRttNanos     SRTT (RFC 9260 §6.3.1), or -1 before the first measurement
 * @param mtu                  the largest SCTP packet the association sends
 * @param slowStartThreshold   ssthresh in bytes (0 before the association is established)
 * @param rtoNanos             the current retransmission timeout
 * @param retransmittedChunks  DATA chunks sent more than once so far
 * @param t3Expiries           retransmission timer expiries so far
 * @param fastRecoveries       fast retransmit episodes so far
 * @param lostRetransmissions  fast retransmissions that were lost themselves and went again before T3-rtx
 */
public record AssociationStats(long congestionWindow, long receiverWindow, long bytesInFlight, long smoothedRttNanos,
                               int mtu, long slowStartThreshold, long rtoNanos, long retransmittedChunks,
                               long t3Expiries, long fastRecoveries, long lostRetransmissions) {
}
