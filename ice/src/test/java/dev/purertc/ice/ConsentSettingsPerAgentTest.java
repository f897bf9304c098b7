package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;

import org.ice4j.ice.Agent;
import org.junit.jupiter.api.Test;

/**
 * ice4j copies its consent freshness settings (RFC 7675) into each agent's keep-alive runner when the
 * agent is built. PureRTC builds agents with the default settings from jitsi-metaconfig's cache (fast)
 * and agents with other settings with the cache off: whatever the order, each agent must end up with
 * its own settings. The values are read back from ice4j's runner.
 */
class ConsentSettingsPerAgentTest {

    /** What ice4j's keep-alive runner holds: interval, first and max wait, retransmissions. */
    record Ice4jConsent(long intervalMillis, int originalWaitMillis, int maxWaitMillis, int retransmissions) {
    }

    private static final IceOptions DEFAULTS = IceOptions.defaults();

    private static final IceOptions FAST = IceOptions.builder()
            .consentInterval(Duration.ofMillis(200))
            .disconnectedTimeout(Duration.ofMillis(1000))
            .consentTimeout(Duration.ofMillis(2000))
            .build();

    private static final IceOptions ONE_SECOND = IceOptions.builder()
            .consentInterval(Duration.ofSeconds(1))
            .disconnectedTimeout(Duration.ofSeconds(3))
            .consentTimeout(Duration.ofSeconds(4))
            .build();

    // Wait interval = interval / 4 bounded to 50..500 ms; retransmissions = timeout / wait + 1.
    private static final Ice4jConsent DEFAULT_VALUES = new Ice4jConsent(2000, 500, 500, 61);
    private static final Ice4jConsent FAST_VALUES = new Ice4jConsent(200, 50, 50, 41);
    private static final Ice4jConsent ONE_SECOND_VALUES = new Ice4jConsent(1000, 250, 250, 17);

    @Test
    void everyAgentGetsItsOwnConsentSettingsWhateverTheOrder() throws Exception {
        List<IceOptions> order = List.of(DEFAULTS, FAST, DEFAULTS, ONE_SECOND, FAST, DEFAULTS, ONE_SECOND, DEFAULTS);
        for (IceOptions options : order) {
            Ice4jConsent expected = options == DEFAULTS ? DEFAULT_VALUES
                    : options == FAST ? FAST_VALUES : ONE_SECOND_VALUES;
            try (IceAgent agent = IceAgent.create(options, IceRole.CONTROLLING, new IceAgentListener() { })) {
                assertEquals(expected, consentOf(agent.currentIce4jAgent()), "agent with " + options.consentInterval());
            }
        }
    }

    @Test
    void agentsOpenAtTheSameTimeKeepTheirOwnSettings() throws Exception {
        try (IceAgent fast = IceAgent.create(FAST, IceRole.CONTROLLING, new IceAgentListener() { });
             IceAgent standard = IceAgent.create(DEFAULTS, IceRole.CONTROLLED, new IceAgentListener() { });
             IceAgent oneSecond = IceAgent.create(ONE_SECOND, IceRole.CONTROLLED, new IceAgentListener() { })) {
            assertEquals(FAST_VALUES, consentOf(fast.currentIce4jAgent()));
            assertEquals(DEFAULT_VALUES, consentOf(standard.currentIce4jAgent()));
            assertEquals(ONE_SECOND_VALUES, consentOf(oneSecond.currentIce4jAgent()));
            // After a restart the new ice4j agent is built again with the agent's own settings.
            fast.restart();
            standard.restart();
            assertEquals(FAST_VALUES, consentOf(fast.currentIce4jAgent()));
            assertEquals(DEFAULT_VALUES, consentOf(standard.currentIce4jAgent()));
        }
    }

    @Test
    void defaultSettingsTakeTheCachedPathOthersDoNot() {
        IceAgent.create(DEFAULTS, IceRole.CONTROLLING, new IceAgentListener() { }).close();
        assertTrue(Ice4jRuntime.usesCachedSettings(DEFAULTS));
        // Only consent settings matter to ice4j's configuration: other options keep the fast path.
        assertTrue(Ice4jRuntime.usesCachedSettings(DEFAULTS.toBuilder()
                .hostAddresses(HostAddressFilter.ipv4LoopbackOnly()).pacing(Duration.ofMillis(5)).build()));
        assertFalse(Ice4jRuntime.usesCachedSettings(FAST));
        assertFalse(Ice4jRuntime.usesCachedSettings(DEFAULTS.toBuilder()
                .consentTimeout(Duration.ofSeconds(40)).build()));
    }

    private static Ice4jConsent consentOf(Agent agent) throws ReflectiveOperationException {
        Object runner = field(Agent.class, "stunKeepAliveRunner").get(agent);
        Class<?> type = runner.getClass();
        return new Ice4jConsent(field(type, "consentFreshnessInterval").getLong(runner),
                field(type, "originalConsentFreshnessWaitInterval").getInt(runner),
                field(type, "maxConsentFreshnessWaitInterval").getInt(runner),
                field(type, "consentFreshnessMaxRetransmissions").getInt(runner));
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
