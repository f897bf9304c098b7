package dev.purertc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class ThreadHygieneTest {

    private static List<Thread> moduleThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("purertc-"))
                .collect(Collectors.toList());
    }

    @Test
    void noModuleThreadRemainsAfterClose() throws Exception {
        DtlsOptions options = DtlsOptions.builder().handshakeTimeout(Duration.ofSeconds(15)).build();
        for (CryptoBackend backend : CryptoBackend.values()) {
            try (DtlsPair pair = DtlsPair.of(options.toBuilder().cryptoBackend(backend).build())
                    .withCorrectFingerprints()) {
                pair.startBoth();
                pair.awaitClient();
                pair.awaitServer();
                // The handshakes ran on the module's pool: the ClientHello left from one of its threads.
                String helloSender = pair.toServer.senderThreads().get(0);
                assertTrue(helloSender.startsWith(HandshakePool.THREAD_NAME_PREFIX), helloSender);
                pair.client.transport.send(new byte[100]);
                pair.server.nextReceived();
            }
        }
        // Idle handshake threads end after one second; wait for each to end, with a generous bound.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (Thread t : moduleThreads()) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        assertEquals(List.of(), moduleThreads().stream().map(Thread::getName).collect(Collectors.toList()));
    }
}
