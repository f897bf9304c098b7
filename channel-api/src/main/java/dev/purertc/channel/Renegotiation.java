package dev.purertc.channel;

import java.util.List;

import dev.purertc.dtls.DtlsFingerprint;
import dev.purertc.dtls.DtlsRole;
import dev.purertc.ice.IceCredentials;
import dev.purertc.sdp.SdpValidationException;
import dev.purertc.sdp.SetupRole;

/**
 * What changes once a connection has negotiated (JSEP RFC 8829 §5.2.2 and §5.3.2, subsequent offers and
 * answers): the negotiation-needed flag of W3C WebRTC §4.7.3 and when its event fires, the ICE restart
 * that {@code restartIce()} or an {@code iceRestart} offer asks for (RFC 8445 §9), and the checks that
 * keep DTLS and SCTP as they are while the descriptions change. {@link JsepTransitions} says which call
 * is allowed in which signaling state; this class says what a later offer or answer may change.
 *
 * <p>A later description may change the ICE credentials (a restart: the data path moves to the new pair,
 * DTLS and SCTP go on over it) but not the DTLS certificate or role: PureRTC keeps one DTLS association
 * for the life of a connection, so a description asking for a new one is refused before anything
 * changes.
 *
 * <p>Not thread-safe: used under the connection's signaling lock.
 */
final class Renegotiation {

    /** W3C [[LocalIceCredentialsToReplace]]: the ufrag restartIce() replaces, or null when no restart is asked for. */
    private String ufragToReplace;
    /** A data channel was created before any data section was negotiated (W3C §6.1 step "negotiation-needed"). */
    private boolean channelAwaitsNegotiation;
    /** A data section has been negotiated (signaling reached stable with both descriptions at least once). */
    private boolean negotiated;
    /** W3C [[NegotiationNeeded]]: the event fired and the flag holds until the next return to stable. */
    private boolean flagged;

    /**
     * {@code restartIce()} (W3C WebRTC §4.4.1.5): the next offer carries new ICE credentials.
     *
     * @param describedUfrag the ufrag of the local description in force, or null before one
     * @return whether {@code negotiationneeded} fires now
     */
    boolean requestIceRestart(String describedUfrag, SignalingState state) {
        if (describedUfrag != null) {
            ufragToReplace = describedUfrag;
        }
        return check(state);
    }

    /** A data channel was created; returns whether {@code negotiationneeded} fires now. */
    boolean dataChannelCreated(SignalingState state) {
        if (!negotiated) {
            channelAwaitsNegotiation = true;
        }
        return check(state);
    }

    /**
     * Whether the offer being created restarts the ICE agent: asked for (option or {@code restartIce()}),
     * and the agent still has the credentials of the local description in force (a restart offer created
     * before and not applied already holds new credentials: they are offered again, not replaced).
     */
    boolean offerRestartsAgent(boolean iceRestartOption, String agentUfrag, String describedUfrag) {
        boolean asked = iceRestartOption || ufragToReplace != null;
        return asked && describedUfrag != null && agentUfrag.equals(describedUfrag);
    }

    /** A local description with {@code ufrag} was applied: a restart asked for is done once the ufrag differs. */
    void localDescriptionApplied(String ufrag) {
        if (ufragToReplace != null && !ufragToReplace.equals(ufrag)) {
            ufragToReplace = null;
        }
    }

    /**
     * Signaling returned to stable (an answer applied or a rollback): W3C clears the flag and checks again,
     * so a restart that the completed exchange did not carry fires {@code negotiationneeded} anew.
     *
     * @param bothDescriptions whether a local and a remote description are in force
     * @return whether {@code negotiationneeded} fires now
     */
    boolean stable(boolean bothDescriptions) {
        if (bothDescriptions) {
            negotiated = true;
            channelAwaitsNegotiation = false;
        }
        flagged = false;
        return check(SignalingState.STABLE);
    }

    /** Whether an ICE restart was asked for and no local description has carried it yet. */
    boolean restartPending() {
        return ufragToReplace != null;
    }

    /** Whether a negotiation-needed event fired and not yet acted on still has something to negotiate. */
    boolean stillNeeded() {
        return flagged && (ufragToReplace != null || channelAwaitsNegotiation);
    }

    private boolean check(SignalingState state) {
        boolean needed = ufragToReplace != null || channelAwaitsNegotiation;
        if (!needed || flagged || state != SignalingState.STABLE) {
            return false;
        }
        flagged = true;
        return true;
    }

    /**
     * The {@code a=setup} of an answer once DTLS roles are settled: the same role again (RFC 8842 §5.5,
     * JSEP §5.3.2), whatever a later offer says, so the existing association is kept.
     */
    static SetupRole answerSetupKeeping(DtlsRole current) {
        return current == DtlsRole.CLIENT ? SetupRole.ACTIVE : SetupRole.PASSIVE;
    }

    /**
     * A later remote description must keep the DTLS association (RFC 8842 §5.5): the same certificate
     * fingerprints, and for an answer the same role; an offer's {@code a=setup} must leave our role
     * possible. PureRTC has no DTLS renegotiation: a description asking for one is refused.
     *
     * @param currentRole   this side's DTLS role, or null before one is settled (then nothing is checked)
     * @param answerRole    the role an answer decides for this side, null for an offer
     * @param offeredSetup  an offer's {@code a=setup} (absent meaning actpass), null for an answer
     */
    static void checkKeepsDtls(DtlsRole currentRole, List<DtlsFingerprint> current, List<DtlsFingerprint> next,
                               DtlsRole answerRole, SetupRole offeredSetup, String mid) throws SdpValidationException {
        if (currentRole == null) {
            return;
        }
        if (!current.equals(next)) {
            throw new SdpValidationException("fingerprint", mid, "a later description changes the DTLS certificate; "
                    + "PureRTC keeps one DTLS association per connection (no DTLS renegotiation)");
        }
        if (answerRole != null && answerRole != currentRole) {
            throw new SdpValidationException("setup", mid, "the answer makes this side DTLS " + answerRole
                    + ", it is " + currentRole + " in the association in use (RFC 8842 §5.5)");
        }
        if (offeredSetup != null && offeredSetup != SetupRole.ACTPASS
                && offeredSetup.answerTo(answerSetupKeeping(currentRole)) != answerSetupKeeping(currentRole)) {
            throw new SdpValidationException("setup", mid, "a=setup:" + offeredSetup.token()
                    + " asks this side to change its DTLS role " + currentRole + " (RFC 8842 §5.5)");
        }
    }

    /**
     * Whether a remote description restarts ICE (RFC 8839 §4.4.1.1.1: new ice-ufrag or ice-pwd). An answer
     * may only do so to an offer of ours that restarted: otherwise it is refused.
     *
     * @param current        the remote credentials in force, or null before the first remote description
     * @param offerRestarted for an answer: whether our offer carried new credentials; ignored for an offer
     */
    static boolean remoteRestarts(IceCredentials current, IceCredentials next, boolean isAnswer,
                                  boolean offerRestarted, String mid) throws SdpValidationException {
        if (current == null || current.equals(next)) {
            return false;
        }
        if (isAnswer && !offerRestarted) {
            throw new SdpValidationException("ice-ufrag", mid, "the answer changes the ICE credentials, but the "
                    + "offer did not restart ICE (RFC 8839 §4.4.1.1.1)");
        }
        return true;
    }
}
