package dev.purertc.ice;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import kotlin.jvm.JvmClassMappingKt;
import kotlin.jvm.functions.Function1;
import kotlin.reflect.KClass;
import kotlin.reflect.KClassifier;
import kotlin.reflect.KType;
import kotlin.reflect.KTypeProjection;
import org.jitsi.metaconfig.ConfigException.UnableToRetrieve;
import org.jitsi.metaconfig.ConfigException.UnsupportedType;
import org.jitsi.metaconfig.ConfigSource;

/**
 * ice4j's configuration values, read from a Typesafe {@link Config} for jitsi-metaconfig.
 *
 * <p>jicoco's own {@code TypesafeConfigSource} asks every requested type whether it is a subtype of
 * {@code Enum} through {@code kotlin.reflect.full}, which needs kotlin-reflect: loading it is about
 * a thousand classes and a quarter of a second of a JVM's first connection. This source tells the
 * types apart by their Java class and type arguments only, which Kotlin's own light type references
 * answer, so kotlin-reflect is not needed on the classpath. It reads the same types the same way:
 * booleans, numbers, strings, durations, lists of strings, numbers or configs, config objects,
 * regular expressions and enums by constant name.
 */
final class Ice4jConfigSource implements ConfigSource {

    private final String name;
    private final Config config;

    Ice4jConfigSource(String name, Config config) {
        this.name = name;
        this.config = config;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getDescription() {
        return "PureRTC's configuration for ice4j";
    }

    @Override
    public Function1<String, Object> getterFor(KType type) {
        Class<?> raw = javaClass(type.getClassifier());
        if (raw == null) {
            throw rethrow(new UnsupportedType("type " + type + " has no class"));
        }
        if (raw == Boolean.class) {
            return wrap(config::getBoolean);
        }
        if (raw == Integer.class) {
            return wrap(config::getInt);
        }
        if (raw == Long.class) {
            return wrap(config::getLong);
        }
        if (raw == Double.class) {
            return wrap(config::getDouble);
        }
        if (raw == String.class) {
            return wrap(config::getString);
        }
        if (raw == Duration.class) {
            return wrap(config::getDuration);
        }
        if (raw == ConfigObject.class) {
            return wrap(config::getObject);
        }
        if (raw == Pattern.class) {
            return wrap(path -> Pattern.compile(config.getString(path)));
        }
        if (raw.isEnum()) {
            return wrap(path -> enumConstant(raw, config.getString(path)));
        }
        if (raw == List.class) {
            Class<?> element = elementClass(type);
            if (element == String.class) {
                return wrap(config::getStringList);
            }
            if (element == Integer.class) {
                return wrap(config::getIntList);
            }
            if (element == Config.class) {
                return wrap(config::getConfigList);
            }
        }
        throw rethrow(new UnsupportedType("type " + type + " is not one ice4j reads"));
    }

    private static Class<?> javaClass(KClassifier classifier) {
        return classifier instanceof KClass<?> k ? JvmClassMappingKt.getJavaObjectType(k) : null;
    }

    private static Class<?> elementClass(KType type) {
        List<KTypeProjection> arguments = type.getArguments();
        if (arguments.size() != 1 || arguments.get(0).getType() == null) {
            return null;
        }
        return javaClass(arguments.get(0).getType().getClassifier());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumConstant(Class<?> enumClass, String constant) {
        try {
            return Enum.valueOf((Class) enumClass, constant);
        } catch (IllegalArgumentException e) {
            throw rethrow(new UnableToRetrieve.WrongType("'" + constant + "' is not a constant of " + enumClass.getName()));
        }
    }

    private Function1<String, Object> wrap(Function<String, Object> read) {
        return path -> {
            try {
                return read.apply(path);
            } catch (ConfigException.Missing e) {
                throw rethrow(new UnableToRetrieve.NotFound("key '" + path + "' not found in source '" + name + "'"));
            } catch (ConfigException.WrongType e) {
                throw rethrow(new UnableToRetrieve.WrongType("key '" + path + "' in source '" + name + "': " + e.getMessage()));
            } catch (ConfigException e) {
                throw rethrow(new UnableToRetrieve.NotFound(e.getMessage()));
            }
        };
    }

    /**
     * jitsi-metaconfig is Kotlin: its exceptions are checked to javac but undeclared in its interfaces,
     * and it catches them by type. Thrown unchecked here so it sees exactly the exception it expects.
     */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException rethrow(Throwable t) throws T {
        throw (T) t;
    }
}
