package dev.purertc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java program in the README, as a reader would copy it: taken from README.md, compiled against
 * PureRTC and run in its own JVM, in a network namespace of its own: it uses the default configuration,
 * which gathers on every interface but loopback.
 */
class ReadmeSnippetTest {

    private static final Path README = Path.of("..", "README.md");

    @Test
    void theReadmesProgramCompilesRunsAndPrintsTheEcho(@TempDir Path dir) throws Exception {
        LoopbackNamespace.requireLoopbackOnly();
        String source = javaBlockUnder("## Use it from Java");
        Matcher name = Pattern.compile("public class (\\w+)").matcher(source);
        assertTrue(name.find(), "no public class in the README's Java block");
        Path file = dir.resolve(name.group(1) + ".java");
        Files.writeString(file, source, StandardCharsets.UTF_8);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int compiled = javac.run(null, diagnostics, diagnostics, "-d", dir.toString(),
                "-cp", System.getProperty("java.class.path"), file.toString());
        assertEquals(0, compiled, diagnostics.toString(StandardCharsets.UTF_8));

        String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stdout = dir.resolve("stdout.txt");
        // The default configuration gathers no loopback candidate, as browsers do not: the program runs
        // in a fresh namespace of its own with a veth pair (both ends inside) holding a private address,
        // which nothing outside that namespace can reach.
        String command = "ip link set lo up && ip link add purertc0 type veth peer name purertc1"
                + " && ip addr add 10.213.0.1/24 dev purertc0 && ip link set purertc0 up && ip link set purertc1 up"
                + " && exec \"$0\" \"$@\"";
        Process run = new ProcessBuilder("unshare", "-n", "sh", "-c", command, javaCommand,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", dir + java.io.File.pathSeparator + System.getProperty("java.class.path"), name.group(1))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(stdout.toFile())
                .start();
        boolean ended = run.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            run.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        assertTrue(ended, "the README's program did not end within 90 s; it printed: " + out);
        assertEquals(0, run.exitValue(), out);
        assertEquals("echo: hello\n", out);
    }

    /** The first ```java block after {@code heading} in README.md. */
    private static String javaBlockUnder(String heading) throws IOException {
        List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
        int i = lines.indexOf(heading);
        assertTrue(i >= 0, "README.md has no heading " + heading);
        while (i < lines.size() && !lines.get(i).equals("```java")) {
            i++;
        }
        StringBuilder block = new StringBuilder();
        for (i++; i < lines.size() && !lines.get(i).equals("```"); i++) {
            block.append(lines.get(i)).append('\n');
        }
        assertTrue(block.length() > 0, "no ```java block under " + heading);
        return block.toString();
    }
}
