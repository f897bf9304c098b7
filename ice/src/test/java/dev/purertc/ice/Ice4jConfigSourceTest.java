package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import kotlin.jvm.functions.Function1;
import kotlin.jvm.internal.Reflection;
import kotlin.reflect.KType;
import kotlin.reflect.KTypeProjection;
import org.ice4j.ice.AgentConfig;
import org.ice4j.ice.NominationStrategy;
import org.ice4j.ice.harvest.HarvestConfig;
import org.jitsi.metaconfig.ConfigException;
import org.junit.jupiter.api.Test;

class Ice4jConfigSourceTest {

    private static final Config CONFIG = ConfigFactory.parseMap(Map.of(
            "a.flag", true,
            "a.int", 42,
            "a.long", 5_000_000_000L,
            "a.double", 0.25,
            "a.string", "text",
            "a.duration", "1500 ms",
            "a.strings", List.of("x", "y"),
            "a.ints", List.of(3, 4),
            "a.strategy", "NOMINATE_HIGHEST_PRIO",
            "a.pattern", "ab+c"));

    private final Ice4jConfigSource source = new Ice4jConfigSource("test", CONFIG);

    @Test
    void kotlinReflectIsNotOnTheClassPath() {
        assertThrows(ClassNotFoundException.class,
                () -> Class.forName("kotlin.reflect.jvm.internal.ReflectionFactoryImpl"));
    }

    @Test
    void readsEachTypeIce4jAsksFor() {
        assertEquals(true, read(Reflection.typeOf(Boolean.class), "a.flag"));
        assertEquals(42, read(Reflection.typeOf(Integer.class), "a.int"));
        assertEquals(5_000_000_000L, read(Reflection.typeOf(Long.class), "a.long"));
        assertEquals(0.25, read(Reflection.typeOf(Double.class), "a.double"));
        assertEquals("text", read(Reflection.typeOf(String.class), "a.string"));
        assertEquals(Duration.ofMillis(1500), read(Reflection.typeOf(Duration.class), "a.duration"));
        assertEquals(List.of("x", "y"), read(listOf(String.class), "a.strings"));
        assertEquals(List.of(3, 4), read(listOf(Integer.class), "a.ints"));
        assertEquals(NominationStrategy.NOMINATE_HIGHEST_PRIO,
                read(Reflection.typeOf(NominationStrategy.class), "a.strategy"));
        assertEquals("ab+c", read(Reflection.typeOf(java.util.regex.Pattern.class), "a.pattern").toString());
    }

    @Test
    void aMissingKeyIsNotFoundAndAWrongValueIsWrongType() {
        Function1<String, Object> ints = source.getterFor(Reflection.typeOf(Integer.class));
        Exception missing = assertThrows(Exception.class, () -> ints.invoke("a.absent"));
        assertEquals(ConfigException.UnableToRetrieve.NotFound.class, missing.getClass());
        Exception wrong = assertThrows(Exception.class, () -> ints.invoke("a.string"));
        assertEquals(ConfigException.UnableToRetrieve.WrongType.class, wrong.getClass());
        Function1<String, Object> strategy = source.getterFor(Reflection.typeOf(NominationStrategy.class));
        Exception notAConstant = assertThrows(Exception.class, () -> strategy.invoke("a.string"));
        assertEquals(ConfigException.UnableToRetrieve.WrongType.class, notAConstant.getClass());
    }

    @Test
    void aTypeIce4jNeverReadsIsRefused() {
        Exception e = assertThrows(Exception.class, () -> source.getterFor(Reflection.typeOf(java.net.InetAddress.class)));
        assertEquals(ConfigException.UnsupportedType.class, e.getClass());
    }

    /** ice4j itself, through jitsi-metaconfig, reads PureRTC's settings through this source. */
    @Test
    void ice4jReadsPureRtcsSettingsThroughIt() {
        IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, new IceAgentListener() { }).close();
        assertEquals(IceOptions.defaults().consentInterval(), AgentConfig.config.getConsentFreshnessInterval());
        assertEquals(false, HarvestConfig.config.getEnableAwsHarvester());
        assertEquals(List.of(), HarvestConfig.config.getStunMappingCandidateHarvesterAddresses());
        assertEquals(java.util.Set.of(), HarvestConfig.config.getStaticMappings());
    }

    private Object read(KType type, String path) {
        return source.getterFor(type).invoke(path);
    }

    private static KType listOf(Class<?> element) {
        return Reflection.typeOf(List.class, KTypeProjection.Companion.invariant(Reflection.typeOf(element)));
    }
}
