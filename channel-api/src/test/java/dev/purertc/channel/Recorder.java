package dev.purertc.channel;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test helper: records one channel's events; messages as String or byte[] in arrival order. */
class Recorder implements RTCDataChannelListener {
    final CountDownLatch opened = new CountDownLatch(1);
    final CountDownLatch closing = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);
    final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<String> errors = new LinkedBlockingQueue<>();

    @Override
    public void onOpen(RTCDataChannel channel) {
        opened.countDown();
    }

    @Override
    public void onMessage(RTCDataChannel channel, String text) {
        messages.add(text);
    }

    @Override
    public void onMessage(RTCDataChannel channel, byte[] data) {
        messages.add(data);
    }

    @Override
    public void onClosing(RTCDataChannel channel) {
        closing.countDown();
    }

    @Override
    public void onClose(RTCDataChannel channel) {
        closed.countDown();
    }

    @Override
    public void onError(RTCDataChannel channel, String error) {
        errors.add(error);
    }

    Object next() throws InterruptedException {
        Object m = messages.poll(Peer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new AssertionError("no message within " + Peer.WAIT);
        }
        return m;
    }

    static void await(CountDownLatch latch, String what) throws InterruptedException {
        await(latch, what, Peer.WAIT);
    }

    static void await(CountDownLatch latch, String what, Duration bound) throws InterruptedException {
        assertTrue(latch.await(bound.toMillis(), TimeUnit.MILLISECONDS), what + " not within " + bound);
    }
}
