package dev.purertc.channel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Test helper: a PureRTC peer in its own JVM, so a test can kill it (SIGKILL) as a crashed or vanished
 * peer process. It answers one offer and echoes every text message on every channel.
 *
 * <p>Signaling is one line per item over stdin/stdout, values in Base64: {@code OFFER} from the parent,
 * {@code ANSWER} back; {@code CAND} and {@code END} (end of candidates) both ways. Logging goes to stderr.
 */
final class PeerProcess implements AutoCloseable {

    private final Process process;
    private final PrintStream toChild;
    private final BlockingQueue<String> fromChild = new LinkedBlockingQueue<>();

    private PeerProcess(Process process) {
        this.process = process;
        this.toChild = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    fromChild.add(line);
                }
            } catch (IOException e) {
                // the child was killed
            }
        }, "peer-process-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the child JVM with this JVM's class path. */
    static PeerProcess start() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", PeerProcess.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        return new PeerProcess(p);
    }

    /**
     * Negotiates with {@code local} as the offerer: sends the offer and local candidates to the child,
     * applies its answer and candidates.
     */
    void negotiate(Peer local) throws Exception {
        local.trickleTo = c -> send(c.isEndOfCandidates() ? "END" : "CAND " + encode(c.candidate()));
        RTCSessionDescription offer = local.pc.createOffer().get(10, TimeUnit.SECONDS);
        local.pc.setLocalDescription(offer).get(10, TimeUnit.SECONDS);
        send("OFFER " + encode(offer.sdp()));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        boolean answered = false;
        boolean ended = false;
        while (!answered || !ended) {
            String line = fromChild.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("the child peer did not answer within 30 s (alive: " + process.isAlive() + ")");
            }
            if (line.startsWith("ANSWER ")) {
                local.pc.setRemoteDescription(new RTCSessionDescription(RTCSessionDescription.Type.ANSWER,
                        decode(line.substring(7)))).get(10, TimeUnit.SECONDS);
                answered = true;
            } else if (line.startsWith("CAND ")) {
                local.pc.addIceCandidate(new RTCIceCandidate(decode(line.substring(5)), null, null)).get(10, TimeUnit.SECONDS);
            } else if (line.equals("END")) {
                local.pc.addIceCandidate(null).get(10, TimeUnit.SECONDS);
                ended = true;
            }
        }
    }

    /** Kills the child JVM at once (SIGKILL): no SCTP ABORT, no close_notify, its sockets vanish. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the child peer did not die");
        }
    }

    private synchronized void send(String line) {
        toChild.println(line);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static String encode(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    /** The child: answers the offer, echoes text messages, until its stdin closes or it is killed. */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Consumer<String> send = line -> {
            synchronized (out) {
                out.println(line);
            }
        };
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            RTCPeerConnection pc = factory.createPeerConnection(Peer.loopback().build(), new PeerConnectionListener() {
                @Override
                public void onIceCandidate(RTCIceCandidate candidate) {
                    send.accept("CAND " + encode(candidate.candidate()));
                }

                @Override
                public void onIceGatheringComplete() {
                    send.accept("END");
                }

                @Override
                public void onDataChannel(RTCDataChannel channel) {
                    channel.setListener(new RTCDataChannelListener() {
                        @Override
                        public void onMessage(RTCDataChannel c, String text) {
                            c.send(text);
                        }
                    });
                }
            });
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("OFFER ")) {
                    pc.setRemoteDescription(new RTCSessionDescription(RTCSessionDescription.Type.OFFER,
                            decode(line.substring(6)))).get(10, TimeUnit.SECONDS);
                    RTCSessionDescription answer = pc.createAnswer().get(10, TimeUnit.SECONDS);
                    pc.setLocalDescription(answer).get(10, TimeUnit.SECONDS);
                    send.accept("ANSWER " + encode(answer.sdp()));
                } else if (line.startsWith("CAND ")) { // kept by the connection until the offer, if early
                    pc.addIceCandidate(new RTCIceCandidate(decode(line.substring(5)), null, null)).get(10, TimeUnit.SECONDS);
                } else if (line.equals("END")) {
                    pc.addIceCandidate(null).get(10, TimeUnit.SECONDS);
                }
            }
        }
    }
}
