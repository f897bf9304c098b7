package dev.purertc.ice;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import org.ice4j.StackProperties;
import org.ice4j.ice.Agent;
import org.ice4j.ice.AgentConfig;
import org.ice4j.ice.harvest.HarvestConfig;
import org.ice4j.ice.harvest.MappingCandidateHarvesters;
import org.jitsi.config.JitsiConfig;
import org.jitsi.metaconfig.MetaconfigSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place PureRTC touches ice4j's process-wide state.
 *
 * <ul>
 *   <li>ice4j reads configuration through jitsi-metaconfig from a Typesafe config. PureRTC installs its
 *       own config source in front of ice4j's {@code reference.conf} with the AWS harvester off, no STUN
 *       mapping servers and no static mappings, so constructing an agent never sends anything (ice4j's
 *       AWS harvester otherwise probes 169.254.169.254). If the application's own configuration still
 *       enables a mapping harvester, agent creation fails rather than phoning out.</li>
 *   <li>ice4j reads the consent freshness settings (RFC 7675) once, in the {@link Agent} constructor,
 *       through jitsi-metaconfig, whose value cache keeps the first value it read for the life of the
 *       process. Reading with the cache off goes through Kotlin reflection and Typesafe path parsing for
 *       every setting ice4j reads (5-20 ms per agent here), so: on first use PureRTC fills the cache with
 *       the consent settings of {@link IceOptions#defaults()}; agents with those settings are built with
 *       the cache on (well under a millisecond), agents with other settings one at a time under a lock
 *       with the cache off, so each agent still gets its own {@link IceOptions#consentInterval()}.</li>
 *   <li>ice4j and jitsi-utils log through java.util.logging. Their JUL loggers ({@code org.ice4j},
 *       {@code org.jitsi}) are detached from the root handlers and forwarded to SLF4J loggers of the same
 *       names, one level down: ice4j logs routine events at WARNING (a retransmission after close, a
 *       candidate it skips), so its WARNING becomes SLF4J INFO and its SEVERE becomes WARN.</li>
 *   <li>ice4j's three process-wide cached thread pools are bounded ({@link Ice4jThreadPools}).</li>
 * </ul>
 */
final class Ice4jRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(Ice4jRuntime.class);

    /** JUL keeps loggers weakly: hold them so the levels and handlers set here stay. */
    private static final List<java.util.logging.Logger> BRIDGED = new ArrayList<>();

    private static final Object CONSTRUCTION_LOCK = new Object();

    private static boolean initialised;

    /** ice4j's reference.conf plus any application.conf, parsed once (Typesafe re-reads it per load()). */
    private static Config baseConfig;

    /** The last config installed, reused while agents keep the same consent settings. */
    private static IceOptions lastOptions;
    private static Config lastConfig;

    /**
     * Consent settings whose ice4j values jitsi-metaconfig's cache holds (those of
     * {@link IceOptions#defaults()}), or {@code null} if the cache held other values before PureRTC
     * first ran: then every agent is built with the cache off.
     */
    private static IceOptions cachedConsent;

    private Ice4jRuntime() {
    }

    /** Builds an ice4j agent with {@code options}' consent settings and every global harvester off. */
    static Agent newAgent(IceOptions options) {
        synchronized (CONSTRUCTION_LOCK) {
            if (!initialised) {
                bridgeLogging("org.ice4j");
                bridgeLogging("org.jitsi");
                bridgeLogging("JitsiConfig");
                cachedConsent = fillCacheWithDefaults();
                requireMessageIntegrity();
                leaveConsentToPureRtc();
                Ice4jThreadPools.ensureApplied();
                initialised = true;
            }
            MetaconfigSettings.Companion.setCacheEnabled(true);
            // Read with the cache on: only consent settings differ between PureRTC's configurations.
            checkNoMappingHarvesters();
            if (cachedConsent != null && sameIce4jSettings(cachedConsent, options)) {
                // The cached consent values are this agent's: no need to read the configuration again.
                return construct();
            }
            MetaconfigSettings.Companion.setCacheEnabled(false);
            try {
                install(options);
                return construct();
            } finally {
                MetaconfigSettings.Companion.setCacheEnabled(true);
            }
        }
    }

    /**
     * RFC 8445 §7.3 and RFC 5389 §10.1.2: a connectivity check without MESSAGE-INTEGRITY is refused (401).
     * ice4j answers such a check with success by default and learns its sender as a peer-reflexive
     * candidate, so anyone who learnt a ufrag could point the agent at an address of their choosing.
     * ice4j reads this JVM-wide system property on every request; an explicit setting is left alone.
     */
    private static void requireMessageIntegrity() {
        if (System.getProperty(StackProperties.REQUIRE_MESSAGE_INTEGRITY) == null) {
            System.setProperty(StackProperties.REQUIRE_MESSAGE_INTEGRITY, "true");
        }
    }

    /**
     * RFC 7675 consent is {@link RoutedPairConsent}'s for every pair that carries data, so ice4j's own keep-alive
     * (a periodic task per agent on its timer, and a client transaction per check) would only double it. ice4j
     * reads this JVM-wide system property when an agent completes; an explicit setting is left alone.
     */
    private static void leaveConsentToPureRtc() {
        if (System.getProperty(StackProperties.NO_KEEP_ALIVES) == null) {
            System.setProperty(StackProperties.NO_KEEP_ALIVES, "true");
        }
    }

    /** Whether agents with {@code options} are built with jitsi-metaconfig's cache on (the fast way). */
    static boolean usesCachedSettings(IceOptions options) {
        synchronized (CONSTRUCTION_LOCK) {
            return cachedConsent != null && sameIce4jSettings(cachedConsent, options);
        }
    }

    /** Caller holds the lock. */
    private static void install(IceOptions options) {
        if (lastConfig == null || !sameIce4jSettings(lastOptions, options)) {
            lastConfig = config(options);
            lastOptions = options;
            JitsiConfig.Companion.useDebugNewConfig(new Ice4jConfigSource("purertc", lastConfig));
        }
    }

    /** Caller holds the lock. */
    private static Agent construct() {
        Agent agent = new Agent();
        if (MappingCandidateHarvesters.getHarvesters().length != 0) {
            agent.free();
            throw new IllegalStateException("ice4j mapping harvesters are configured outside PureRTC "
                    + "(application.conf or org.ice4j.* system properties); refusing to gather with them");
        }
        return agent;
    }

    /**
     * Installs the default configuration and reads ice4j's consent settings with the cache on, so the
     * cache holds the defaults. Returns the defaults, or {@code null} if the cache already held other
     * values (an ice4j agent built outside PureRTC first): the cache cannot be trusted then.
     * Caller holds the lock.
     */
    private static IceOptions fillCacheWithDefaults() {
        IceOptions defaults = IceOptions.defaults();
        install(defaults);
        MetaconfigSettings.Companion.setCacheEnabled(true);
        AgentConfig cached = AgentConfig.config;
        Config expected = lastConfig;
        boolean matches = cached.getConsentFreshnessInterval()
                        .equals(expected.getDuration("ice4j.consent-freshness.interval"))
                && cached.getConsentFreshnessOriginalWaitInterval()
                        .equals(expected.getDuration("ice4j.consent-freshness.original-wait-interval"))
                && cached.getConsentFreshnessMaxWaitInterval()
                        .equals(expected.getDuration("ice4j.consent-freshness.max-wait-interval"))
                && cached.getMaxConsentFreshnessRetransmissions()
                        == expected.getInt("ice4j.consent-freshness.max-retransmissions");
        if (!matches) {
            LOG.debug("ice4j's configuration cache was filled before PureRTC; every agent reads it uncached");
        }
        return matches ? defaults : null;
    }

    private static boolean sameIce4jSettings(IceOptions a, IceOptions b) {
        return a.consentInterval().equals(b.consentInterval()) && a.consentTimeout().equals(b.consentTimeout());
    }

    /** ice4j's configuration for one agent: PureRTC's settings over ice4j's reference.conf. */
    static Config config(IceOptions options) {
        Duration interval = options.consentInterval();
        // ice4j retransmits an unanswered consent request every wait interval (RFC 7675 §5.1 paces them
        // by the STUN RTO); PureRTC itself decides disconnected/failed from the time of the last response,
        // so ice4j only has to keep asking until the consent timeout has passed.
        long waitMillis = Math.min(500, Math.max(50, interval.toMillis() / 4));
        long retransmissions = Math.max(1, options.consentTimeout().toMillis() / waitMillis + 1);
        Map<String, Object> values = Map.of(
                "ice4j.harvest.mapping.aws.enabled", false,
                "ice4j.harvest.mapping.aws.force", false,
                "ice4j.harvest.mapping.stun.addresses", List.of(),
                "ice4j.harvest.mapping.static-mappings", List.of(),
                "ice4j.consent-freshness.interval", interval.toMillis() + " ms",
                "ice4j.consent-freshness.original-wait-interval", waitMillis + " ms",
                "ice4j.consent-freshness.max-wait-interval", waitMillis + " ms",
                "ice4j.consent-freshness.max-retransmissions", retransmissions,
                "ice4j.use-component-socket", false);
        Config overrides = ConfigFactory.empty();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            overrides = overrides.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
        }
        synchronized (CONSTRUCTION_LOCK) {
            if (baseConfig == null) {
                baseConfig = ConfigFactory.load();
            }
            return overrides.withFallback(baseConfig);
        }
    }

    private static void checkNoMappingHarvesters() {
        HarvestConfig config = HarvestConfig.config;
        if (config.enableAwsHarvester() || !config.stunMappingCandidateHarvesterAddresses().isEmpty()
                || !config.getStaticMappings().isEmpty()) {
            throw new IllegalStateException("ice4j mapping harvesters are enabled by configuration outside PureRTC");
        }
    }

    private static void bridgeLogging(String name) {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(name);
        Logger slf4j = LoggerFactory.getLogger(name);
        Level level = slf4j.isTraceEnabled() ? Level.FINEST
                : slf4j.isDebugEnabled() ? Level.INFO
                : slf4j.isInfoEnabled() ? Level.WARNING
                : slf4j.isWarnEnabled() ? Level.SEVERE
                : Level.OFF;
        jul.setLevel(level);
        jul.setUseParentHandlers(false);
        jul.addHandler(new Slf4jHandler());
        BRIDGED.add(jul);
        LOG.debug("java.util.logging '{}' forwarded to SLF4J at {}", name, level);
    }

    /** Forwards JUL records to the SLF4J logger of the same name. */
    private static final class Slf4jHandler extends Handler {
        @Override
        public void publish(LogRecord record) {
            if (record == null) {
                return;
            }
            Logger target = LoggerFactory.getLogger(record.getLoggerName() == null ? "org.ice4j"
                    : record.getLoggerName());
            String message = record.getMessage();
            if (record.getParameters() != null && message != null) {
                try {
                    message = java.text.MessageFormat.format(message, record.getParameters());
                } catch (IllegalArgumentException ignored) {
                    // keep the raw pattern
                }
            }
            int level = record.getLevel().intValue();
            Throwable thrown = record.getThrown();
            if (level >= Level.SEVERE.intValue()) {
                target.warn(message, thrown);
            } else if (level >= Level.WARNING.intValue()) {
                target.info(message, thrown);
            } else if (level >= Level.INFO.intValue()) {
                target.debug(message, thrown);
            } else {
                target.trace(message, thrown);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
