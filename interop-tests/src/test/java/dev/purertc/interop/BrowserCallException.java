package dev.purertc.interop;

/** A driver command that the page ran and that failed there (the JavaScript error's name and message). */
public final class BrowserCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String command;
    private final String pageError;

    BrowserCallException(BrowserKind kind, String command, String pageError) {
        super(kind + " page: " + command + " failed: " + pageError);
        this.command = command;
        this.pageError = pageError;
    }

    /** The command that failed. */
    public String command() {
        return command;
    }

    /** The error as the page reported it, e.g. {@code InvalidAccessError: ...}. */
    public String pageError() {
        return pageError;
    }
}
