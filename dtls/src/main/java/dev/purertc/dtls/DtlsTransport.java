package dev.purertc.dtls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DTLS 1.2 association (RFC 6347) over BouncyCastle, as WebRTC uses it (RFC 8827 §6.5,
 * RFC 8842): self-signed certificates on both sides, each verified against the fingerprint from
 * the peer's session description, extended master secret required.
 *
 * <p>Sans socket: datagrams from the network are handed to {@link #feed}, datagrams to the network
 * leave through the {@link DtlsDatagramSender}. The blocking BouncyCastle handshake runs on a pool
 * thread ({@link DtlsOptions#handshakeExecutor()}); once it is done no thread is parked for this
 * connection: inbound records are decrypted on the thread that feeds them and handed to the
 * {@link DtlsListener}; {@link #send} encrypts and sends on the caller's thread.
 *
 * <p>Thread safety: all methods may be called from any thread. {@link #feed} calls are serialized
 * internally; for best throughput feed from one thread (the socket reader).
 *
 * <p>Typical use:
 * <pre>{@code
 * DtlsTransport dtls = new DtlsTransport(DtlsRole.SERVER, certificate, socketSender, listener, DtlsOptions.defaults());
 * dtls.setRemoteFingerprints(List.of(DtlsFingerprint.parse(remoteFingerprintAttribute)));
 * dtls.start().thenAccept(info -> ...);
 * // socket reader: dtls.feed(datagram);   SCTP: dtls.send(packet);   shutdown: dtls.close();
 * }</pre>
 */
public final class DtlsTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DtlsTransport.class);

    /** RFC 6347 §4.1: DTLS record header length. */
    private static final int RECORD_HEADER_LENGTH = 13;
    /** Largest per-record expansion of the offered AEAD suites: AES-GCM's 8-byte explicit nonce + 16-byte tag. */
    private static final int MAX_AEAD_EXPANSION = 24;
    /** RFC 5246 §7.2: alert level warning (1), description close_notify (0). */
    private static final byte[] CLOSE_NOTIFY = {1, 0};

    private final DtlsRole role;
    private final DtlsCertificate localCertificate;
    private final DtlsListener listener;
    private final DtlsOptions options;
    private final QueuedDatagramTransport lower;
    private final RemoteCertificateVerifier verifier = new RemoteCertificateVerifier();
    private final CompletableFuture<DtlsConnectionInfo> handshake = new CompletableFuture<>();
    private final AtomicReference<DtlsState> state = new AtomicReference<>(DtlsState.NEW);
    private final Object receiveLock = new Object();

    private volatile PeerSettings settings;
    private volatile DTLSTransport dtls;
    private volatile DtlsConnectionInfo connectionInfo;
    private volatile int maxApplicationPayload;
    private byte[] receiveBuffer; // guarded by receiveLock
    /** Plaintext of {@link AesGcmRecordLayer} records, lent to the listener one record at a time. */
    private byte[] openBuffer; // guarded by receiveLock
    /**
     * While BouncyCastle may still answer a retransmitted final flight of the peer, it briefly
     * swaps its write epoch on the receiving thread, and a concurrent send would go out with the
     * wrong content type. Only the server (which sends the last flight) keeps that retransmission
     * state, and only until the first application record from the peer arrives; until then sends
     * are serialized with the receive path.
     */
    private volatile boolean sendNeedsReceiveLock;
    /**
     * After a JCA handshake on AES-GCM: this connection's application records, sealed and opened without
     * BouncyCastle's record layer (null otherwise, or once {@link #useBouncyCastleRecordLayer()} was called).
     * Opening is guarded by receiveLock, sealing by sendLock.
     */
    private volatile AesGcmRecordLayer records;
    private volatile boolean bouncyCastleRecordsOnly;
    private final Object sendLock = new Object();
    private byte[] sealBuffer; // guarded by sendLock

    /**
     * Creates an endpoint; nothing is sent before {@link #start()}.
     *
     * @param role client or server, from the SDP {@code a=setup} negotiation
     * @param localCertificate this side's certificate (its fingerprint is in the local description)
     * @param sender where outgoing datagrams go
     * @param listener receives application data and post-handshake events
     * @param options crypto back end, timers, datagram budget
     */
    public DtlsTransport(DtlsRole role, DtlsCertificate localCertificate, DtlsDatagramSender sender,
                         DtlsListener listener, DtlsOptions options) {
        this.role = Objects.requireNonNull(role, "role");
        this.localCertificate = Objects.requireNonNull(localCertificate, "localCertificate");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.options = Objects.requireNonNull(options, "options");
        this.lower = new QueuedDatagramTransport(Objects.requireNonNull(sender, "sender"),
                options.maxDatagramSize(), options.maxReceiveDatagramSize(), role == DtlsRole.SERVER);
        this.lower.packFlights();
        this.maxApplicationPayload = options.maxDatagramSize() - RECORD_HEADER_LENGTH - MAX_AEAD_EXPANSION;
    }

    /**
     * Sets the fingerprints of the peer's certificate from its session description. May be called
     * before or after {@link #start()}: if the peer's certificate arrives first, verification waits
     * (bounded by the handshake timeout). Calling again with different fingerprints throws.
     */
    public void setRemoteFingerprints(List<DtlsFingerprint> fingerprints) {
        verifier.setRemoteFingerprints(fingerprints);
    }

    /**
     * Starts the handshake on the handshake pool. The future completes when application data may
     * flow, or exceptionally with a {@link DtlsHandshakeException} (a
     * {@link DtlsFingerprintMismatchException} when the peer's certificate is not the announced one).
     * Dependent stages without an executor run on the handshake thread or on a thread waiting on
     * the future: keep them short or give them an executor.
     *
     * @throws IllegalStateException if already started or closed
     */
    public CompletableFuture<DtlsConnectionInfo> start() {
        if (!state.compareAndSet(DtlsState.NEW, DtlsState.CONNECTING)) {
            throw new IllegalStateException("cannot start in state " + state.get());
        }
        long deadline = System.nanoTime() + options.handshakeTimeout().toNanos();
        lower.handshakeDeadline(deadline);
        settings = new PeerSettings(options, localCertificate, verifier, deadline);
        if (settings.cipherSuites.length == 0) {
            state.compareAndSet(DtlsState.CONNECTING, DtlsState.FAILED);
            lower.close();
            handshake.completeExceptionally(new DtlsHandshakeException(
                    "no configured cipher suite is available with the " + options.cryptoBackend() + " back end: "
                            + options.cipherSuites(), -1, -1, null));
            return handshake;
        }
        Executor executor = options.handshakeExecutor().orElseGet(HandshakePool::shared);
        try {
            executor.execute(this::runHandshake);
        } catch (RejectedExecutionException e) {
            state.compareAndSet(DtlsState.CONNECTING, DtlsState.FAILED);
            lower.close();
            handshake.completeExceptionally(
                    new DtlsHandshakeException("handshake pool refused the handshake", -1, -1, e));
        }
        return handshake;
    }

    /** The handshake future (the one {@link #start()} returned). */
    public CompletableFuture<DtlsConnectionInfo> handshakeFuture() {
        return handshake;
    }

    private void runHandshake() {
        PeerSettings peer = settings;
        List<TlsCryptos.JdkGcmCipher> recordCiphers = TlsCryptos.captureGcmCiphers();
        try {
            DTLSTransport transport;
            if (role == DtlsRole.CLIENT) {
                transport = new DTLSClientProtocol().connect(new WebRtcDtlsClient(peer), lower);
            } else {
                DTLSServerProtocol protocol = new DTLSServerProtocol();
                // No HelloVerifyRequest cookie: ICE checks already proved the return path, and
                // BouncyCastle's cookie path drops ClientHellos split over several datagrams,
                // which is how browsers send their post-quantum DTLS 1.3 offers.
                protocol.setVerifyRequests(false);
                transport = protocol.accept(new WebRtcDtlsServer(peer), lower);
            }
            lower.flush(); // the server's final flight (ChangeCipherSpec, Finished) is written, not yet sent
            onHandshakeDone(transport, peer, recordCiphers);
        } catch (Throwable t) {
            DtlsHandshakeException failure = describeHandshakeFailure(t, peer);
            lower.close();
            state.compareAndSet(DtlsState.CONNECTING, DtlsState.FAILED);
            LOG.debug("DTLS {} handshake failed: {}", role, failure.getMessage());
            handshake.completeExceptionally(failure);
        } finally {
            TlsCryptos.endCapture();
        }
    }

    private void onHandshakeDone(DTLSTransport transport, PeerSettings peer,
                                 List<TlsCryptos.JdkGcmCipher> recordCiphers) throws IOException {
        int payload = transport.getSendLimit();
        SecurityParameters parameters = transportSecurityParameters(peer);
        connectionInfo = new DtlsConnectionInfo(role,
                parameters.getNegotiatedVersion().getFullVersion(),
                parameters.getCipherSuite(),
                options.cryptoBackend(),
                verifier.verifiedFingerprint(),
                verifier.verifiedCertificate(),
                payload);
        AesGcmRecordLayer ownRecords = null;
        if (!bouncyCastleRecordsOnly && options.cryptoBackend() == CryptoBackend.JCA
                && parameters.getNegotiatedVersion().getFullVersion() == AesGcmRecordLayer.DTLS_1_2) {
            try {
                ownRecords = AesGcmRecordLayer.fromHandshake(recordCiphers);
            } catch (java.security.GeneralSecurityException e) {
                LOG.debug("AES-GCM records stay with BouncyCastle: {}", e.toString());
            }
        }
        synchronized (receiveLock) {
            records = ownRecords;
            sealBuffer = ownRecords == null ? null : new byte[options.maxDatagramSize() + AesGcmRecordLayer.HEADER_LENGTH
                    + AesGcmRecordLayer.EXPANSION];
            receiveBuffer = new byte[Math.max(transport.getReceiveLimit(), 1)];
            openBuffer = ownRecords == null ? null : new byte[options.maxDatagramSize()];
            sendNeedsReceiveLock = role == DtlsRole.SERVER;
            dtls = transport;
            maxApplicationPayload = payload;
        }
        lower.switchToNonBlocking();
        if (!state.compareAndSet(DtlsState.CONNECTING, DtlsState.CONNECTED)) {
            transport.close(); // close() raced with the end of the handshake
            handshake.completeExceptionally(
                    new DtlsHandshakeException("closed before the handshake completed", -1, -1, null));
            return;
        }
        handshake.complete(connectionInfo);
        // Records that arrived while the handshake was finishing were queued, not delivered.
        drainInbound();
    }

    private SecurityParameters transportSecurityParameters(PeerSettings peer) {
        return peer.context().getSecurityParametersConnection();
    }

    private DtlsHandshakeException describeHandshakeFailure(Throwable t, PeerSettings peer) {
        DtlsHandshakeException verification = verifier.failure();
        if (verification != null) {
            verification.initCauseIfAbsent(t);
            return verification;
        }
        int sent = peer == null ? -1 : peer.fatalAlertRaised;
        int received = peer == null ? -1 : peer.fatalAlertReceived;
        if (t instanceof TlsFatalAlertReceived r) {
            received = r.getAlertDescription();
            return new DtlsHandshakeException("peer aborted the handshake with alert " + received, sent, received, t);
        }
        if (t instanceof TlsFatalAlert a && sent < 0) {
            sent = a.getAlertDescription();
        }
        if (state.get() == DtlsState.CLOSED || t instanceof QueuedDatagramTransport.TransportClosedException) {
            return new DtlsHandshakeException("closed before the handshake completed", sent, received, t);
        }
        if (t instanceof TlsTimeoutException || t instanceof QueuedDatagramTransport.DtlsHandshakeTimeoutException) {
            return new DtlsHandshakeException("DTLS handshake timed out after " + options.handshakeTimeout(),
                    sent, received, t);
        }
        return new DtlsHandshakeException("DTLS handshake failed: " + t, sent, received, t);
    }

    /**
     * Hands one datagram from the network to DTLS, taking ownership of the array (do not reuse it).
     * After the handshake the datagram is decrypted on this thread and application records are
     * delivered to the listener before this method returns. Datagrams that arrive before
     * {@link #start()} are kept for the handshake; after close they are dropped.
     */
    public void feed(byte[] datagram) {
        Objects.requireNonNull(datagram, "datagram");
        DtlsState s = state.get();
        if (s == DtlsState.CLOSED || s == DtlsState.FAILED) {
            return;
        }
        AesGcmRecordLayer own = records;
        if (own != null && s == DtlsState.CONNECTED) {
            feedOwnRecords(own, datagram, 0, datagram.length);
            return;
        }
        lower.enqueue(datagram);
        // Read the state after queueing: either we see CONNECTED and drain, or the handshake
        // thread sets CONNECTED after our enqueue and drains the datagram itself.
        if (state.get() == DtlsState.CONNECTED) {
            drainInbound();
        }
    }

    /**
     * Hands one datagram from the network to DTLS without giving up the array: the bytes are read during
     * the call, and copied only when they must wait (before the handshake is done, or for BouncyCastle's
     * record layer). Otherwise as {@link #feed(byte[])}.
     */
    public void feed(byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        DtlsState s = state.get();
        if (s == DtlsState.CLOSED || s == DtlsState.FAILED) {
            return;
        }
        AesGcmRecordLayer own = records;
        if (own != null && s == DtlsState.CONNECTED) {
            feedOwnRecords(own, buffer, offset, length);
            return;
        }
        feed(Arrays.copyOfRange(buffer, offset, offset + length));
    }

    /** Copies the buffer's remaining bytes as one datagram and feeds it; see {@link #feed(byte[])}. */
    public void feed(ByteBuffer datagram) {
        byte[] copy = new byte[datagram.remaining()];
        datagram.get(copy);
        feed(copy);
    }

    private void drainInbound() {
        synchronized (receiveLock) {
            DTLSTransport transport = dtls;
            if (transport == null) {
                return;
            }
            byte[] buffer = receiveBuffer;
            // One receive per queued datagram, then receivePending for any further record of the same
            // datagram. BouncyCastle allocates a datagram-sized array on every receive, so an empty queue
            // is checked here rather than found by a receive that allocates and then would block.
            while (state.get() == DtlsState.CONNECTED && lower.hasQueued()) {
                int n;
                try {
                    // The wait argument is ignored: the transport below never blocks after the
                    // handshake and signals an empty queue with WouldBlockException.
                    n = transport.receive(buffer, 0, buffer.length, 0);
                    if (n >= 0) {
                        deliverRecord(buffer, n);
                    } else if (lower.isClosed()) { // BouncyCastle closed the transport without throwing
                        onReceiveEnded(new QueuedDatagramTransport.TransportClosedException());
                        return;
                    } // else a record that failed authentication was dropped
                    while (state.get() == DtlsState.CONNECTED
                            && (n = transport.receivePending(buffer, 0, buffer.length)) >= 0) {
                        deliverRecord(buffer, n);
                    }
                } catch (QueuedDatagramTransport.WouldBlockException e) {
                    return; // the datagram held no application record and the queue is empty
                } catch (IOException | RuntimeException e) {
                    onReceiveEnded(e);
                    return;
                }
            }
        }
    }

    /**
     * Opens this connection's application records in the datagram and hands every other record (alerts,
     * handshake retransmissions, another epoch) to BouncyCastle, copied into a datagram of their own.
     */
    private void feedOwnRecords(AesGcmRecordLayer own, byte[] datagram, int offset, int length) {
        synchronized (receiveLock) {
            lower.countReceived(length);
            int end = offset + length;
            byte[] others = null;
            int othersLength = 0;
            for (int at = offset; at < end; ) {
                int recordLength = AesGcmRecordLayer.recordLength(datagram, at, end);
                if (recordLength < 0) {
                    break; // a truncated record ends the datagram (RFC 6347 §4.1.2.7: dropped)
                }
                if (own.isOurs(datagram, at)) {
                    byte[] plaintext = openBuffer;
                    if (plaintext.length < recordLength) { // a datagram larger than the configured size
                        plaintext = openBuffer = new byte[recordLength];
                    }
                    int n = own.open(datagram, at, recordLength, plaintext);
                    if (n >= 0 && state.get() == DtlsState.CONNECTED) {
                        sendNeedsReceiveLock = false;
                        deliver(plaintext, n);
                    }
                } else {
                    if (others == null) {
                        others = new byte[length];
                    }
                    System.arraycopy(datagram, at, others, othersLength, recordLength);
                    othersLength += recordLength;
                }
                at += recordLength;
            }
            if (others != null && lower.enqueueUncounted(Arrays.copyOf(others, othersLength))) {
                drainInbound();
            }
        }
    }

    /**
     * Keeps BouncyCastle's record layer for application data (it is used after a JCA handshake on
     * AES-GCM otherwise). Call before {@link #start()}; for tests that check the two layers against
     * each other.
     */
    void useBouncyCastleRecordLayer() {
        bouncyCastleRecordsOnly = true;
    }

    /** True once application records are sealed and opened by {@link AesGcmRecordLayer}. */
    boolean usesOwnRecordLayer() {
        return records != null;
    }

    /**
     * With {@link AesGcmRecordLayer}, close_notify leaves through it: the peer has seen its sequence
     * numbers, so the one BouncyCastle sends next (from its own, lower numbers) is dropped as a replay.
     */
    private void sendOwnCloseNotify() {
        AesGcmRecordLayer own = records;
        if (own == null) {
            return;
        }
        synchronized (sendLock) {
            try {
                int n = own.seal(AesGcmRecordLayer.CONTENT_ALERT, CLOSE_NOTIFY, 0, CLOSE_NOTIFY.length, sealBuffer);
                lower.send(sealBuffer, 0, n);
            } catch (IOException | RuntimeException e) {
                LOG.debug("close_notify not sent: {}", e.toString());
            }
        }
    }

    /** Caller holds receiveLock. */
    private void deliverRecord(byte[] buffer, int n) {
        // Application data in the new epoch ends BouncyCastle's final-flight retransmission.
        sendNeedsReceiveLock = false;
        deliver(buffer, n);
    }

    /** Caller holds receiveLock: the buffer is lent to the listener and reused for the next record. */
    private void deliver(byte[] buffer, int length) {
        try {
            listener.onApplicationData(buffer, 0, length);
        } catch (RuntimeException e) {
            LOG.warn("DtlsListener.onApplicationData threw; record dropped", e);
        }
    }

    private void onReceiveEnded(Exception e) {
        PeerSettings peer = settings;
        if (peer.closeNotifyReceived && e instanceof QueuedDatagramTransport.TransportClosedException) {
            // RFC 5246 §7.2.1: BouncyCastle answered the peer's close_notify with its own.
            if (state.compareAndSet(DtlsState.CONNECTED, DtlsState.CLOSED)) {
                try {
                    listener.onPeerClosed();
                } catch (RuntimeException listenerError) {
                    LOG.warn("DtlsListener.onPeerClosed threw", listenerError);
                }
            }
            return;
        }
        if (state.compareAndSet(DtlsState.CONNECTED, DtlsState.FAILED)) {
            lower.close();
            try {
                listener.onFailed(e);
            } catch (RuntimeException listenerError) {
                LOG.warn("DtlsListener.onFailed threw", listenerError);
            }
        }
    }

    /**
     * Encrypts {@code length} bytes as one application record and sends it through the sender, on
     * the calling thread. The record must fit one datagram: at most {@link #maxApplicationPayload()}.
     *
     * @throws IllegalStateException if the handshake is not complete or the transport is closed
     * @throws IllegalArgumentException if the record is larger than {@link #maxApplicationPayload()}
     * @throws IOException if DTLS failed
     */
    public void send(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        DTLSTransport transport = dtls;
        DtlsState s = state.get();
        if (s != DtlsState.CONNECTED || transport == null) {
            throw new IllegalStateException("cannot send in state " + s);
        }
        if (length > maxApplicationPayload) {
            throw new IllegalArgumentException(
                    "record of " + length + " bytes exceeds maxApplicationPayload " + maxApplicationPayload);
        }
        AesGcmRecordLayer own = records;
        if (own != null) {
            synchronized (sendLock) {
                int n = own.seal(AesGcmRecordLayer.CONTENT_APPLICATION_DATA, buffer, offset, length, sealBuffer);
                lower.send(sealBuffer, 0, n);
            }
            return;
        }
        byte[] source = buffer;
        int from = offset;
        if (length == 0) {
            source = new byte[1]; // BouncyCastle rejects offset == buffer.length
            from = 0;
        }
        if (sendNeedsReceiveLock) {
            synchronized (receiveLock) {
                transport.send(source, from, length);
            }
        } else {
            transport.send(source, from, length);
        }
    }

    /** Sends the whole array as one record; see {@link #send(byte[], int, int)}. */
    public void send(byte[] record) throws IOException {
        send(record, 0, record.length);
    }

    /** Sends the buffer's remaining bytes as one record and advances its position. */
    public void send(ByteBuffer record) throws IOException {
        int length = record.remaining();
        if (record.hasArray()) {
            send(record.array(), record.arrayOffset() + record.position(), length);
        } else {
            byte[] copy = new byte[length];
            record.duplicate().get(copy);
            send(copy, 0, length);
        }
        record.position(record.position() + length);
    }

    /**
     * Largest application record that fits the datagram budget ({@link DtlsOptions#maxDatagramSize()}
     * minus the 13-byte record header and the cipher's expansion). Exact once connected; before,
     * a conservative value for the costliest offered suite (AES-GCM: 1200 - 13 - 24 = 1163).
     */
    public int maxApplicationPayload() {
        return maxApplicationPayload;
    }

    public DtlsState state() {
        return state.get();
    }

    /** Early client ChangeCipherSpec records this server held back during its handshake; 0 for a client. */
    long heldBackChangeCipherSpecs() {
        return lower.heldBackChangeCipherSpecs();
    }

    public DtlsRole role() {
        return role;
    }

    /** Negotiated version, cipher suite and peer certificate, once connected. */
    public Optional<DtlsConnectionInfo> connectionInfo() {
        return Optional.ofNullable(connectionInfo);
    }

    /** Datagram and byte counters, for getStats-like reports. */
    public DtlsTransportStats stats() {
        return lower.stats();
    }

    /**
     * Sends close_notify (if connected) and releases everything. A handshake in progress fails with
     * a {@link DtlsHandshakeException}. Idempotent.
     */
    @Override
    public void close() {
        DtlsState previous = state.getAndSet(DtlsState.CLOSED);
        switch (previous) {
            case CONNECTED:
                sendOwnCloseNotify();
                synchronized (receiveLock) {
                    try {
                        dtls.close(); // close_notify, then closes the queue transport
                    } catch (IOException e) {
                        LOG.debug("close_notify not sent: {}", e.toString());
                    }
                    lower.close();
                }
                break;
            case NEW:
                lower.close();
                handshake.completeExceptionally(
                        new DtlsHandshakeException("closed before the handshake started", -1, -1, null));
                break;
            case CONNECTING:
                // Wake the handshake thread wherever it waits (datagram queue or remote
                // fingerprints); it then completes the future.
                lower.close();
                verifier.abort();
                break;
            default:
                state.set(previous); // CLOSED or FAILED stay as they were
                lower.close();
        }
    }

    @Override
    public String toString() {
        return "DtlsTransport[" + role + ", " + state.get() + ']';
    }
}
