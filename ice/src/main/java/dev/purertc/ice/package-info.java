/**
 * ICE for PureRTC data channels, through ice4j, with no ice4j type in the API.
 *
 * <p>Entry points: {@link dev.purertc.ice.IceAgent} (one per peer connection), configured by
 * {@link dev.purertc.ice.IceOptions}; once connected, {@link dev.purertc.ice.IceAgent#transport()} gives
 * the {@link dev.purertc.ice.IceTransport} that DTLS runs over. Candidates are
 * {@link dev.purertc.sdp.IceCandidate} values.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>Per agent with its own sockets (the default): one ice4j {@code IceConnector} thread per local
 *       socket (one per gathered host address). It reads the socket; STUN goes to ice4j, DTLS is handed to
 *       the transport's receiver on this same thread (RFC 7983 demultiplexing happens inside the socket),
 *       nothing else is read.</li>
 *   <li>Agents with their own sockets on a {@link dev.purertc.ice.mux.SharedUdpReader}
 *       ({@link dev.purertc.ice.IceOptions#sharedUdpReader()}): no thread per agent; the reader's selector
 *       thread ({@code purertc-udpread-<n>}) reads every socket and hands DTLS to the transports' receivers,
 *       its control thread runs ice4j's STUN processing.</li>
 *   <li>Agents on a shared {@link dev.purertc.ice.mux.UdpMux} ({@link dev.purertc.ice.IceOptions#udpMux()}):
 *       no thread and no socket per agent. The mux's reader ({@code purertc-udpmux-<port>-<address>}, one
 *       per local address) hands DTLS to each transport's receiver on that thread, so a receiver must not
 *       block; its control thread ({@code purertc-udpmux-<port>-control}) runs ice4j's STUN processing.</li>
 *   <li>ice4j's process-wide pools ({@code ice4j.Agent-executor}, {@code ice4j.Agent-timer},
 *       {@code ice4j.NetAccessManager}, {@code ice4j.StunStack}, {@code ice4j.StunClientTransaction-timer})
 *       run checks, retransmissions and consent requests for every agent. ice4j starts them on first use
 *       and keeps them; they are not per agent.</li>
 *   <li>{@code purertc-ice-consent}: one timer thread shared by all open agents to decide
 *       disconnected/failed from consent responses (RFC 7675), running every agent's check in one round
 *       per period; it ends when the last agent closes.</li>
 *   <li>{@code purertc-ice-gather-N}: only when STUN/TURN servers are configured, a short-lived thread
 *       per gathering that ends with end-of-candidates.</li>
 *   <li>Relayed (TURN) pairs only: ice4j's relayed socket runs its own send and ChannelData threads per
 *       allocation, and a {@code purertc-ice-relay-reader-N} thread hands DTLS from the relayed socket to
 *       the transport. All end when the agent closes.</li>
 * </ul>
 *
 * <h2>Sockets</h2>
 * Every host candidate socket asks for {@link dev.purertc.ice.IceOptions#socketBufferBytes()} of SO_RCVBUF
 * and SO_SNDBUF (4 MiB by default; Linux grants at most {@code net.core.rmem_max}/{@code wmem_max}): the
 * reader thread also hands DTLS on, and a short stall with the kernel's default buffer (about 90 datagrams)
 * loses datagrams that SCTP must then retransmit. The grant is logged at debug and reported by
 * {@link dev.purertc.ice.IceTransport#receiveBufferBytes()}.
 *
 * <h2>One port for many agents</h2>
 * {@link dev.purertc.ice.mux.UdpMux} binds one port per local address and routes by remote address, and a
 * first Binding request from an unknown address by the local ufrag in USERNAME (RFC 8445 §7.2.2); such an
 * address becomes a route only after ice4j verified the request's MESSAGE-INTEGRITY, or when the agent
 * sends a check there itself. Requests for unknown ufrags are dropped without allocating anything beyond
 * the ufrag string. Not yet with STUN/TURN servers ({@code UnsupportedOperationException}).
 *
 * <h2>Construction cost</h2>
 * {@link dev.purertc.ice.IceAgent#create} opens no socket and, with the default consent settings, takes
 * well under a millisecond; agents with other consent settings are built with ice4j's configuration cache
 * off (several milliseconds, one at a time). The role may be set later with
 * {@link dev.purertc.ice.IceAgent#setRole}, so an agent can be created before the offer/answer exchange.
 *
 * <h2>Network hygiene</h2>
 * ice4j's AWS, STUN-mapping and static-mapping harvesters are forced off (see {@code Ice4jRuntime});
 * UPnP is never added. Only the STUN/TURN servers in {@link dev.purertc.ice.IceOptions#iceServers()} are
 * contacted. With {@code iceTransportPolicy relay} the host sockets exchange datagrams with the TURN
 * servers only (sends elsewhere are swallowed, datagrams from elsewhere dropped), so the peer never learns
 * a host address. Host names in remote candidates are never resolved; {@code .local} candidates are left
 * to peer-reflexive discovery. ice4j works without JNA (excluded in this module's pom).
 */
package dev.purertc.ice;
