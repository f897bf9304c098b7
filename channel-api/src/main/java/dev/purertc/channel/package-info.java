/**
 * The RTCPeerConnection-style API of PureRTC: peer connections that carry WebRTC data channels, built
 * from the {@code sdp}, {@code ice}, {@code dtls} and {@code sctp} modules.
 *
 * <p>Entry points: a {@link dev.purertc.channel.PeerConnectionFactory} (owns the event loops and the
 * DTLS handshake pool; close it last) creates {@link dev.purertc.channel.RTCPeerConnection}s from an
 * {@link dev.purertc.channel.RtcConfiguration}; a connection opens
 * {@link dev.purertc.channel.RTCDataChannel}s and reports through a
 * {@link dev.purertc.channel.PeerConnectionListener}. Descriptions and candidates travel between the
 * peers as {@link dev.purertc.channel.RTCSessionDescription} and
 * {@link dev.purertc.channel.RTCIceCandidate}, over whatever signaling the application has.
 *
 * <h2>How the layers meet</h2>
 * <ul>
 *   <li>SDP: offers and answers with one {@code m=application ... webrtc-datachannel} section
 *       ({@code DataChannelNegotiation}); the answer's {@code a=setup} decides the DTLS role (RFC 8842),
 *       the remote {@code a=sctp-port} is the SCTP destination port and the send limit is
 *       min(local, remote) {@code a=max-message-size} (RFC 8841).</li>
 *   <li>ICE: one agent per connection, controlling on the offerer; trickled candidates both ways,
 *       remote ones kept until the remote description arrives; consent freshness (RFC 7675) turns a
 *       silent peer into {@code disconnected} within 5 s, then {@code failed} within 30 s, and checks
 *       that find no working pair fail within 30 s (all configurable in {@code RtcConfiguration}).</li>
 *   <li>DTLS 1.2 starts once ICE has a selected pair; the peer's certificate must match the
 *       fingerprint of its description, or the connection fails and no data is ever delivered.</li>
 *   <li>SCTP (RFC 8261): started by the DTLS client once DTLS is connected; each SCTP packet is one DTLS
 *       application record, the SCTP packet budget being the DTLS record budget (1160 bytes with
 *       AES-GCM and 1200-byte datagrams).</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>{@code purertc-loop-F-N}: the factory's event loops. Each connection is pinned to one; its SCTP
 *       association, data channels, SCTP timers and every listener call run there; that state takes no
 *       lock.</li>
 *   <li>{@code purertc-dtls-F-N}: BouncyCastle's blocking DTLS handshakes; a thread ends one second after
 *       its last handshake.</li>
 *   <li>ice4j's socket reader per local candidate socket ({@code IceConnector}): it reads STUN and DTLS,
 *       and decrypts DTLS records before handing them to the loop in batches (the one thread hop of the
 *       inbound path: a list swapped under a monitor held for one add, no per-record allocation). ice4j's process-wide pools run the connectivity checks.</li>
 * </ul>
 * Outbound, SCTP packets are encrypted and sent on the loop, all that one piece of work produced at
 * once. {@code RTCPeerConnection.close()} releases the connection's sockets and reader thread;
 * {@code PeerConnectionFactory.close()} stops the loops and the handshake pool.
 *
 * <h2>Failure and the peer's close</h2>
 * A connection that fails (ICE, DTLS or SCTP) is {@code failed}: every channel fires {@code onError} and
 * {@code onClose}, {@code send()} throws, and the sockets are released at once. A peer that closes
 * cleanly (SCTP SHUTDOWN or ABORT without an error cause, DTLS close_notify) makes the connection
 * {@code closed} at once and its channels close without an error. A remote description that is refused
 * (a typed {@code SdpParseException}/{@code SdpValidationException}) changes nothing. An inbound message
 * over the local {@code max-message-size} closes only its own channel, with an error naming both sizes.
 *
 * <h2>Renegotiation</h2>
 * Later offers and answers from either side work on a connected connection (JSEP RFC 8829 §5.2.2,
 * §5.3.2): the data section keeps its mid, media sections are answered with port 0, rollback and the
 * implicit rollback of a colliding offer return to {@code stable}, and
 * {@link dev.purertc.channel.PeerConnectionListener#onNegotiationNeeded()} fires. {@code restartIce()}
 * or {@code createOffer(true)} restarts ICE: new credentials and checks, the data path moves to the new
 * pair, DTLS and SCTP go on untouched. A remote offer with new credentials restarts the local agent too.
 *
 * <h2>Not supported</h2>
 * A later description that changes the DTLS certificate or role (a new DTLS association) is refused
 * with {@link dev.purertc.sdp.SdpValidationException}. Rolling back an offer or answer does not undo
 * what it started in ICE: a rolled-back ICE restart stays started and the next offer carries its
 * credentials. {@code stuns:} and TURN over DTLS ({@code turns:…?transport=udp}; TURN over UDP, TCP and
 * TLS are wired) throw {@link java.lang.UnsupportedOperationException} with the reason. {@code getStats()} has no
 * {@code currentRoundTripTime} on the candidate pair (ice4j does not time its checks); the SCTP
 * transport's {@code smoothedRoundTripTime} stands for it.
 */
package dev.purertc.channel;
