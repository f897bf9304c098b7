package dev.purertc.interop;

/** {@link BrowserDriverTest} on headless Firefox. */
class FirefoxDriverTest extends BrowserDriverTest {
    @Override
    BrowserKind kind() {
        return BrowserKind.FIREFOX;
    }

    @Override
    String userAgentMark() {
        return "Firefox/";
    }
}
