package dev.purertc.interop;

import java.util.List;

/** {@link BrowserAcceptsPureRtcSdpTest} (issue 2 acceptance) on headless Firefox. */
@InteropMatrix(peer = "firefox")
class FirefoxAcceptsPureRtcSdpTest extends BrowserAcceptsPureRtcSdpTest {
    @Override
    BrowserKind kind() {
        return BrowserKind.FIREFOX;
    }

    @Override
    List<String> transceiversAfterAudioVideoRejected() {
        return List.of("audio:stopped", "video:stopped");
    }
}
