package dev.purertc.interop;

/** {@link UdpBlockedIceTcpTest} with headless Chromium. */
class ChromiumIceTcpTest extends UdpBlockedIceTcpTest {
    @Override
    BrowserKind kind() {
        return BrowserKind.CHROMIUM;
    }
}
