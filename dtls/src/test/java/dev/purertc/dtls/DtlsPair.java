package dev.purertc.dtls;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** A client and a server joined by two {@link InMemoryLink}s; closes everything it made. */
final class DtlsPair implements AutoCloseable {
    static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();
    static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();

    final InMemoryLink toServer;
    final InMemoryLink toClient;
    final TestPeer client;
    final TestPeer server;

    DtlsPair(DtlsOptions clientOptions, DtlsOptions serverOptions,
             InMemoryLink.DropPolicy toServerDrops, InMemoryLink.DropPolicy toClientDrops) {
        this(DtlsRole.CLIENT, clientOptions, DtlsRole.SERVER, serverOptions, toServerDrops, toClientDrops);
    }

    DtlsPair(DtlsRole firstRole, DtlsOptions firstOptions, DtlsRole secondRole, DtlsOptions secondOptions,
             InMemoryLink.DropPolicy toSecondDrops, InMemoryLink.DropPolicy toFirstDrops) {
        toServer = new InMemoryLink(toSecondDrops);
        toClient = new InMemoryLink(toFirstDrops);
        client = new TestPeer(firstRole, CLIENT_CERT, toServer, firstOptions);
        server = new TestPeer(secondRole, SERVER_CERT, toClient, secondOptions);
        toServer.connectTo(server.transport::feed);
        toClient.connectTo(client.transport::feed);
    }

    /** Options for in-memory tests: a 15 s handshake bound and a 100 ms first retransmission. */
    static DtlsOptions testOptions(CryptoBackend backend) {
        return DtlsOptions.builder()
                .cryptoBackend(backend)
                .handshakeTimeout(java.time.Duration.ofSeconds(15))
                .initialRetransmitTimeout(java.time.Duration.ofMillis(100))
                .build();
    }

    /** {@code length} bytes of a seeded pseudo-random pattern. */
    static byte[] pattern(int length, int seed) {
        byte[] data = new byte[length];
        new java.util.Random(seed).nextBytes(data);
        return data;
    }

    static DtlsPair of(DtlsOptions options) {
        return new DtlsPair(options, options, InMemoryLink.DropPolicy.NONE, InMemoryLink.DropPolicy.NONE);
    }

    /** Each side expects the other's real certificate. */
    DtlsPair withCorrectFingerprints() {
        client.transport.setRemoteFingerprints(List.of(SERVER_CERT.fingerprint()));
        server.transport.setRemoteFingerprints(List.of(CLIENT_CERT.fingerprint()));
        return this;
    }

    void startBoth() {
        server.transport.start();
        client.transport.start();
    }

    DtlsConnectionInfo awaitClient() throws Exception {
        return client.transport.handshakeFuture().get(20, TimeUnit.SECONDS);
    }

    DtlsConnectionInfo awaitServer() throws Exception {
        return server.transport.handshakeFuture().get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        client.close();
        server.close();
        toServer.close();
        toClient.close();
    }
}
