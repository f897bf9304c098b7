package dev.purertc.dtls;

/** An {@code a=fingerprint} value that does not have the RFC 8122 §5 form. */
public final class DtlsFingerprintParseException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String input;
    private final int index;

    DtlsFingerprintParseException(String problem, String input, int index) {
        super(problem + " at index " + index + " of \"" + input + '"');
        this.input = input;
        this.index = index;
    }

    /** The text that failed to parse. */
    public String input() {
        return input;
    }

    /** Index into {@link #input()} where the problem was found. */
    public int index() {
        return index;
    }
}
