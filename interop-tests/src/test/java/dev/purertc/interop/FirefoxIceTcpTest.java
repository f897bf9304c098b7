package dev.purertc.interop;

/** {@link UdpBlockedIceTcpTest} with headless Firefox ESR. */
class FirefoxIceTcpTest extends UdpBlockedIceTcpTest {
    @Override
    BrowserKind kind() {
        return BrowserKind.FIREFOX;
    }
}
