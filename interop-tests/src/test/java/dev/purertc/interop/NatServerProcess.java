package dev.purertc.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/** {@link NatServerMain} in its own JVM in the topology's server namespace ({@link NamespacedJvm}). */
final class NatServerProcess implements AutoCloseable {

    private final NamespacedJvm jvm;

    NatServerProcess(NatTopology topology, String... args) throws IOException {
        jvm = new NamespacedJvm("nat-server", topology.inServer(List.of()), NatServerMain.class, args);
    }

    /** Sends {@code offer} and returns the server's complete answer (30 s bound). */
    String answer(String offer) throws IOException, InterruptedException {
        jvm.send("OFFER " + Base64.getEncoder().encodeToString(offer.getBytes(StandardCharsets.UTF_8)));
        String line = awaitLine("ANSWER ", Duration.ofSeconds(30));
        return new String(Base64.getDecoder().decode(line.substring("ANSWER ".length())), StandardCharsets.UTF_8);
    }

    /** The next line starting with {@code prefix}, skipping others; fails after {@code bound} naming the log. */
    String awaitLine(String prefix, Duration bound) throws InterruptedException {
        return jvm.awaitLine(prefix, bound);
    }

    /** The server's ICE-TCP port (started with {@code ICETCP}), known once it has answered an offer. */
    int iceTcpPort() {
        String line = jvm.linesSoFar().stream().filter(l -> l.startsWith("PORT ")).findFirst().orElse(null);
        if (line == null || !line.contains(" TCP ")) {
            throw new AssertionError("the NAT server named no ICE-TCP port: " + line);
        }
        return Integer.parseInt(line.substring(line.indexOf(" TCP ") + 5).trim());
    }

    @Override
    public void close() throws InterruptedException {
        jvm.close();
    }
}
