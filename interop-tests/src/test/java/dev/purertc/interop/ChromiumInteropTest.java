package dev.purertc.interop;

/** Issue 5's matrix against Chromium: {@link PureRtcInteropTest} with PureRTC offering and answering. */
@InteropMatrix(peer = "chromium")
class ChromiumInteropTest extends PureRtcInteropTest {
    @Override
    BrowserKind kind() {
        return BrowserKind.CHROMIUM;
    }

    @Override
    String expectedTlsVersion() {
        return "FEFD";
    }

    @Override
    long peerMaxMessageSize() {
        return 262144L;
    }
}
