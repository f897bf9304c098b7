package dev.purertc.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The surefire {@code jvm} wrapper {@code netns-jdk/bin/java}: this very test JVM must have been
 * started by it (only {@code lo}, up), and it must hand surefire-style arguments (an @argfile,
 * arguments with spaces and non-ASCII text) to the real java inside a fresh lo-only namespace, also
 * when JAVA_HOME points at the wrapper's own directory, as surefire sets it.
 */
class NetnsJavaWrapperTest {
    private static final Path WRAPPER = Path.of(System.getProperty("purertc.interop.netnsJava", "netns-jdk/bin/java"))
            .toAbsolutePath();

    @Test
    void testJvmRunsInAFreshNamespaceHoldingOnlyLoopback() {
        assertEquals(List.of("lo"), LoopbackNamespace.interfaceNames());
        assertTrue(LoopbackNamespace.isLoopbackOnly());
    }

    @Test
    void wrapperPassesArgfileAndArgumentsToTheRealJavaInALoopbackOnlyNamespace(@TempDir Path dir) throws Exception {
        Path argfile = dir.resolve("args.txt");
        Files.writeString(argfile, "-cp \"" + System.getProperty("java.class.path") + "\"\n"
                + NamespaceProbe.class.getName() + "\n\"two words\"\n", StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder(WRAPPER.toString(), "@" + argfile, "\u00e9t\u00e9 \u4e16", "");
        pb.environment().remove("PURERTC_NETNS_WRAPPED"); // set for this JVM by the wrapper that started it
        pb.environment().put("JAVA_HOME", WRAPPER.getParent().getParent().toString());
        Run r = run(pb);
        assertEquals(0, r.exit, r.output);
        assertEquals("lo\ntwo words\n\u00e9t\u00e9 \u4e16\n\n", r.output);
    }

    @Test
    void wrapperRefusesToCallItselfRecursively() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(WRAPPER.toString(), "-version");
        pb.environment().put("PURERTC_NETNS_WRAPPED", "1");
        Run r = run(pb);
        assertEquals(127, r.exit);
        assertEquals("netns-java: called recursively; set PURERTC_NETNS_JAVA to a real java binary\n", r.output);
    }

    private record Run(int exit, String output) {
    }

    private static Run run(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("wrapper did not exit within 60 s");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
