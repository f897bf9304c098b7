/**
 * DTLS 1.2 for WebRTC data channels, over BouncyCastle 1.84 (RFC 6347, RFC 8827 §6.5, RFC 8842).
 *
 * <p>Public surface:
 * <ul>
 *   <li>{@link dev.purertc.dtls.DtlsCertificate}: self-signed ECDSA P-256 certificate, PEM load/store;</li>
 *   <li>{@link dev.purertc.dtls.DtlsFingerprint}: the {@code a=fingerprint} value (RFC 8122 §5);</li>
 *   <li>{@link dev.purertc.dtls.DtlsTransport}: one association, fed datagrams and handing out
 *       datagrams, no socket of its own; {@link dev.purertc.dtls.DtlsListener} and
 *       {@link dev.purertc.dtls.DtlsDatagramSender} connect it to the layers above and below;</li>
 *   <li>{@link dev.purertc.dtls.DtlsOptions}: crypto back end ({@link dev.purertc.dtls.CryptoBackend}),
 *       cipher suites, timers, datagram budget.</li>
 * </ul>
 *
 * <p>Threads: BouncyCastle's handshake blocks, so it runs on a shared pool whose threads end after
 * one idle second (named {@code purertc-dtls-handshake-N}); after the handshake no thread is
 * parked per connection. The records of one handshake flight leave in one datagram (RFC 6347 §4.1.1).
 * Everything else here is package-private plumbing: the BouncyCastle
 * client and server peers, the queue-fed datagram transport, certificate verification.
 */
package dev.purertc.dtls;
