package dev.purertc.interop;

/** Issue 5's matrix against Firefox: {@link PureRtcInteropTest} with PureRTC offering and answering. */
@InteropMatrix(peer = "firefox")
class FirefoxInteropTest extends PureRtcInteropTest {
    @Override
    BrowserKind kind() {
        return BrowserKind.FIREFOX;
    }

    @Override
    String expectedTlsVersion() {
        return "FEFD";
    }

    @Override
    long peerMaxMessageSize() {
        return 1073741823L;
    }
}
