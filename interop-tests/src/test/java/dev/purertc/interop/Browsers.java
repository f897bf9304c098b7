package dev.purertc.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Starts browsers for the interop tests and benchmarks. */
public final class Browsers {
    private Browsers() {
    }

    /**
     * Starts {@code kind} headless on a fresh profile, loads the driver page and waits (bounded) until
     * the page is polling for commands. Refuses to run outside a lo-only network namespace.
     *
     * @throws BrowserNotInstalledException if the browser's package is not installed
     * @throws IllegalStateException outside a lo-only network namespace
     * @throws BrowserTimeoutException if the page did not come up in time (the browser is then killed)
     */
    public static BrowserPeer launch(BrowserKind kind) {
        Path binary = kind.binary().orElseThrow(() -> new BrowserNotInstalledException(kind));
        LoopbackNamespace.requireLoopbackOnly();
        try {
            return new BrowserPeer(kind, binary);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
