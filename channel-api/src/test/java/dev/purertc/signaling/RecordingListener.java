package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what a test client receives, as the JSON text the client parsed (re-serialized). */
final class RecordingListener implements SignalingListener {

    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeStatus = new CompletableFuture<>();

    @Override
    public void onMessage(SignalingMessage message) {
        messages.add(SignalingJson.write(message.json()));
    }

    @Override
    public void onClose(int statusCode, String reason) {
        closeStatus.complete(statusCode);
    }

    /** The next message, waiting at most 10 s (fails the test on timeout). */
    String next() throws InterruptedException {
        String m = messages.poll(10, TimeUnit.SECONDS);
        assertNotNull(m, "no message within 10 s");
        return m;
    }
}
