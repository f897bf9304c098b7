package dev.purertc.interop;

import org.junit.jupiter.api.Assumptions;

/** JUnit glue: a browser test is skipped, with the reason, when that browser is not installed. */
final class BrowserAssumptions {
    private BrowserAssumptions() {
    }

    static void assumeInstalled(BrowserKind kind) {
        Assumptions.assumeTrue(kind.isInstalled(), () -> kind + " is not installed, skipping its interop tests "
                + "(" + kind.installHint() + "; .ci/run installs it)");
    }
}
