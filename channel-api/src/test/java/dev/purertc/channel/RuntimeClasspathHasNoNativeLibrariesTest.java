package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * PureRTC promises "no native binaries": every jar a user's application pulls in through
 * {@code channel-api} must be pure Java. The runtime class path is written by the
 * maven-dependency-plugin (see this module's pom), so a new dependency that smuggles in a
 * {@code .so}, {@code .dll}, {@code .dylib} or {@code .jnilib} fails the build here.
 */
class RuntimeClasspathHasNoNativeLibrariesTest {

    private static final List<String> NATIVE_SUFFIXES = List.of(".so", ".dll", ".dylib", ".jnilib");

    @Test
    void noJarOnTheRuntimeClassPathContainsANativeLibrary() throws IOException {
        List<Path> jars = runtimeJars();
        assertFalse(jars.isEmpty(), "the runtime class path of channel-api lists no jars");

        List<String> offenders = new ArrayList<>();
        for (Path jar : jars) {
            offenders.addAll(nativeEntries(jar));
        }
        assertEquals(List.of(), offenders, "native libraries on channel-api's runtime class path");
    }

    @Test
    void theCheckRecognisesANativeLibraryInsideAJar(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Path jar = dir.resolve("with-native.jar");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new ZipEntry("com/example/linux-x86-64/libexample.so"));
            out.write(new byte[] {0x7f, 'E', 'L', 'F'});
            out.closeEntry();
            out.putNextEntry(new ZipEntry("com/example/Example.class"));
            out.closeEntry();
        }
        assertEquals(List.of(jar.getFileName() + "!com/example/linux-x86-64/libexample.so"),
                nativeEntries(jar));
    }

    private static List<Path> runtimeJars() throws IOException {
        String file = System.getProperty("purertc.runtimeClasspathFile");
        if (file == null) {
            throw new IllegalStateException(
                    "purertc.runtimeClasspathFile is not set; run this test through Maven");
        }
        String classPath = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
        List<Path> jars = new ArrayList<>();
        for (String element : classPath.split(File.pathSeparator)) {
            if (element.endsWith(".jar")) {
                jars.add(Path.of(element));
            }
        }
        return jars;
    }

    private static List<String> nativeEntries(Path jar) throws IOException {
        List<String> found = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                String lower = name.toLowerCase(Locale.ROOT);
                if (NATIVE_SUFFIXES.stream().anyMatch(lower::endsWith)) {
                    found.add(jar.getFileName() + "!" + name);
                }
            }
        }
        return found;
    }
}
