package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.purertc.ice.IceTimeouts.Verdict;

class IceTimeoutsTest {

    @Test
    void withTheDefaultsAVanishedPeerIsDisconnectedBy5sAndFailedBy30sNeverLater() {
        IceTimeouts t = new IceTimeouts(IceOptions.defaults());
        assertEquals(250, t.periodMillis()); // 5 s / 20
        assertEquals(Verdict.NONE, t.consent(0, false));
        assertEquals(Verdict.NONE, t.consent(4_749, false));
        // The next look, 250 ms on, would be past 5 s: decided now.
        assertEquals(Verdict.DISCONNECTED, t.consent(4_750, false));
        assertEquals(Verdict.DISCONNECTED, t.consent(29_749, true));
        assertEquals(Verdict.FAILED, t.consent(29_750, true));
        assertEquals(Verdict.FAILED, t.consent(3_600_000, false));
        assertEquals(Verdict.RECOVERED, t.consent(2_000, true));
        assertFalse(t.connectExpired(29_749));
        assertTrue(t.connectExpired(29_750));
    }

    @Test
    void thePeriodIsATwentiethOfTheShortestTimeoutBetween20And250Ms() {
        IceOptions fast = IceOptions.builder().consentInterval(Duration.ofMillis(100))
                .disconnectedTimeout(Duration.ofMillis(400)).consentTimeout(Duration.ofMillis(800)).build();
        assertEquals(20, new IceTimeouts(fast).periodMillis());
        IceOptions quickConnect = IceOptions.builder().connectTimeout(Duration.ofSeconds(2)).build();
        assertEquals(100, new IceTimeouts(quickConnect).periodMillis());
        IceOptions slow = IceOptions.builder().consentInterval(Duration.ofSeconds(10))
                .disconnectedTimeout(Duration.ofSeconds(60)).consentTimeout(Duration.ofSeconds(90))
                .connectTimeout(Duration.ofSeconds(60)).build();
        assertEquals(250, new IceTimeouts(slow).periodMillis());
    }
}
