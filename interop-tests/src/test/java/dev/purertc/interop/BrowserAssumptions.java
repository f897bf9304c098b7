package dev.purertc.interop;

import org.junit.jupiter.api.Assumptions;

/** JUnit glue: a browser test is skipped, with the reason, when that browser is not installed. */
final class BrowserAssumptions {
    private BrowserAssumptions() {
    }

    /** Skips when {@code kind} is missing; under {@code CI=true} fails instead (CI installs every browser). */
    static void assumeInstalled(BrowserKind kind) {
        if (!kind.isInstalled() && "true".equals(System.getenv("CI"))) {
            org.junit.jupiter.api.Assertions.fail(kind + " is not installed but CI=true: CI must run its interop "
                    + "tests (" + kind.installHint() + "; .ci/run installs it)");
        }
        Assumptions.assumeTrue(kind.isInstalled(), () -> kind + " is not installed, skipping its interop tests "
                + "(" + kind.installHint() + "; .ci/run installs it)");
    }
}
