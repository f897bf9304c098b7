package dev.purertc.ice;

import org.ice4j.TransportAddress;
import org.ice4j.ice.CandidateTcpType;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;

/**
 * A passive TCP host candidate (RFC 6544 §4.1) on an {@link dev.purertc.ice.tcp.IceTcpListener} port, with
 * RFC 6544 §4.2's priority: ice4j computes TCP candidates' priorities as UDP ones, which would make a TCP
 * pair as preferred as a UDP one.
 */
final class TcpPassiveHostCandidate extends HostCandidate {

    /** Chromium's type preference for TCP host candidates: below every UDP type (RFC 6544 §4.2). */
    static final int TYPE_PREFERENCE_HOST_TCP = 90;
    /** And for peer-reflexive TCP candidates (the PRIORITY of checks sent from this candidate). */
    static final int TYPE_PREFERENCE_PRFLX_TCP = 80;
    /** RFC 6544 §4.2: direction-pref of a passive host candidate (active 6, passive 4, S-O 2). */
    static final int DIRECTION_PREFERENCE_PASSIVE = 4;
    /** RFC 6544 §4.2: other-pref, 13 bits; one listener address per family, so the highest. */
    static final int OTHER_PREFERENCE = 8191;

    TcpPassiveHostCandidate(TransportAddress address, Component component) {
        super(address, component);
        setTcpType(CandidateTcpType.PASSIVE);
        computePriority();
    }

    /** RFC 8445 §5.1.2.1 with RFC 6544 §4.2's local preference: (2^13) direction-pref + other-pref. */
    @Override
    public long computePriorityForType(CandidateType type) {
        int typePreference = type == CandidateType.PEER_REFLEXIVE_CANDIDATE
                ? TYPE_PREFERENCE_PRFLX_TCP : TYPE_PREFERENCE_HOST_TCP;
        int localPreference = (DIRECTION_PREFERENCE_PASSIVE << 13) + OTHER_PREFERENCE;
        return ((long) typePreference << 24) + ((long) localPreference << 8)
                + (256 - getParentComponent().getComponentID());
    }
}
