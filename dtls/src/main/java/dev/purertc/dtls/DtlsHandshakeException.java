package dev.purertc.dtls;

import java.io.IOException;
import java.util.OptionalInt;

/**
 * The DTLS handshake did not complete. Carries the TLS alert this side sent or received, when
 * there was one (RFC 5246 §7.2 alert descriptions, e.g. 42 bad_certificate).
 */
public class DtlsHandshakeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int alertSent;
    private final int alertReceived;

    DtlsHandshakeException(String message, int alertSent, int alertReceived, Throwable cause) {
        super(message);
        if (cause != null) {
            initCause(cause);
        }
        this.alertSent = alertSent;
        this.alertReceived = alertReceived;
    }

    /** Records what BouncyCastle threw when this failure was detected first in a callback. */
    void initCauseIfAbsent(Throwable cause) {
        if (getCause() == null && cause != this) {
            initCause(cause);
        }
    }

    /** Fatal alert this side raised and sent to the peer, if any. */
    public OptionalInt alertSent() {
        return alertSent < 0 ? OptionalInt.empty() : OptionalInt.of(alertSent);
    }

    /** Fatal alert the peer sent, if any. */
    public OptionalInt alertReceived() {
        return alertReceived < 0 ? OptionalInt.empty() : OptionalInt.of(alertReceived);
    }
}
