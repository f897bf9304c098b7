package dev.purertc.sctp.association;

import dev.purertc.sctp.AssociationEvent;
import dev.purertc.sctp.common.SerialNumbers;
import dev.purertc.sctp.packet.IncomingSsnResetRequestParameter;
import dev.purertc.sctp.packet.OutgoingSsnResetRequestParameter;
import dev.purertc.sctp.packet.Parameter;
import dev.purertc.sctp.packet.ReConfigChunk;
import dev.purertc.sctp.packet.ReconfigurationResponseParameter;
import dev.purertc.sctp.packet.ReconfigurationResponseParameter.Result;
import dev.purertc.sctp.rx.DataTracker;
import dev.purertc.sctp.rx.ReassemblyQueue;
import dev.purertc.sctp.tx.RetransmissionQueue;
import dev.purertc.sctp.tx.SendQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Stream reconfiguration (RFC 6525) as WebRTC uses it to close channels: outgoing SSN reset
 * requests for our streams once their queued data was handed on (so the peer receives everything
 * sent before the reset), and the peer's outgoing requests for our incoming side, performed once our
 * cumulative TSN reaches the peer's last assigned TSN (§5.2.2; "in progress" until then).
 *
 * <p>One request of ours is outstanding at a time (§5.1.1); it is retransmitted on the RE-CONFIG
 * timer with the same sequence number and re-sent with a new one after an "in progress" answer.
 */
public final class StreamResetHandler {
    private final SendQueue sendQueue;
    private final RetransmissionQueue retransmissionQueue;
    private final DataTracker dataTracker;
    private final ReassemblyQueue reassemblyQueue;
    private final Consumer<AssociationEvent> events;
    /** Keeps a request (16 bytes + 2 per stream) well inside a 1200-byte packet. */
    static final int MAX_STREAMS_PER_REQUEST = 256;
    private final Timer timer = new Timer("re-config");
    private boolean retryAfterInProgress;

    // Our outgoing requests.
    private final TreeSet<Integer> waitingToReset = new TreeSet<>();
    private long nextRequestSeq;
    private OutgoingSsnResetRequestParameter inFlight;

    // The peer's requests.
    private long lastProcessedPeerSeq;
    private Result lastProcessedResult = Result.SUCCESS_NOTHING_TO_DO;
    private OutgoingSsnResetRequestParameter deferred;

    public StreamResetHandler(long localInitialTsn, long peerInitialTsn, SendQueue sendQueue,
            RetransmissionQueue retransmissionQueue, DataTracker dataTracker, ReassemblyQueue reassemblyQueue,
            Consumer<AssociationEvent> events) {
        this.nextRequestSeq = localInitialTsn; // §4.1: initialized with the initial TSN
        this.lastProcessedPeerSeq = SerialNumbers.add32(peerInitialTsn, -1);
        this.sendQueue = sendQueue;
        this.retransmissionQueue = retransmissionQueue;
        this.dataTracker = dataTracker;
        this.reassemblyQueue = reassemblyQueue;
        this.events = events;
    }

    public Timer timer() {
        return timer;
    }

    /** Queues outgoing streams to be reset; their queued messages are still sent first. */
    public void requestReset(List<Integer> streamIds) {
        for (int id : streamIds) {
            sendQueue.markResetPending(id);
            waitingToReset.add(id);
        }
    }

    /** True while any of our resets is queued or outstanding. */
    public boolean isBusy() {
        return inFlight != null || !waitingToReset.isEmpty();
    }

    /**
     * The RE-CONFIG chunk to send now, if a new request can go out: none is in flight and some
     * waiting streams have no queued data left. Starts the RE-CONFIG timer.
     */
    public ReConfigChunk maybeCreateRequest(long now, long rto) {
        if (inFlight != null || waitingToReset.isEmpty()) {
            return null;
        }
        List<Integer> ready = new ArrayList<>();
        for (int id : waitingToReset) {
            if (ready.size() == MAX_STREAMS_PER_REQUEST) {
                break;
            }
            if (sendQueue.isReadyToReset(id)) {
                ready.add(id);
            }
        }
        if (ready.isEmpty()) {
            return null;
        }
        waitingToReset.removeAll(ready);
        inFlight = new OutgoingSsnResetRequestParameter(nextRequestSeq, lastProcessedPeerSeq,
                retransmissionQueue.lastAssignedTsn(), ready);
        nextRequestSeq = SerialNumbers.add32(nextRequestSeq, 1);
        timer.start(now, rto);
        return new ReConfigChunk(List.of(inFlight));
    }

    /**
     * The RE-CONFIG timer expired: retransmit the outstanding request (same sequence number), or
     * send the retry planned after an "in progress" answer.
     */
    public ReConfigChunk handleTimerExpiry(long now, long rto) {
        if (inFlight == null) {
            return null;
        }
        retryAfterInProgress = false;
        timer.rearm(now, rto);
        return new ReConfigChunk(List.of(inFlight));
    }

    /** True when the pending timer expiry is a planned retry, not a lost request (no error to count). */
    public boolean isRetryAfterInProgress() {
        return retryAfterInProgress;
    }

    /**
     * Handles a received RE-CONFIG chunk; returns the RE-CONFIG with our responses, or null.
     */
    public ReConfigChunk handle(ReConfigChunk chunk, long now, long rto) {
        List<Parameter> responses = new ArrayList<>(2);
        for (Parameter p : chunk.parameters()) {
            if (p instanceof OutgoingSsnResetRequestParameter req) {
                responses.add(handlePeerOutgoingReset(req));
            } else if (p instanceof ReconfigurationResponseParameter resp) {
                handleResponse(resp, now, rto);
            } else if (p instanceof IncomingSsnResetRequestParameter req) {
                // The peer asks us to reset our outgoing streams: do it the WebRTC way, by our own
                // outgoing request once their data is sent; this request itself is answered as done.
                responses.add(new ReconfigurationResponseParameter(req.requestSequenceNumber(),
                        acceptSeq(req.requestSequenceNumber()) ? Result.SUCCESS_NOTHING_TO_DO
                                : Result.ERROR_BAD_SEQUENCE_NUMBER));
                if (!req.streamIds().isEmpty()) {
                    requestReset(req.streamIds());
                }
            } else if (p.type() >= 15 && p.type() <= 18) {
                // SSN/TSN reset and add-streams requests: we announce 65535 streams and never reset TSNs.
                long seq = requestSeqOf(p);
                responses.add(new ReconfigurationResponseParameter(seq, Result.DENIED));
            }
        }
        return responses.isEmpty() ? null : new ReConfigChunk(responses);
    }

    private static long requestSeqOf(Parameter p) {
        if (p instanceof dev.purertc.sctp.packet.SsnTsnResetRequestParameter r) {
            return r.requestSequenceNumber();
        }
        if (p instanceof dev.purertc.sctp.packet.AddOutgoingStreamsRequestParameter r) {
            return r.requestSequenceNumber();
        }
        if (p instanceof dev.purertc.sctp.packet.AddIncomingStreamsRequestParameter r) {
            return r.requestSequenceNumber();
        }
        return 0;
    }

    private boolean acceptSeq(long seq) {
        if (seq == SerialNumbers.add32(lastProcessedPeerSeq, 1)) {
            lastProcessedPeerSeq = seq;
            return true;
        }
        return false;
    }

    /** RFC 6525 §5.2.2. */
    private ReconfigurationResponseParameter handlePeerOutgoingReset(OutgoingSsnResetRequestParameter req) {
        long seq = req.requestSequenceNumber();
        if (seq == lastProcessedPeerSeq) {
            // A retransmission: answer again, completing a deferred reset if it can be done now.
            if (lastProcessedResult == Result.IN_PROGRESS && deferred != null) {
                lastProcessedResult = tryPerform(deferred);
            }
            return new ReconfigurationResponseParameter(seq, lastProcessedResult);
        }
        if (seq != SerialNumbers.add32(lastProcessedPeerSeq, 1)) {
            return new ReconfigurationResponseParameter(seq, Result.ERROR_BAD_SEQUENCE_NUMBER);
        }
        lastProcessedPeerSeq = seq;
        deferred = req;
        lastProcessedResult = tryPerform(req);
        return new ReconfigurationResponseParameter(seq, lastProcessedResult);
    }

    private Result tryPerform(OutgoingSsnResetRequestParameter req) {
        long lastTsn = dataTracker.unwrap(req.senderLastAssignedTsn());
        if (lastTsn > dataTracker.cumulativeTsnUnwrapped()) {
            return Result.IN_PROGRESS;
        }
        deferred = null;
        int[] ids = req.streamIds().stream().mapToInt(Integer::intValue).toArray();
        reassemblyQueue.resetStreams(ids);
        events.accept(new AssociationEvent.IncomingStreamsReset(List.copyOf(req.streamIds())));
        return Result.SUCCESS_PERFORMED;
    }

    private void handleResponse(ReconfigurationResponseParameter resp, long now, long rto) {
        if (inFlight == null || resp.responseSequenceNumber() != inFlight.requestSequenceNumber()) {
            return;
        }
        List<Integer> ids = inFlight.streamIds();
        switch (resp.result()) {
            case SUCCESS_PERFORMED, SUCCESS_NOTHING_TO_DO -> {
                for (int id : ids) {
                    sendQueue.completeReset(id);
                }
                inFlight = null;
                timer.stop();
                events.accept(new AssociationEvent.OutgoingStreamsReset(List.copyOf(ids)));
            }
            case IN_PROGRESS -> {
                // Ask again later with a new sequence number (the peer counted this one as processed).
                inFlight = new OutgoingSsnResetRequestParameter(nextRequestSeq, lastProcessedPeerSeq,
                        retransmissionQueue.lastAssignedTsn(), ids);
                nextRequestSeq = SerialNumbers.add32(nextRequestSeq, 1);
                retryAfterInProgress = true;
                timer.start(now, rto);
            }
            default -> {
                for (int id : ids) {
                    sendQueue.cancelReset(id);
                }
                inFlight = null;
                timer.stop();
                events.accept(new AssociationEvent.StreamsResetFailed(List.copyOf(ids), resp.result().name()));
            }
        }
    }
}
