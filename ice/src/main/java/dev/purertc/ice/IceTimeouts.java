package dev.purertc.ice;

/**
 * When silence turns into a state change: RFC 7675 §5.1 consent expiry (DISCONNECTED, then FAILED, after
 * {@link IceOptions#disconnectedTimeout()} and {@link IceOptions#consentTimeout()} without a consent
 * response) and the connect timeout (FAILED after {@link IceOptions#connectTimeout()} of checks without a
 * valid pair). Pure decisions on elapsed times; {@link IceAgent} measures the times and applies them.
 *
 * <p>The agent looks every {@link #periodMillis()}. A timeout is decided as soon as the next look could
 * be past it, so a state is reported at most one period early and never late: "disconnected within 5 s"
 * holds as stated, not as 5 s plus a polling delay. Immutable and thread-safe.
 */
final class IceTimeouts {

    /** What the silence of the peer means now. */
    enum Verdict {
        /** Nothing to report. */
        NONE,
        /** A consent response came back within the disconnected timeout: connected again. */
        RECOVERED,
        DISCONNECTED,
        FAILED
    }

    private final long periodMillis;
    private final long disconnectedMillis;
    private final long consentMillis;
    private final long connectMillis;

    IceTimeouts(IceOptions options) {
        this.disconnectedMillis = options.disconnectedTimeout().toMillis();
        this.consentMillis = options.consentTimeout().toMillis();
        this.connectMillis = options.connectTimeout().toMillis();
        // A twentieth of the shortest timeout, 20 to 250 ms: cheap on the one timer thread all agents
        // share, and an error of at most 5% (250 ms of the 5 s default).
        this.periodMillis = Math.max(20, Math.min(250, Math.min(disconnectedMillis, connectMillis) / 20));
    }

    /** How often the agent should look. */
    long periodMillis() {
        return periodMillis;
    }

    /**
     * @param ageMillis          time since the last sign of the peer on the pair in use (its last consent
     *                           response, or the moment the pair started carrying data)
     * @param disconnectedNow    whether the agent currently reports DISCONNECTED
     */
    Verdict consent(long ageMillis, boolean disconnectedNow) {
        if (ageMillis + periodMillis >= consentMillis) {
            return Verdict.FAILED;
        }
        if (ageMillis + periodMillis >= disconnectedMillis) {
            return Verdict.DISCONNECTED;
        }
        return disconnectedNow ? Verdict.RECOVERED : Verdict.NONE;
    }

    /**
     * The wall-clock time from which {@link #consent} says DISCONNECTED (or FAILED) if no consent response
     * newer than {@code lastConsentMillis} arrives; a look before it reports nothing new for a connected agent.
     */
    long disconnectedDueMillis(long lastConsentMillis) {
        return lastConsentMillis + Math.min(disconnectedMillis, consentMillis) - periodMillis;
    }

    /** Whether checks that have run {@code ranMillis} without a valid pair have run out of time. */
    boolean connectExpired(long ranMillis) {
        return ranMillis + periodMillis >= connectMillis;
    }
}
