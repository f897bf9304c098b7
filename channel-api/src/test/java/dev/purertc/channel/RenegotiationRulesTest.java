package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.purertc.dtls.DtlsFingerprint;
import dev.purertc.dtls.DtlsRole;
import dev.purertc.ice.IceCredentials;
import dev.purertc.sdp.SdpValidationException;
import dev.purertc.sdp.SetupRole;

/** {@link Renegotiation}'s rules without a connection: the negotiation-needed flag, restarts, what keeps DTLS. */
class RenegotiationRulesTest {

    private static final List<DtlsFingerprint> CERT_A = List.of(DtlsFingerprint.parse("sha-256 " + "AB:".repeat(31) + "AB"));
    private static final List<DtlsFingerprint> CERT_B = List.of(DtlsFingerprint.parse("sha-256 " + "CD:".repeat(31) + "CD"));

    @Test
    void negotiationNeededFiresOnceInStableAndAgainWhenAnExchangeDidNotCarryTheRestart() {
        Renegotiation r = new Renegotiation();
        assertTrue(r.dataChannelCreated(SignalingState.STABLE), "the first channel before any negotiation");
        assertFalse(r.dataChannelCreated(SignalingState.STABLE), "once until the flag is cleared");
        assertFalse(r.stable(true), "the first exchange negotiated the data section");

        assertFalse(r.requestIceRestart("ufragA", SignalingState.HAVE_REMOTE_OFFER), "not outside stable");
        assertTrue(r.restartPending());
        r.localDescriptionApplied("ufragA"); // an answer with the same credentials does not carry it
        assertTrue(r.stable(true), "back in stable with the restart still asked for");
        assertTrue(r.offerRestartsAgent(false, "ufragA", "ufragA"));
        assertFalse(r.offerRestartsAgent(false, "ufragB", "ufragA"), "already restarted, not yet described");
        r.localDescriptionApplied("ufragB");
        assertFalse(r.restartPending());
        assertFalse(r.stable(true));
        assertFalse(r.offerRestartsAgent(false, "ufragB", "ufragB"));
        assertTrue(r.offerRestartsAgent(true, "ufragB", "ufragB"), "the iceRestart option alone");
        assertFalse(r.dataChannelCreated(SignalingState.STABLE), "a later channel needs no negotiation");
    }

    @Test
    void aLaterDescriptionMustKeepTheDtlsCertificateAndRole() throws Exception {
        Renegotiation.checkKeepsDtls(null, List.of(), CERT_B, DtlsRole.CLIENT, null, "0"); // nothing settled yet
        Renegotiation.checkKeepsDtls(DtlsRole.CLIENT, CERT_A, CERT_A, DtlsRole.CLIENT, null, "0");
        Renegotiation.checkKeepsDtls(DtlsRole.CLIENT, CERT_A, CERT_A, null, SetupRole.ACTPASS, "0");
        Renegotiation.checkKeepsDtls(DtlsRole.CLIENT, CERT_A, CERT_A, null, SetupRole.PASSIVE, "0");

        assertEquals("fingerprint", assertThrows(SdpValidationException.class, () ->
                Renegotiation.checkKeepsDtls(DtlsRole.CLIENT, CERT_A, CERT_B, null, SetupRole.ACTPASS, "0")).attribute());
        assertEquals("setup", assertThrows(SdpValidationException.class, () ->
                Renegotiation.checkKeepsDtls(DtlsRole.CLIENT, CERT_A, CERT_A, DtlsRole.SERVER, null, "0")).attribute());
        assertEquals("setup", assertThrows(SdpValidationException.class, () ->
                Renegotiation.checkKeepsDtls(DtlsRole.CLIENT, CERT_A, CERT_A, null, SetupRole.ACTIVE, "0")).attribute());
        assertEquals(SetupRole.ACTIVE, Renegotiation.answerSetupKeeping(DtlsRole.CLIENT));
        assertEquals(SetupRole.PASSIVE, Renegotiation.answerSetupKeeping(DtlsRole.SERVER));
    }

    @Test
    void newRemoteCredentialsRestartAndAnAnswerMayOnlyBringThemToARestartOffer() throws Exception {
        IceCredentials old = new IceCredentials("aaaa", "a".repeat(22));
        IceCredentials fresh = new IceCredentials("bbbb", "b".repeat(22));
        assertFalse(Renegotiation.remoteRestarts(null, fresh, false, false, "0"), "the first description");
        assertFalse(Renegotiation.remoteRestarts(old, old, true, false, "0"));
        assertTrue(Renegotiation.remoteRestarts(old, fresh, false, false, "0"));
        assertTrue(Renegotiation.remoteRestarts(old, fresh, true, true, "0"));
        assertEquals("ice-ufrag", assertThrows(SdpValidationException.class, () ->
                Renegotiation.remoteRestarts(old, fresh, true, false, "0")).attribute());
    }
}
