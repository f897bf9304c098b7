package dev.purertc.interop;

/** {@link BrowserDriverTest} on werift in node. */
class WeriftDriverTest extends BrowserDriverTest {
    @Override
    BrowserKind kind() {
        return BrowserKind.WERIFT;
    }

    @Override
    String userAgentMark() {
        return "werift/0.25.2 node/";
    }
}
