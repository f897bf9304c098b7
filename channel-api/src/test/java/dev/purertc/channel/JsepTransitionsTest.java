package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.purertc.channel.RTCSessionDescription.Type;

class JsepTransitionsTest {

    @Test
    void offerAnswerMovesThroughTheW3cStates() {
        assertEquals(SignalingState.HAVE_LOCAL_OFFER, JsepTransitions.afterSetLocal(SignalingState.STABLE, Type.OFFER));
        assertEquals(SignalingState.HAVE_LOCAL_OFFER,
                JsepTransitions.afterSetLocal(SignalingState.HAVE_LOCAL_OFFER, Type.OFFER));
        assertEquals(SignalingState.STABLE, JsepTransitions.afterSetRemote(SignalingState.HAVE_LOCAL_OFFER, Type.ANSWER));
        assertEquals(SignalingState.HAVE_REMOTE_OFFER, JsepTransitions.afterSetRemote(SignalingState.STABLE, Type.OFFER));
        assertEquals(SignalingState.STABLE, JsepTransitions.afterSetLocal(SignalingState.HAVE_REMOTE_OFFER, Type.ANSWER));
        JsepTransitions.checkCreateOffer(SignalingState.STABLE);
        JsepTransitions.checkCreateOffer(SignalingState.HAVE_LOCAL_OFFER);
        JsepTransitions.checkCreateAnswer(SignalingState.HAVE_REMOTE_OFFER);
    }

    @Test
    void everyOtherCallIsRefusedNamingTheCallAndTheState() {
        assertEquals("createAnswer in signaling state STABLE",
                assertThrows(IllegalStateException.class, () -> JsepTransitions.checkCreateAnswer(SignalingState.STABLE))
                        .getMessage());
        assertThrows(IllegalStateException.class, () -> JsepTransitions.checkCreateAnswer(SignalingState.HAVE_LOCAL_OFFER));
        assertThrows(IllegalStateException.class, () -> JsepTransitions.checkCreateOffer(SignalingState.HAVE_REMOTE_OFFER));
        assertEquals("setRemoteDescription(answer) in signaling state STABLE", assertThrows(IllegalStateException.class,
                () -> JsepTransitions.afterSetRemote(SignalingState.STABLE, Type.ANSWER)).getMessage());
        assertThrows(IllegalStateException.class,
                () -> JsepTransitions.afterSetRemote(SignalingState.HAVE_LOCAL_OFFER, Type.OFFER));
        assertThrows(IllegalStateException.class,
                () -> JsepTransitions.afterSetRemote(SignalingState.HAVE_REMOTE_OFFER, Type.OFFER));
        assertThrows(IllegalStateException.class,
                () -> JsepTransitions.afterSetLocal(SignalingState.STABLE, Type.ANSWER));
        assertThrows(IllegalStateException.class,
                () -> JsepTransitions.afterSetLocal(SignalingState.HAVE_REMOTE_OFFER, Type.OFFER));
        SignalingState closed = SignalingState.CLOSED;
        assertThrows(IllegalStateException.class, () -> JsepTransitions.checkCreateOffer(closed));
        assertThrows(IllegalStateException.class, () -> JsepTransitions.checkCreateAnswer(closed));
        assertThrows(IllegalStateException.class, () -> JsepTransitions.afterSetLocal(closed, Type.OFFER));
        assertThrows(IllegalStateException.class, () -> JsepTransitions.afterSetRemote(closed, Type.ANSWER));
    }

    @Test
    void rollbackDiscardsAnUnansweredOfferAndIsRefusedElsewhere() {
        assertEquals(SignalingState.STABLE, JsepTransitions.afterRollback(SignalingState.HAVE_LOCAL_OFFER));
        assertEquals(SignalingState.STABLE, JsepTransitions.afterRollback(SignalingState.HAVE_REMOTE_OFFER));
        assertEquals("rollback in signaling state STABLE", assertThrows(IllegalStateException.class,
                () -> JsepTransitions.afterRollback(SignalingState.STABLE)).getMessage());
        assertThrows(IllegalStateException.class, () -> JsepTransitions.afterRollback(SignalingState.CLOSED));
    }

    @Test
    void onlyARemoteOfferMeetingOurOfferRollsBackImplicitly() {
        assertTrue(JsepTransitions.rollsBackImplicitly(SignalingState.HAVE_LOCAL_OFFER, Type.OFFER));
        assertFalse(JsepTransitions.rollsBackImplicitly(SignalingState.HAVE_LOCAL_OFFER, Type.ANSWER));
        assertFalse(JsepTransitions.rollsBackImplicitly(SignalingState.STABLE, Type.OFFER));
        assertFalse(JsepTransitions.rollsBackImplicitly(SignalingState.HAVE_REMOTE_OFFER, Type.OFFER));
    }
}
