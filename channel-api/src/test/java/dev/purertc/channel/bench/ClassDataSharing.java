package dev.purertc.channel.bench;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import dev.purertc.channel.ColdStartTraining;

/**
 * An AppCDS archive for {@link E2eColdStartBench}, made as {@code docs/deployment.md} tells a deployment to:
 * the JDK archives classes only from jars, so every class directory of the class path (Maven's
 * {@code target/classes}) is first packed into a jar of its own; then one JVM runs
 * {@link ColdStartTraining} with {@code -XX:ArchiveClassesAtExit}.
 */
public final class ClassDataSharing {

    private ClassDataSharing() {
    }

    /** {@code classPath} with every directory replaced by a jar of its files, written to {@code directory}. */
    public static String classPathOfJars(String classPath, Path directory) throws IOException {
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : classPath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                Path jar = directory.resolve("classes-" + (n++) + ".jar");
                pack(path, jar);
                entries.add(jar.toString());
            } else {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /**
     * Runs the training in a fresh JVM on {@code classPath}, which writes the archive {@code archive}.
     *
     * @throws IllegalStateException if the training fails or writes no archive
     */
    public static void dump(String javaCommand, String classPath, Path archive) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(javaCommand, "-XX:ArchiveClassesAtExit=" + archive,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classPath, ColdStartTraining.class.getName())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit != 0 || !Files.isRegularFile(archive)) {
            throw new IllegalStateException("the training run exited " + exit + " without writing " + archive + ": " + output);
        }
    }

    private static void pack(Path directory, Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
             Stream<Path> files = Files.walk(directory)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                String name = directory.relativize(f).toString().replace(File.separatorChar, '/');
                if (name.equalsIgnoreCase("META-INF/MANIFEST.MF")) {
                    continue;
                }
                out.putNextEntry(new JarEntry(name));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }
}
