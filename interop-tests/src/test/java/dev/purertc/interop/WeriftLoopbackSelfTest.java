package dev.purertc.interop;

/** {@link BrowserLoopbackSelfTest} on werift in node (the same driver script on werift's WebRTC polyfill); werift has only DTLS 1.2 and names it in words. */
@InteropMatrix(peer = "werift")
class WeriftLoopbackSelfTest extends BrowserLoopbackSelfTest {
    @Override
    BrowserKind kind() {
        return BrowserKind.WERIFT;
    }

    @Override
    String tlsVersionWithItself() {
        return "DTLS 1.2";
    }

    @Override
    String dtlsCipherWithItself() {
        return "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    }
}
