package dev.purertc.dtls.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import dev.purertc.dtls.DtlsCertificate;

/**
 * The first {@link DtlsCertificate#generate()} of a fresh JVM, which a process that answers one
 * call pays before its first offer. Each repetition starts a new JVM (its start is not counted: the
 * child times only the call) and prints one figure; the parent prints the minimum and median of
 * {@value #REPETITIONS}.
 *
 * <p>Beside it, from the same run: the same first call through BouncyCastle's certificate builder
 * (what {@code generate()} did before; the bcprov jar's first class costs most of it), and a warm
 * {@code generate()} (median of 200 after 200 warm-up calls in one JVM).
 * Prints {@code BENCH dtls_cert_generate_ms}, {@code BENCH dtls_cert_generate_bc_builder_ms} and
 * {@code BENCH dtls_cert_generate_warm_ms}.
 */
public final class DtlsCertGenerateBench {
    private static final int REPETITIONS = 7;
    private static final int WARM_CALLS = 200;

    private DtlsCertGenerateBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--first-generate")) {
            long start = System.nanoTime();
            DtlsCertificate.generate();
            System.out.println((System.nanoTime() - start) / 1e6);
            return;
        }
        if (args.length == 1 && args[0].equals("--first-bc-builder")) {
            long start = System.nanoTime();
            bouncyCastleBuilderCertificate();
            System.out.println((System.nanoTime() - start) / 1e6);
            return;
        }
        double[] generate = new double[REPETITIONS];
        double[] builder = new double[REPETITIONS];
        for (int i = 0; i < REPETITIONS; i++) { // interleaved, so load drifts hit both alike
            generate[i] = childMillis("--first-generate");
            builder[i] = childMillis("--first-bc-builder");
        }
        for (int i = 0; i < WARM_CALLS; i++) {
            DtlsCertificate.generate();
        }
        double[] warm = new double[WARM_CALLS];
        for (int i = 0; i < WARM_CALLS; i++) {
            long start = System.nanoTime();
            DtlsCertificate.generate();
            warm[i] = (System.nanoTime() - start) / 1e6;
        }
        report("dtls_cert_generate_ms", generate, "first call of a fresh JVM, " + REPETITIONS + " JVMs");
        report("dtls_cert_generate_bc_builder_ms", builder, "reference: BouncyCastle's builder, first call of a fresh JVM");
        report("dtls_cert_generate_warm_ms", warm, "reference: warm, " + WARM_CALLS + " calls after " + WARM_CALLS + " warm-up");
    }

    private static void report(String name, double[] values, String what) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        System.out.printf("# %s: min %.1f ms, median %.1f ms, max %.1f ms (%s)%n",
                name, sorted[0], median, sorted[sorted.length - 1], what);
        System.out.printf("BENCH %s %.1f ms%n", name, median);
    }

    private static double childMillis(String mode) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                DtlsCertGenerateBench.class.getName(), mode));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            line = out.readLine();
        }
        int exit = process.waitFor();
        if (exit != 0 || line == null) {
            throw new IllegalStateException("child JVM " + mode + " exited " + exit + " with output " + line);
        }
        return Double.parseDouble(line);
    }

    private static void bouncyCastleBuilderCertificate() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "PureRTC").build();
        Instant now = Instant.now();
        new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()), Date.from(now),
                Date.from(now.plusSeconds(86_400)), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                .getEncoded();
    }
}
