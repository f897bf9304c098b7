/**
 * PureRTC's sans-I/O SCTP (RFC 9260 with RFC 3758, RFC 6525 and RFC 8261 usage over DTLS).
 *
 * <p>{@link dev.purertc.sctp.Association} is the entry point: feed it packets, time and messages;
 * poll packets, events and its next deadline. {@link dev.purertc.sctp.SctpOptions} holds every
 * tunable. Data channels (RFC 8831/8832) live in {@code dev.purertc.sctp.channel}. The mechanics are
 * split by concern as in dcSCTP: {@code packet} (codec), {@code rx} (data tracker, reassembly),
 * {@code tx} (send queue, retransmission queue, RTO), {@code association} (state cookie, timers,
 * stream reset, heartbeat), {@code common} (serial number arithmetic).
 *
 * <p>Threading: nothing here is thread safe or starts a thread; one association and its channels are
 * driven from one thread (the connection's event loop).
 *
 * <p>Buffers: packets are plain {@code byte[]} and {@link java.nio.ByteBuffer}, not Netty's pooled
 * {@code ByteBuf}. An inbound packet arrives as the array DTLS opened its record into, and is handed
 * over ({@code handleOwnedInput}): DATA fragments stay views of it until their message is whole, so the
 * one copy on the way in is the reassembly into the message the application receives. Outbound packets
 * are written into the caller's reused buffer. A pooled, reference-counted buffer would save no copy
 * here and would need a release on every path a fragment can leave by (delivery, abandonment, stream
 * reset, abort), where a missed release leaks pool memory for the life of the process.
 */
package dev.purertc.sctp;
