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
        String classPath = System.getProperty("java.class.path");
        Path unsignedDir = Files.createTempDirectory("purertc-unsigned-jars");
        try {
            String unsignedClassPath = UnsignedJars.classPathWithUnsignedCopies(classPath, unsignedDir);
            for (int i = 0; i < REPETITIONS; i++) {
                // Alternated, so all variants see the same machine load.
                double[] figures = childFigures(true, classPath);
                first[i] = figures[0];
                construct[i] = figures[1];
                second[i] = figures[2];
                firstWithoutWarmUp[i] = childFigures(false, classPath)[0];
                firstUnsigned[i] = childFigures(true, unsignedClassPath)[0];
            }
        } finally {
            try (var files = Files.list(unsignedDir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(unsignedDir);
        }
        report("factory and both connections constructed (part of the first)", construct, null);
        report("first connection of a fresh JVM, factory included", first, "e2e_setup_cold_ms");
        report("reference: the same with the factory's background warm-up off", firstWithoutWarmUp,
                "e2e_setup_cold_nowarmup_ms");
        report("reference: second connection of the same JVMs", second, "e2e_setup_second_ms");
        report("reference: the first connection with BouncyCastle's jars unsigned (no signature check at first load)",
                firstUnsigned, "e2e_setup_cold_unsigned_bc_ms");
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

    private static double[] childFigures(boolean warmUp, String classPath) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Ddev.purertc.warmUp=" + warmUp,
                "-cp", classPath, E2eColdStartBench.class.getName(), "--child"));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            line = out.readLine();
        }
        int exit = process.waitFor();
        if (exit != 0 || line == null) {
            throw new IllegalStateException("child JVM exited " + exit + " with output " + line);
        }
        return Arrays.stream(line.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
    }
}
