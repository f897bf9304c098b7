package dev.purertc.channel;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.purertc.dtls.DtlsTransport;
import dev.purertc.ice.IceAgent;

/**
 * Releases a connection's transports, its DTLS transport (close_notify if it can still be sent) and its
 * ICE agent (sockets, reader threads), as soon as the connection fails or the peer closes it, instead of
 * when the application gets round to {@link RTCPeerConnection#close()}. The work runs on the factory's
 * pool ({@link PeerConnectionFactory#runBlocking}): closing ice4j's agent blocks, and the failure is
 * noticed on the event loop or on an ICE callback thread, neither of which may block.
 *
 * <p>Thread-safe: {@link #start} runs the release once, whoever calls first; {@link #await} lets
 * {@code close()} keep its promise to return only once everything is released. A connection calls
 * {@link #expect} under its lock in the same step that marks it closed, so that a {@code close()} racing
 * with the peer's close waits for the release that is about to start instead of returning before it.
 */
final class TransportRelease {

    private static final Logger LOG = LoggerFactory.getLogger(TransportRelease.class);

    private final PeerConnectionFactory factory;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean expected;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    TransportRelease(PeerConnectionFactory factory) {
        this.factory = factory;
    }

    /** Closes {@code dtls} (may be null: no handshake yet) and {@code ice} on the pool; only the first call acts. */
    void start(DtlsTransport dtls, IceAgent ice) {
        start(() -> {
            if (dtls != null) {
                dtls.close();
            }
            ice.close();
        });
    }

    /** Runs {@code closeTransports} on the pool; only the first call acts. */
    void start(Runnable closeTransports) {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        factory.runBlocking(() -> {
            try {
                closeTransports.run();
            } finally {
                done.complete(null);
            }
        });
    }

    /** A release will start: {@link #await} waits for it from now on, even before {@link #start} runs. */
    void expect() {
        expected = true;
    }

    boolean started() {
        return started.get();
    }

    /** Waits, up to {@code bound}, for a started or expected release to finish; returns at once if neither. */
    void await(Duration bound) {
        if (!started.get() && !expected) {
            return;
        }
        try {
            done.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("releasing the transports did not finish: {}", e.toString());
        }
    }
}
