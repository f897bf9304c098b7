package dev.purertc.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.PeerConnectionListener;
import dev.purertc.channel.RTCDataChannel;
import dev.purertc.channel.RTCDataChannelInit;
import dev.purertc.channel.RTCDataChannelListener;
import dev.purertc.channel.RTCIceCandidate;
import dev.purertc.channel.RTCPeerConnection;
import dev.purertc.channel.RtcConfiguration;

/**
 * A file from one Java peer to another over a data channel, with progress as the receiver confirms it
 * and a SHA-256 check at the end. Both peers run in this one program, their signaling a method call.
 *
 * <p>The sender reads 64 KiB at a time and keeps at most {@value #HIGH_WATER} bytes buffered, waiting
 * for {@code onBufferedAmountLow} before reading more, so a file of any size needs no more memory. The
 * receiver writes to a file and, every {@value #ACK_EVERY} bytes and at the end, tells the sender how
 * much it holds: progress counts bytes received, not bytes handed to {@code send()}. The receiver's
 * SHA-256 comes back as the last message; the transfer succeeds only if it matches the sender's.
 *
 * <p>Run: {@code mvn -q -pl examples exec:java -Dexec.mainClass=dev.purertc.examples.FileTransfer
 * -Dexec.args="SOURCE DESTINATION"}.
 */
public final class FileTransfer {

    static final int CHUNK = 64 * 1024;
    static final long HIGH_WATER = 1 << 20;
    static final long ACK_EVERY = 1 << 20;

    /** What a finished transfer reports. */
    public record Result(long bytes, String sha256) {
    }

    private FileTransfer() {
    }

    /**
     * Sends {@code source} to {@code destination} between two connections of {@code factory};
     * {@code progress} receives the byte counts the receiver confirmed, in increasing order.
     *
     * @throws IOException if the receiver's SHA-256 differs, or a file cannot be read or written
     */
    public static Result transfer(PeerConnectionFactory factory, RtcConfiguration config, Path source,
                                  Path destination, LongConsumer progress) throws Exception {
        long size = Files.size(source);
        RTCPeerConnection[] peer = new RTCPeerConnection[2];
        CompletableFuture<String> receiverHash = new CompletableFuture<>();
        CompletableFuture<Void> sent = new CompletableFuture<>();
        peer[0] = factory.createPeerConnection(config, new PeerConnectionListener() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {
                peer[1].addIceCandidate(candidate);
            }
        });
        peer[1] = factory.createPeerConnection(config, new PeerConnectionListener() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {
                peer[0].addIceCandidate(candidate);
            }

            @Override
            public void onDataChannel(RTCDataChannel channel) {
                channel.setListener(new Receiver(destination));
            }
        });
        try {
            MessageDigest digest = sha256();
            InputStream in = Files.newInputStream(source);
            RTCDataChannel channel = peer[0].createDataChannel("file", RTCDataChannelInit.defaults(),
                    new RTCDataChannelListener() {
                        @Override
                        public void onOpen(RTCDataChannel c) {
                            c.setBufferedAmountLowThreshold(HIGH_WATER / 2);
                            pump(c, in, digest, sent);
                        }

                        @Override
                        public void onBufferedAmountLow(RTCDataChannel c) {
                            pump(c, in, digest, sent);
                        }

                        @Override
                        public void onMessage(RTCDataChannel c, String text) {
                            if (text.startsWith("have ")) {
                                progress.accept(Long.parseLong(text.substring(5)));
                            } else if (text.startsWith("sha256 ")) {
                                receiverHash.complete(text.substring(7));
                            } else if (text.startsWith("error ")) {
                                receiverHash.completeExceptionally(new IOException("receiver: " + text.substring(6)));
                            }
                        }

                        @Override
                        public void onError(RTCDataChannel c, String error) {
                            receiverHash.completeExceptionally(new IOException(error));
                        }
                    });
            peer[0].setLocalDescription(peer[0].createOffer().get()).get();
            peer[1].setRemoteDescription(peer[0].localDescription()).get();
            peer[1].setLocalDescription(peer[1].createAnswer().get()).get();
            peer[0].setRemoteDescription(peer[1].localDescription()).get();

            sent.get(10, TimeUnit.MINUTES);
            in.close();
            String theirs = receiverHash.get(10, TimeUnit.MINUTES);
            String ours = HexFormat.of().formatHex(digest.digest());
            if (!ours.equals(theirs)) {
                throw new IOException("SHA-256 mismatch: sent " + ours + ", received " + theirs);
            }
            channel.close();
            return new Result(size, ours);
        } finally {
            peer[0].close();
            peer[1].close();
        }
    }

    /**
     * On the connection's loop: sends chunks until the buffer is above the high-water mark or the file
     * ends. Reading 64 KiB of a local file is short enough for the loop; a slow source would be read on
     * a thread of its own.
     */
    private static void pump(RTCDataChannel channel, InputStream in, MessageDigest digest, CompletableFuture<Void> sent) {
        if (sent.isDone()) {
            return;
        }
        try {
            while (channel.bufferedAmount() < HIGH_WATER) {
                byte[] chunk = in.readNBytes(CHUNK);
                if (chunk.length == 0) {
                    channel.send("end");
                    sent.complete(null);
                    return;
                }
                digest.update(chunk);
                channel.send(chunk);
            }
        } catch (IOException | RuntimeException e) {
            sent.completeExceptionally(e);
        }
    }

    /** Writes what arrives, confirms progress, and answers "end" with its SHA-256. */
    private static final class Receiver implements RTCDataChannelListener {
        private final MessageDigest digest = sha256();
        private final OutputStream out;
        private long received;
        private long confirmed;

        Receiver(Path destination) {
            try {
                this.out = Files.newOutputStream(destination);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void onMessage(RTCDataChannel c, byte[] data) {
            try {
                out.write(data);
            } catch (IOException e) {
                c.send("error " + e.getMessage());
                c.close();
                return;
            }
            digest.update(data);
            received += data.length;
            if (received - confirmed >= ACK_EVERY) {
                confirmed = received;
                c.send("have " + received);
            }
        }

        @Override
        public void onMessage(RTCDataChannel c, String text) {
            if (text.equals("end")) {
                try {
                    out.close();
                } catch (IOException e) {
                    c.send("error " + e.getMessage());
                    return;
                }
                c.send("have " + received);
                c.send("sha256 " + HexFormat.of().formatHex(digest.digest()));
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: FileTransfer SOURCE DESTINATION");
            System.exit(2);
        }
        Path source = Path.of(args[0]);
        long size = Files.size(source);
        long start = System.nanoTime();
        try (PeerConnectionFactory factory = new PeerConnectionFactory()) {
            Result r = transfer(factory, RtcConfiguration.defaults(), source, Path.of(args[1]), have -> {
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("%5.1f %%  %,d of %,d bytes  %.1f MB/s%n", size == 0 ? 100.0 : 100.0 * have / size,
                        have, size, have / 1e6 / Math.max(seconds, 1e-3));
            });
            System.out.println("received " + r.bytes() + " bytes, SHA-256 " + r.sha256() + " matches");
        }
    }
}
