package dev.purertc.interop;

/** {@link BrowserDriverTest} on headless Chromium. */
class ChromiumDriverTest extends BrowserDriverTest {
    @Override
    BrowserKind kind() {
        return BrowserKind.CHROMIUM;
    }

    @Override
    String userAgentMark() {
        return "HeadlessChrome/";
    }
}
