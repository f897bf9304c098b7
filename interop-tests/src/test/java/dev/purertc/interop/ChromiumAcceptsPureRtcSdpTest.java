package dev.purertc.interop;

import java.util.List;

/** {@link BrowserAcceptsPureRtcSdpTest} (issue 2 acceptance) on headless Chromium. */
@InteropMatrix(peer = "chromium")
class ChromiumAcceptsPureRtcSdpTest extends BrowserAcceptsPureRtcSdpTest {
    @Override
    BrowserKind kind() {
        return BrowserKind.CHROMIUM;
    }

    @Override
    List<String> transceiversAfterAudioVideoRejected() {
        return List.of();
    }
}
