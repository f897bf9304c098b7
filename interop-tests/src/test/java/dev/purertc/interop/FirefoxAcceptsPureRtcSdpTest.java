package dev.purertc.interop;

import java.util.List;

/** {@link BrowserAcceptsPureRtcSdpTest} (issue 2 acceptance) on headless Firefox. */
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
