package dev.purertc.interop;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.purertc.interop.MatrixTable.Outcome.FAIL;
import static dev.purertc.interop.MatrixTable.Outcome.PASS;
import static dev.purertc.interop.MatrixTable.Outcome.SKIP;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MatrixTableTest {
    @Test
    void rendersOneRowPerScenarioAndOneColumnPerPeerAndDirection() {
        String table = MatrixTable.render(List.of(
                new MatrixTable.Cell("chromium", "PURERTC_OFFERS", "connects", PASS),
                new MatrixTable.Cell("chromium", "BROWSER_OFFERS", "connects", FAIL),
                new MatrixTable.Cell("firefox", "PURERTC_OFFERS", "connects", SKIP),
                new MatrixTable.Cell("chromium", "PURERTC_OFFERS", "echoes100Channels", PASS)));
        assertEquals("""
                Interop matrix: 2 pass, 1 fail, 1 skip
                scenario           chromium PURERTC_OFFERS  chromium BROWSER_OFFERS  firefox PURERTC_OFFERS
                connects           pass                     fail                     skip
                echoes100Channels  pass                     -                        -
                """, table);
    }

    @Test
    void plainTestsWithoutDirectionUseThePeerAsColumnAndAFailureWinsOverAPass() {
        String table = MatrixTable.render(List.of(
                new MatrixTable.Cell("werift", "-", "acceptsAnswer", PASS),
                new MatrixTable.Cell("werift", "-", "acceptsAnswer", FAIL)));
        assertEquals("""
                Interop matrix: 0 pass, 1 fail, 0 skip
                scenario       werift
                acceptsAnswer  fail
                """, table);
    }
}
