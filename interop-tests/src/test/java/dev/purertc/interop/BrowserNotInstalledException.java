package dev.purertc.interop;

/** The browser's Debian package is not installed on this machine. */
public final class BrowserNotInstalledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BrowserNotInstalledException(BrowserKind kind) {
        super(kind + " is not installed (" + kind.installHint() + ")");
    }
}
