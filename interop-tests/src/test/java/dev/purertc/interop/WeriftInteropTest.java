package dev.purertc.interop;

/**
 * Issue 5's matrix against werift 0.25.2: {@link PureRtcInteropTest} with PureRTC offering and answering.
 *
 * <p>Disabled: PureRTC does not yet connect to werift. Seen here (ICE connects in both directions):
 * <ul>
 *   <li>PureRTC answers (PureRTC is the DTLS client and sends SCTP INIT at once): werift's SCTP
 *       reaches ESTABLISHED before its {@code RTCSctpTransport.start()} ran, then crashes in
 *       {@code dataChannelFlush} ({@code dataChannelId} undefined, node exits). A race inside werift,
 *       which expects INIT no earlier than its own start; a workaround on PureRTC's side would be to
 *       delay INIT, not done.</li>
 *   <li>PureRTC offers (werift is the DTLS client): PureRTC reports CONNECTED, werift's connection
 *       goes {@code failed} right after ICE connects; the cause (DTLS handshake or fingerprint check
 *       on werift's side) is not diagnosed yet: werift's debug log ({@code DEBUG=werift*}, see
 *       {@code -Dpurertc.interop.weriftDebug}) did not show up in the driver's log.</li>
 * </ul>
 */
@org.junit.jupiter.api.Disabled("PureRTC <-> werift 0.25.2 does not connect yet: werift crashes on an early SCTP INIT "
        + "(PureRTC answering) and goes failed after ICE (PureRTC offering); see the class comment")
@InteropMatrix(peer = "werift")
class WeriftInteropTest extends PureRtcInteropTest {
    @Override
    BrowserKind kind() {
        return BrowserKind.WERIFT;
    }

    @Override
    String expectedTlsVersion() {
        return "FEFD";
    }

    @Override
    long peerMaxMessageSize() {
        return 65536L;
    }
}
