package dev.purertc.interop;

/** {@link BrowserIceRestartTest} with headless Firefox ESR. */
class FirefoxIceRestartTest extends BrowserIceRestartTest {
    @Override
    BrowserKind kind() {
        return BrowserKind.FIREFOX;
    }
}
