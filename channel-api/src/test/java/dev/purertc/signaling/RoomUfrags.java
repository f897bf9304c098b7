package dev.purertc.signaling;

import java.util.concurrent.TimeUnit;

import dev.purertc.channel.RTCSessionDescription;
import dev.purertc.channel.SignalingState;
import dev.purertc.rooms.Room;

/** The ICE ufrag of a room's descriptions, to see a restart (new credentials, RFC 8445 §9) take effect. */
final class RoomUfrags {

    private static final long WAIT_S = 30;

    private RoomUfrags() {
    }

    /** Waits until the room's local description in force has another ufrag than {@code old} and signaling is stable. */
    static void awaitChange(Room room, String old) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (System.nanoTime() < deadline) {
            var pc = room.connection();
            if (pc.signalingState() == SignalingState.STABLE && !old.equals(of(pc.localDescription()))) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("room " + room.id() + " still has ufrag " + old + " after " + WAIT_S + " s");
    }

    /** The {@code a=ice-ufrag} of {@code d}. */
    static String of(RTCSessionDescription d) {
        for (String line : d.sdp().split("\r\n")) {
            if (line.startsWith("a=ice-ufrag:")) {
                return line.substring("a=ice-ufrag:".length());
            }
        }
        throw new AssertionError("no ice-ufrag in " + d.sdp());
    }
}
