package dev.purertc.signaling;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of a signaling bridge that answers calls ({@link RoomSignaling}, {@link GraphscriptCalls}):
 * anyone who can reach it through the server can call it, and every answered call costs a peer
 * connection (threads, sockets, a port, heap). A call past a limit is refused with a {@code reject}
 * naming the reason ({@code too-many-calls}, {@code too-many-calls-from-user}); an answered call that
 * does not reach {@code connected} in time is closed, and its resources are released.
 *
 * @param maxCalls answered calls open at once, in all (default 32)
 * @param maxCallsPerUser answered calls open at once from one calling user (default 4)
 * @param connectTimeout how long an answered call may take to reach {@code connected}
 *        (default 30 s)
 */
public record CallLimits(int maxCalls, int maxCallsPerUser, Duration connectTimeout) {

    public CallLimits {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (maxCalls < 1 || maxCallsPerUser < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive");
        }
    }

    /**
     * 32 calls, 4 per user, 30 s to connect. A connection costs about a thread, three sockets, a UDP
     * port and 155 KiB of heap today, so 32 stay far inside a small server's limits (a 1,024-fd
     * default ulimit, a 2-core machine) while serving a room of people; 4 per user covers a few tabs
     * of one person; 30 s is as long as ICE itself takes to declare a connection failed, and browsers
     * give up sooner.
     */
    public static CallLimits defaults() {
        return new CallLimits(32, 4, Duration.ofSeconds(30));
    }
}
