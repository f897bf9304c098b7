package dev.purertc.channel;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.purertc.dtls.DtlsCertificate;
import dev.purertc.dtls.DtlsOptions;
import dev.purertc.dtls.DtlsRole;
import dev.purertc.dtls.DtlsTransport;
import dev.purertc.ice.IceAgent;
import dev.purertc.ice.IceAgentListener;
import dev.purertc.ice.IceOptions;
import dev.purertc.ice.IceRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-time costs of a JVM's first connection, paid in the background when the first factory is
 * built instead of on the first call's critical path.
 *
 * <p>A fresh JVM's first connection spends most of its time loading and initialising code once: ice4j's
 * configuration and agent classes, BouncyCastle's TLS and elliptic-curve classes, the JDK's AES-GCM
 * provider. A process that answers one browser call paid all of it on every start. The first
 * {@link PeerConnectionFactory} of a JVM starts one daemon thread that builds and frees an ICE agent
 * (nothing is gathered, so nothing is sent) and runs one DTLS handshake between two transports joined in
 * memory. While the application builds its connection and exchanges descriptions, the other core does
 * this work, and the real handshake later finds it done.
 *
 * <p>It runs once per JVM, uses no socket, and its threads end when it is done (three at most: the
 * warm-up thread and the two ends of the handshake). A failure here is only logged: the first
 * connection then pays the cost itself, as it did before.
 */
final class ColdStartWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(ColdStartWarmUp.class);

    /**
     * System property that turns the warm-up off when set to {@code false}: for a program that builds
     * a factory without ever connecting, or to measure the cold start without it.
     */
    static final String ENABLED_PROPERTY = "dev.purertc.warmUp";

    /** Prefix of the names of the warm-up's threads. */
    static final String THREAD_NAME_PREFIX = "purertc-warmup";

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private static final AtomicReference<CompletableFuture<Boolean>> STARTED = new AtomicReference<>();

    private ColdStartWarmUp() {
    }

    /**
     * Starts the warm-up if no factory of this JVM has; returns when it is started, not done. The future
     * completes with whether every step ran (false when it failed or is turned off); it never fails.
     */
    static CompletableFuture<Boolean> startOnce() {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        if (!STARTED.compareAndSet(null, done)) {
            return STARTED.get();
        }
        if (!Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, "true"))) {
            done.complete(false);
            return done;
        }
        Thread thread = new Thread(() -> {
            long start = System.nanoTime();
            boolean ran = false;
            try {
                warmDtls();
                warmIce();
                ran = true;
                LOG.debug("cold-start warm-up done in {} ms", (System.nanoTime() - start) / 1_000_000);
            } catch (Exception | LinkageError e) {
                LOG.info("cold-start warm-up did not complete; the first connection pays its one-time costs", e);
            } finally {
                done.complete(ran);
            }
        }, THREAD_NAME_PREFIX);
        thread.setDaemon(true);
        thread.start();
        return done;
    }

    /** ice4j's configuration, logging bridge and agent classes; creates no socket and sends nothing. */
    private static void warmIce() {
        IceAgent.create(IceOptions.defaults(), IceRole.CONTROLLING, new IceAgentListener() { }).close();
    }

    /** A full DTLS handshake with the default crypto back end (the one connections use unless configured), the two transports feeding each other in memory. */
    private static void warmDtls() throws Exception {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, THREAD_NAME_PREFIX + "-handshake-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            DtlsCertificate certificate = DtlsCertificate.generate();
            DtlsOptions options = DtlsOptions.builder()
                    .handshakeTimeout(HANDSHAKE_TIMEOUT)
                    .handshakeExecutor(executor)
                    .build();
            DtlsTransport[] ends = new DtlsTransport[2];
            ends[0] = new DtlsTransport(DtlsRole.CLIENT, certificate,
                    (buf, off, len) -> ends[1].feed(Arrays.copyOfRange(buf, off, off + len)), data -> { }, options);
            ends[1] = new DtlsTransport(DtlsRole.SERVER, certificate,
                    (buf, off, len) -> ends[0].feed(Arrays.copyOfRange(buf, off, off + len)), data -> { }, options);
            try {
                for (DtlsTransport end : ends) {
                    end.setRemoteFingerprints(List.of(certificate.fingerprint()));
                }
                CompletableFuture<?> server = ends[1].start();
                CompletableFuture<?> client = ends[0].start();
                CompletableFuture.allOf(client, server).get(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                ends[0].close();
                ends[1].close();
            }
        } finally {
            executor.shutdownNow();
            executor.awaitTermination(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
