package dev.purertc.interop;

/** {@link BrowserLoopbackSelfTest} on headless Chromium. */
@InteropMatrix(peer = "chromium")
class ChromiumLoopbackSelfTest extends BrowserLoopbackSelfTest {
    @Override
    BrowserKind kind() {
        return BrowserKind.CHROMIUM;
    }
}
