package dev.purertc.channel.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RtcConfiguration;

/**
 * {@code BENCH e2e_setup_cold_ms}: what a Java process that answers one call pays on every start,
 * from before {@code new PeerConnectionFactory()} to the first channel open on both sides (the
 * factory, both connections with their certificates and ICE agents, offer/answer with trickle
 * ICE at Ta = 5 ms over 127.0.0.1, DTLS, SCTP and DCEP). Each repetition is a fresh JVM; its start
 * is not counted. The parent prints the minimum and median of {@value #REPETITIONS} JVMs, and beside
 * it, from the same JVMs, the second connection ({@code e2e_setup_second_ms}: the one-time costs
 * paid, the code still interpreted), and the first connection with the factory's background warm-up
 * turned off ({@code e2e_setup_cold_nowarmup_ms}), alternated with the default runs.
 *
 * <p>And the same first connection with the BouncyCastle jars' signatures stripped
 * ({@code e2e_setup_cold_unsigned_bc_ms}): Maven Central's BouncyCastle jars are signed, and the JDK
 * checks a signed jar when the first class is read from it (the signature block, then a digest of every
 * manifest section: bcprov's manifest alone is about 880 KB), on the thread that loads that class. Copies
 * without {@code META-INF/*.SF} and the signature blocks are written to a temporary directory and put on
 * the child's class path in place of the originals; the difference to {@code e2e_setup_cold_ms} is what
 * the signature checks cost the first connection.
 *
 * <p>And the first connection of a JVM started with an AppCDS archive that {@link
 * dev.purertc.channel.ColdStartTraining} wrote ({@code e2e_setup_cold_appcds_ms}), the recipe
 * {@code docs/deployment.md} gives: the class path's directories are packed into jars first (the JDK
 * archives only jar classes), and the signed BouncyCastle jars stay out of the archive; then the same with
 * BouncyCastle unsigned, archived too ({@code e2e_setup_cold_appcds_unsigned_bc_ms}). Each archive is made
 * once per run; the number of classes the first connection read from it is printed beside the figure.
 */
public final class E2eColdStartBench {
    private static final int REPETITIONS = 7;

    private E2eColdStartBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--child")) {
            child();
            return;
        }
        double[] first = new double[REPETITIONS];
        double[] construct = new double[REPETITIONS];
        double[] second = new double[REPETITIONS];
        double[] firstWithoutWarmUp = new double[REPETITIONS];
        double[] firstUnsigned = new double[REPETITIONS];
        double[] firstCds = new double[REPETITIONS];
        double[] firstCdsUnsigned = new double[REPETITIONS];
        String classPath = System.getProperty("java.class.path");
        Path unsignedDir = Files.createTempDirectory("purertc-unsigned-jars");
        Path cdsDir = Files.createTempDirectory("purertc-appcds");
        Path cdsUnsignedDir = Files.createTempDirectory("purertc-appcds-unsigned");
        long[] archived = new long[2];
        try {
            String unsignedClassPath = UnsignedJars.classPathWithUnsignedCopies(classPath, unsignedDir);
            String cdsClassPath = ClassDataSharing.classPathOfJars(classPath, cdsDir);
            String cdsUnsignedClassPath = ClassDataSharing.classPathOfJars(unsignedClassPath, cdsUnsignedDir);
            Path archive = cdsDir.resolve("purertc.jsa");
            Path archiveUnsigned = cdsUnsignedDir.resolve("purertc.jsa");
            ClassDataSharing.dump(JAVA, cdsClassPath, archive);
            ClassDataSharing.dump(JAVA, cdsUnsignedClassPath, archiveUnsigned);
            List<String> useArchive = List.of("-XX:SharedArchiveFile=" + archive);
            List<String> useArchiveUnsigned = List.of("-XX:SharedArchiveFile=" + archiveUnsigned);
            for (int i = 0; i < REPETITIONS; i++) {
                // Alternated, so all variants see the same machine load.
                double[] figures = childFigures(true, classPath, List.of());
                first[i] = figures[0];
                construct[i] = figures[1];
                second[i] = figures[2];
                firstWithoutWarmUp[i] = childFigures(false, classPath, List.of())[0];
                firstUnsigned[i] = childFigures(true, unsignedClassPath, List.of())[0];
                firstCds[i] = childFigures(true, cdsClassPath, useArchive)[0];
                firstCdsUnsigned[i] = childFigures(true, cdsUnsignedClassPath, useArchiveUnsigned)[0];
            }
            archived[0] = classesFromArchive(cdsClassPath, useArchive);
            archived[1] = classesFromArchive(cdsUnsignedClassPath, useArchiveUnsigned);
        } finally {
            for (Path dir : List.of(unsignedDir, cdsDir, cdsUnsignedDir)) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(dir);
            }
        }
        report("factory and both connections constructed (part of the first)", construct, null);
        report("first connection of a fresh JVM, factory included", first, "e2e_setup_cold_ms");
        report("reference: the same with the factory's background warm-up off", firstWithoutWarmUp,
                "e2e_setup_cold_nowarmup_ms");
        report("reference: second connection of the same JVMs", second, "e2e_setup_second_ms");
        report("reference: the first connection with BouncyCastle's jars unsigned (no signature check at first load)",
                firstUnsigned, "e2e_setup_cold_unsigned_bc_ms");
        report("with an AppCDS archive from ColdStartTraining, the jars as shipped (" + archived[0]
                + " classes of the first connection read from the archive; signed jars are never archived)",
                firstCds, "e2e_setup_cold_appcds_ms");
        report("with an AppCDS archive and BouncyCastle's jars unsigned (" + archived[1]
                + " classes read from the archive)", firstCdsUnsigned, "e2e_setup_cold_appcds_unsigned_bc_ms");
    }

    /** How many classes a child JVM's first connection reads from {@code jvmOptions}' archive. */
    private static long classesFromArchive(String classPath, List<String> jvmOptions) throws IOException, InterruptedException {
        Path log = Files.createTempFile("purertc-class-load", ".log");
        try {
            List<String> options = new ArrayList<>(jvmOptions);
            options.add("-Xlog:class+load=info:file=" + log);
            childFigures(true, classPath, options);
            try (var lines = Files.lines(log)) {
                return lines.filter(l -> l.contains("source: shared objects file (top)")).count();
            }
        } finally {
            Files.delete(log);
        }
    }

    private static void child() throws Exception {
        RtcConfiguration config = BenchPair.loopback().icePacing(Duration.ofMillis(5)).build();
        long start = System.nanoTime();
        try (PeerConnectionFactory factory = new PeerConnectionFactory()) {
            double constructed;
            try (BenchPair pair = new BenchPair(factory, config, null, null)) {
                constructed = (System.nanoTime() - start) / 1e6;
                pair.connect(Duration.ofSeconds(60));
            }
            double first = (System.nanoTime() - start) / 1e6;
            long secondStart = System.nanoTime();
            try (BenchPair pair = new BenchPair(factory, config, null, null)) {
                pair.connect(Duration.ofSeconds(60));
            }
            double second = (System.nanoTime() - secondStart) / 1e6;
            System.out.println(first + " " + constructed + " " + second);
        }
    }

    private static void report(String what, double[] values, String benchName) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        System.out.printf("# %s: min %.1f ms, median %.1f ms, max %.1f ms over %d JVMs%n",
                what, sorted[0], median, sorted[sorted.length - 1], sorted.length);
        if (benchName != null) {
            System.out.printf("BENCH %s %.1f ms%n", benchName, median);
        }
    }

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private static double[] childFigures(boolean warmUp, String classPath, List<String> jvmOptions)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Ddev.purertc.warmUp=" + warmUp,
                "-cp", classPath, E2eColdStartBench.class.getName(), "--child"));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            // The JVM's own warnings (unified logging, "[...]"), e.g. about an archive, go to stdout too.
            do {
                line = out.readLine();
                if (line != null && line.startsWith("[")) {
                    System.err.println("# child JVM: " + line);
                }
            } while (line != null && line.startsWith("["));
            out.transferTo(java.io.Writer.nullWriter());
        }
        int exit = process.waitFor();
        if (exit != 0 || line == null) {
            throw new IllegalStateException("child JVM exited " + exit + " with output " + line);
        }
        return Arrays.stream(line.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
    }
}
