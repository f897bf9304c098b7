package dev.purertc.dtls;

/** TLS alert descriptions used here (RFC 5246 §7.2). */
final class DtlsAlerts {
    static final int CLOSE_NOTIFY = 0;
    static final int UNEXPECTED_MESSAGE = 10;
    static final int HANDSHAKE_FAILURE = 40;
    static final int BAD_CERTIFICATE = 42;
    static final int INTERNAL_ERROR = 80;

    private DtlsAlerts() {
    }
}
