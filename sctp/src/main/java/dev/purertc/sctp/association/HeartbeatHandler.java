package dev.purertc.sctp.association;

import dev.purertc.sctp.packet.HeartbeatAckChunk;
import dev.purertc.sctp.packet.HeartbeatInfoParameter;
import dev.purertc.sctp.packet.HeartbeatRequestChunk;
import dev.purertc.sctp.tx.RetransmissionTimeout;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Path heartbeats (RFC 9260 §8.3): on an idle path a HEARTBEAT goes out every interval + RTO; its
 * HEARTBEAT ACK gives an RTT sample; an unanswered one counts toward the association's error limit.
 * Sending DATA makes the path busy and pushes the next heartbeat back. The heartbeat information is
 * the send time, so acknowledgements of old heartbeats are recognized and ignored.
 */
public final class HeartbeatHandler {
    private final long interval;
    private final RetransmissionTimeout rto;
    private final Timer timer = new Timer("heartbeat");
    private long outstandingSentAt = -1;

    /** @param interval HB.interval in nanoseconds; 0 disables heartbeats */
    public HeartbeatHandler(long interval, RetransmissionTimeout rto) {
        this.interval = interval;
        this.rto = rto;
    }

    public Timer timer() {
        return timer;
    }

    /** Starts heartbeating (the association became established). */
    public void start(long now) {
        if (interval > 0) {
            outstandingSentAt = -1;
            timer.start(now, interval + rto.rto());
        }
    }

    public void stop() {
        timer.stop();
    }

    /** DATA was sent: the path is not idle. */
    public void pathUsed(long now) {
        if (timer.isRunning()) {
            timer.rearm(now, interval + rto.rto());
        }
    }

    /** True when the previous heartbeat is still unanswered (the caller counts an error). */
    public boolean previousUnanswered() {
        return outstandingSentAt >= 0;
    }

    /** The timer expired: the HEARTBEAT to send now. */
    public HeartbeatRequestChunk onTimerExpired(long now) {
        outstandingSentAt = now;
        timer.rearm(now, interval + rto.rto());
        byte[] info = ByteBuffer.allocate(8).putLong(now).array();
        return new HeartbeatRequestChunk(List.of(new HeartbeatInfoParameter(info)));
    }

    /** The peer's HEARTBEAT: answer with its parameters unchanged (§8.3). */
    public static HeartbeatAckChunk answer(HeartbeatRequestChunk request) {
        return new HeartbeatAckChunk(request.parameters());
    }

    /** @return true when the ack answers our outstanding heartbeat (an RTT sample was taken) */
    public boolean onAck(HeartbeatAckChunk ack, long now) {
        var info = ack.parameters().isEmpty() ? null : ack.parameters().get(0);
        if (info instanceof HeartbeatInfoParameter hi && hi.info().length == 8 && outstandingSentAt >= 0
                && ByteBuffer.wrap(hi.info()).getLong() == outstandingSentAt) {
            rto.observeRtt(now - outstandingSentAt);
            outstandingSentAt = -1;
            return true;
        }
        return false;
    }
}
