package dev.purertc.interop.bench;

import dev.purertc.interop.BrowserKind;

/** {@code ./bench interop_chromium}: {@link PureRtcBrowserBench} with headless Chromium. */
public final class PureRtcChromiumBench {
    private PureRtcChromiumBench() {
    }

    public static void main(String[] args) throws Exception {
        PureRtcBrowserBench.main(BrowserKind.CHROMIUM, PureRtcChromiumBench.class, args);
    }
}
