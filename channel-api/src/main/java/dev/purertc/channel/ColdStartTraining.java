package dev.purertc.channel;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.purertc.ice.HostAddressFilter;
import dev.purertc.sctp.channel.ReadyState;

/**
 * A training run for a class data sharing archive (AppCDS): one data channel between two connections of
 * this JVM over 127.0.0.1, a text and a binary message each way, then a graceful close. Run once with
 * {@code -XX:ArchiveClassesAtExit=purertc.jsa} when the application's image is built; the application then
 * starts with {@code -XX:SharedArchiveFile=purertc.jsa} and finds the classes of its first connection
 * (ice4j and its configuration, SCTP, the JDK's crypto and networking) already parsed and verified. See
 * {@code docs/deployment.md}, "Cold start".
 *
 * <pre>
 * java -XX:ArchiveClassesAtExit=purertc.jsa -cp APP_CLASS_PATH dev.purertc.channel.ColdStartTraining
 * </pre>
 *
 * <p>The JDK archives classes only from jars (not from directories) and never from signed jars, so
 * BouncyCastle's jars from Maven Central are left out unless they are repackaged without signatures.
 * Nothing leaves the machine: both ends gather on the IPv4 loopback address only.
 */
public final class ColdStartTraining {

    /** The text each side sends. */
    static final String TEXT = "cold-start training";
    /** The bytes each side sends. */
    static final byte[] BYTES = {0, 1, 2, (byte) 0xff};

    private ColdStartTraining() {
    }

    /**
     * What a training run did.
     *
     * @param openMillis     from the factory's construction to the channel open on both sides
     * @param textsEchoed    text messages that arrived intact (2: one each way)
     * @param binariesEchoed binary messages that arrived intact (2)
     */
    public record Result(long openMillis, int textsEchoed, int binariesEchoed) {
    }

    public static void main(String[] args) {
        try {
            Result r = run(Duration.ofSeconds(60));
            System.out.printf("PureRTC cold-start training: channel open on both sides %d ms after the factory"
                    + " was built, %d text and %d binary messages arrived intact%n",
                    r.openMillis(), r.textsEchoed(), r.binariesEchoed());
        } catch (Exception e) {
            System.err.println("PureRTC cold-start training failed: " + e);
            System.exit(1);
        }
    }

    /**
     * Runs the training: builds a factory, connects two connections through it, exchanges the messages,
     * closes both gracefully and the factory, and waits for the factory's background warm-up (whose classes
     * belong in the archive too).
     *
     * @throws TimeoutException if a step does not finish within {@code bound}
     * @throws ExecutionException if a signaling step or the close fails
     */
    public static Result run(Duration bound) throws InterruptedException, ExecutionException, TimeoutException {
        long start = System.nanoTime();
        RtcConfiguration config = RtcConfiguration.builder()
                .hostAddresses(HostAddressFilter.ipv4LoopbackOnly())
                .build();
        try (PeerConnectionFactory factory = new PeerConnectionFactory()) {
            Receiver atOfferer = new Receiver();
            Receiver atAnswerer = new Receiver();
            RTCPeerConnection[] peers = new RTCPeerConnection[2];
            peers[0] = factory.createPeerConnection(config, new PeerConnectionListener() {
                @Override
                public void onIceCandidate(RTCIceCandidate candidate) {
                    peers[1].addIceCandidate(candidate);
                }
            });
            peers[1] = factory.createPeerConnection(config, new PeerConnectionListener() {
                @Override
                public void onIceCandidate(RTCIceCandidate candidate) {
                    peers[0].addIceCandidate(candidate);
                }

                @Override
                public void onDataChannel(RTCDataChannel channel) {
                    channel.setListener(atAnswerer);
                    atAnswerer.opened(channel);
                }
            });
            try {
                RTCDataChannel channel = peers[0].createDataChannel("training", RTCDataChannelInit.defaults(), atOfferer);
                long millis = bound.toMillis();
                RTCSessionDescription offer = peers[0].createOffer().get(millis, TimeUnit.MILLISECONDS);
                peers[0].setLocalDescription(offer).get(millis, TimeUnit.MILLISECONDS);
                peers[1].setRemoteDescription(offer).get(millis, TimeUnit.MILLISECONDS);
                RTCSessionDescription answer = peers[1].createAnswer().get(millis, TimeUnit.MILLISECONDS);
                peers[1].setLocalDescription(answer).get(millis, TimeUnit.MILLISECONDS);
                peers[0].setRemoteDescription(answer).get(millis, TimeUnit.MILLISECONDS);
                RTCDataChannel remote = atAnswerer.open.get(millis, TimeUnit.MILLISECONDS);
                atOfferer.open.get(millis, TimeUnit.MILLISECONDS);
                long openMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                channel.send(TEXT);
                channel.send(BYTES);
                remote.send(TEXT);
                remote.send(BYTES);
                int texts = (atOfferer.text.get(millis, TimeUnit.MILLISECONDS) ? 1 : 0)
                        + (atAnswerer.text.get(millis, TimeUnit.MILLISECONDS) ? 1 : 0);
                int binaries = (atOfferer.binary.get(millis, TimeUnit.MILLISECONDS) ? 1 : 0)
                        + (atAnswerer.binary.get(millis, TimeUnit.MILLISECONDS) ? 1 : 0);
                peers[0].closeGracefully(bound).get(2 * millis, TimeUnit.MILLISECONDS);
                ColdStartWarmUp.startOnce().get(millis, TimeUnit.MILLISECONDS);
                return new Result(openMillis, texts, binaries);
            } finally {
                peers[0].close();
                peers[1].close();
            }
        }
    }

    /** One end's channel: its open and whether the first text and binary message were the ones sent. */
    private static final class Receiver implements RTCDataChannelListener {
        final CompletableFuture<RTCDataChannel> open = new CompletableFuture<>();
        final CompletableFuture<Boolean> text = new CompletableFuture<>();
        final CompletableFuture<Boolean> binary = new CompletableFuture<>();

        void opened(RTCDataChannel channel) {
            if (channel.readyState() == ReadyState.OPEN) {
                open.complete(channel);
            }
        }

        @Override
        public void onOpen(RTCDataChannel channel) {
            open.complete(channel);
        }

        @Override
        public void onMessage(RTCDataChannel channel, String message) {
            text.complete(TEXT.equals(message));
        }

        @Override
        public void onMessage(RTCDataChannel channel, byte[] data) {
            binary.complete(Arrays.equals(BYTES, data));
        }

        @Override
        public void onClose(RTCDataChannel channel) {
            String why = "the channel closed before the training finished";
            open.completeExceptionally(new IllegalStateException(why));
            text.completeExceptionally(new IllegalStateException(why));
            binary.completeExceptionally(new IllegalStateException(why));
        }
    }
}
