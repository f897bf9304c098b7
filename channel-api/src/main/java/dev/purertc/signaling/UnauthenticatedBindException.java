package dev.purertc.signaling;

import java.net.InetAddress;

/**
 * {@link SignalingServer#start} refused to listen on a non-loopback address without authentication:
 * anyone who can reach that address could register any user id and receive that user's calls. Thrown
 * before anything is bound. The fix is one of: configure
 * {@link SignalingServerOptions.Builder#tokenValidator(TokenValidator)}, bind 127.0.0.1 (the default) and
 * put an authenticating proxy in front, or opt out by name with
 * {@link SignalingServerOptions.Builder#allowUnauthenticatedNonLoopback(boolean)}.
 */
public final class UnauthenticatedBindException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient InetAddress bindAddress;

    UnauthenticatedBindException(InetAddress bindAddress) {
        super("refusing to listen on " + bindAddress.getHostAddress() + " without authentication: configure "
                + "SignalingServerOptions.builder().tokenValidator(...), or bind a loopback address (the default "
                + "127.0.0.1), or opt out explicitly with allowUnauthenticatedNonLoopback(true)");
        this.bindAddress = bindAddress;
    }

    /** The address that was refused. */
    public InetAddress bindAddress() {
        return bindAddress;
    }
}
