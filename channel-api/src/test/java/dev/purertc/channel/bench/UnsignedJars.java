package dev.purertc.channel.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Copies of signed jars without their signatures, for {@link E2eColdStartBench}'s reference figure: the
 * signature files ({@code META-INF/*.SF}, {@code *.RSA}, {@code *.DSA}, {@code *.EC}) are left out and the
 * manifest keeps only its main section (the per-entry digest sections exist only for the signature).
 * What a deployment gets from BouncyCastle repackaged without signatures (a shaded jar that filters them).
 */
final class UnsignedJars {

    private UnsignedJars() {
    }

    /** {@code classPath} with every signed jar replaced by an unsigned copy written to {@code directory}. */
    static String classPathWithUnsignedCopies(String classPath, Path directory) throws IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(path) && isSigned(path)) {
                Path copy = directory.resolve(path.getFileName());
                writeUnsignedCopy(path, copy);
                entries.add(copy.toString());
            } else {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    static boolean isSigned(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            return file.stream().anyMatch(e -> isSignatureFile(e.getName()));
        }
    }

    private static boolean isSignatureFile(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.startsWith("META-INF/") && upper.indexOf('/', "META-INF/".length()) < 0
                && (upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA") || upper.endsWith(".EC"));
    }

    private static void writeUnsignedCopy(Path from, Path to) throws IOException {
        try (JarFile in = new JarFile(from.toFile(), false)) {
            Manifest manifest = new Manifest();
            Manifest original = in.getManifest();
            if (original != null) {
                manifest.getMainAttributes().putAll(original.getMainAttributes());
            } else {
                manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            }
            try (OutputStream file = Files.newOutputStream(to); JarOutputStream out = new JarOutputStream(file, manifest)) {
                Enumeration<JarEntry> entries = in.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    String name = entry.getName();
                    if (name.equalsIgnoreCase(JarFile.MANIFEST_NAME) || isSignatureFile(name)) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(name));
                    try (InputStream data = in.getInputStream(entry)) {
                        data.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
    }
}
