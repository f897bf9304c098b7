package dev.purertc.dtls;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link DtlsTransport} with a listener that records everything it is told. */
final class TestPeer implements DtlsListener, AutoCloseable {
    final DtlsCertificate certificate;
    final DtlsTransport transport;
    final LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    /** Every distinct array the transport lent a record in (by identity). */
    final Set<byte[]> lentBuffers = Collections.newSetFromMap(new IdentityHashMap<>());
    final CountDownLatch peerClosed = new CountDownLatch(1);
    final CountDownLatch failed = new CountDownLatch(1);
    final List<Throwable> failures = new ArrayList<>();

    TestPeer(DtlsRole role, DtlsCertificate certificate, DtlsDatagramSender sender, DtlsOptions options) {
        this.certificate = certificate;
        this.transport = new DtlsTransport(role, certificate, sender, this, options);
    }

    @Override
    public void onApplicationData(byte[] data) {
        received.add(data);
    }

    @Override
    public void onApplicationData(byte[] buffer, int offset, int length) {
        synchronized (lentBuffers) {
            lentBuffers.add(buffer);
        }
        DtlsListener.super.onApplicationData(buffer, offset, length);
    }

    int distinctLentBuffers() {
        synchronized (lentBuffers) {
            return lentBuffers.size();
        }
    }

    @Override
    public void onPeerClosed() {
        peerClosed.countDown();
    }

    @Override
    public synchronized void onFailed(Throwable cause) {
        failures.add(cause);
        failed.countDown();
    }

    byte[] nextReceived() throws InterruptedException {
        byte[] data = received.poll(10, TimeUnit.SECONDS);
        if (data == null) {
            throw new AssertionError("no application data within 10 s");
        }
        return data;
    }

    @Override
    public void close() {
        transport.close();
    }
}
