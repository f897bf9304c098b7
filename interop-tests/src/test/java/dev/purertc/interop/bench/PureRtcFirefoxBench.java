package dev.purertc.interop.bench;

import dev.purertc.interop.BrowserKind;

/** {@code ./bench interop_firefox}: {@link PureRtcBrowserBench} with headless Firefox ESR. */
public final class PureRtcFirefoxBench {
    private PureRtcFirefoxBench() {
    }

    public static void main(String[] args) throws Exception {
        PureRtcBrowserBench.main(BrowserKind.FIREFOX, PureRtcFirefoxBench.class, args);
    }
}
