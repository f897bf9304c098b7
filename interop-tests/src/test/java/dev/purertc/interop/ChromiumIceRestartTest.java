package dev.purertc.interop;

/** {@link BrowserIceRestartTest} with headless Chromium. */
class ChromiumIceRestartTest extends BrowserIceRestartTest {
    @Override
    BrowserKind kind() {
        return BrowserKind.CHROMIUM;
    }
}
