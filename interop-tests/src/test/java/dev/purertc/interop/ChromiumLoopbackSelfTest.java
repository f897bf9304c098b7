package dev.purertc.interop;

/** {@link BrowserLoopbackSelfTest} on headless Chromium; it negotiates DTLS 1.3 (0xFEFC) with itself. */
@InteropMatrix(peer = "chromium")
class ChromiumLoopbackSelfTest extends BrowserLoopbackSelfTest {
    @Override
    BrowserKind kind() {
        return BrowserKind.CHROMIUM;
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
