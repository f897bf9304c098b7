package dev.purertc.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.ice.HostAddressFilter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Call information for rooms that never open (early candidates, unanswered offers) is bounded by
 * {@link PendingCallLimits} and forgotten after its ttl, on a virtual clock.
 */
class PendingCallsBoundTest {

    private static final String CANDIDATE =
            "{\"candidate\":\"candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}";

    private PeerConnectionFactory factory;
    private VirtualScheduler clock;
    private WebRtcRooms rooms;

    @BeforeEach
    void setUp() {
        factory = new PeerConnectionFactory(1);
        clock = new VirtualScheduler();
        rooms = new WebRtcRooms(factory,
                RtcConfiguration.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly()).build(),
                new ServiceRoutes(), clock, PendingCallLimits.defaults());
    }

    @AfterEach
    void tearDown() {
        rooms.close();
        factory.close();
    }

    @Test
    void twentyThousandCandidatesForRoomsThatNeverOpenKeepEightRoomsThenNone() {
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            CompletableFuture<Void> f = rooms.addIceCandidate("never" + i, CANDIDATE);
            if (f.isCompletedExceptionally()) {
                ExecutionException e = assertThrows(ExecutionException.class, f::get);
                assertEquals(CallRefusal.TOO_MANY_PENDING_CALLS,
                        assertInstanceOf(CallRefusedException.class, e.getCause()).reason());
                refused++;
            }
        }
        assertEquals(20_000 - 8, refused);
        assertEquals(8, rooms.unanswered().size());
        assertEquals("", rooms.pendingCaller("never0"));

        clock.advance(Duration.ofSeconds(59));
        assertEquals(8, rooms.unanswered().size());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(rooms.unanswered().isEmpty());
        assertEquals(0, clock.live());
        // the places are free again
        assertTrue(!rooms.addIceCandidate("later", CANDIDATE).isCompletedExceptionally());
        assertEquals(1, rooms.unanswered().size());
    }

    @Test
    void keptInformationIsBoundedInAllPerCallerAndPerRoom() {
        for (int caller = 0; caller < 8; caller++) {
            for (int i = 0; i < 8; i++) {
                rooms.receiveCallInformation(info("c" + caller + "-" + i, "caller" + caller, 1));
            }
        }
        assertEquals(64, rooms.unanswered().size());
        CallRefusedException overall = assertThrows(CallRefusedException.class,
                () -> rooms.receiveCallInformation(info("c8-0", "caller8", 1)));
        assertEquals(CallRefusal.TOO_MANY_PENDING_CALLS, overall.reason());
        assertEquals("c8-0", overall.roomId());

        rooms.rejectCall("c0-0");
        rooms.receiveCallInformation(info("c8-0", "caller8", 1));
        CallRefusedException perCaller = assertThrows(CallRefusedException.class,
                () -> rooms.receiveCallInformation(info("c1-8", "caller1", 1)));
        assertEquals(CallRefusal.TOO_MANY_PENDING_CALLS, perCaller.reason());

        // 100 more candidates for one kept room: 32 in all are kept
        rooms.receiveCallInformation(info("c8-0", "caller8", 100));
        assertEquals(32, rooms.unanswered().get("c8-0").candidates().size());

        // another caller cannot add to a room whose information came from caller8
        CallRefusedException inUse = assertThrows(CallRefusedException.class,
                () -> rooms.receiveCallInformation(info("c8-0", "caller3", 1)));
        assertEquals(CallRefusal.ROOM_IN_USE, inUse.reason());
        assertEquals("caller8", rooms.pendingCaller("c8-0"));
        assertNull(rooms.pendingCaller("c0-0"));
    }

    private static RoomOptions info(String id, String caller, int candidates) {
        RoomOptions.Builder b = RoomOptions.builder().id(id).property("caller", caller);
        for (int i = 0; i < candidates; i++) {
            b.candidate(caller + "-" + id + "-" + i + "-" + System.nanoTime(), CANDIDATE);
        }
        return b.build();
    }
}
