package dev.purertc.interop;

/** {@link BrowserLoopbackSelfTest} on headless Firefox ESR; it negotiates DTLS 1.3 (0xFEFC) with itself. */
@InteropMatrix(peer = "firefox")
class FirefoxLoopbackSelfTest extends BrowserLoopbackSelfTest {
    @Override
    BrowserKind kind() {
        return BrowserKind.FIREFOX;
    }

    @Override
    String tlsVersionWithItself() {
        return "FEFC";
    }

    @Override
    String dtlsCipherWithItself() {
        return "TLS_AES_128_GCM_SHA256";
    }
}
