package dev.purertc.interop;

/** {@link BrowserLoopbackSelfTest} on headless Firefox ESR. */
@InteropMatrix(peer = "firefox")
class FirefoxLoopbackSelfTest extends BrowserLoopbackSelfTest {
    @Override
    BrowserKind kind() {
        return BrowserKind.FIREFOX;
    }
}
