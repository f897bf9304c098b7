package dev.purertc.interop;

/** {@link BrowserLoopbackSelfTest} on headless Chromium. */
class ChromiumLoopbackSelfTest extends BrowserLoopbackSelfTest {
    @Override
    BrowserKind kind() {
        return BrowserKind.CHROMIUM;
    }
}
