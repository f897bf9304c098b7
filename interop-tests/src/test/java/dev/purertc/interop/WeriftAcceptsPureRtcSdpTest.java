package dev.purertc.interop;

import java.util.List;

/** {@link BrowserAcceptsPureRtcSdpTest} on werift in node. */
@InteropMatrix(peer = "werift")
class WeriftAcceptsPureRtcSdpTest extends BrowserAcceptsPureRtcSdpTest {
    @Override
    BrowserKind kind() {
        return BrowserKind.WERIFT;
    }

    @Override
    List<String> transceiversAfterAudioVideoRejected() {
        return List.of("audio:stopped", "video:stopped");
    }
}
