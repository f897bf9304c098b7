package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.purertc.channel.bench.ClassDataSharing;

/**
 * The AppCDS training run ({@link ColdStartTraining}) connects, moves its messages both ways and leaves
 * nothing running; its main exits 0 and says so in a fresh JVM; and the recipe of {@code docs/deployment.md}
 * works: the archive it writes is read by the next JVM.
 */
class ColdStartTrainingTest {

    @Test
    void theTrainingRunOpensAChannelAndEveryMessageArrivesIntact() throws Exception {
        ColdStartTraining.Result result = ColdStartTraining.run(Duration.ofSeconds(60));
        assertEquals(2, result.textsEchoed());
        assertEquals(2, result.binariesEchoed());
        assertTrue(result.openMillis() > 0 && result.openMillis() < 60_000, result.toString());
    }

    @Test
    void theMainRunsInAFreshJvmAndExitsZero() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                ColdStartTraining.class.getName()))
                .redirectErrorStream(true)
                .start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                output.append(line).append('\n');
            }
        }
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the training did not exit: " + output);
        assertEquals(0, process.exitValue(), output.toString());
        assertTrue(output.toString().contains("2 text and 2 binary messages arrived intact"), output.toString());
    }

    @Test
    void theArchiveTheTrainingWritesIsReadByTheNextJvm(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = ClassDataSharing.classPathOfJars(System.getProperty("java.class.path"), dir);
        Path archive = dir.resolve("purertc.jsa");
        ClassDataSharing.dump(java, classPath, archive);
        Path log = dir.resolve("class-load.log");
        Process process = new ProcessBuilder(List.of(java, "-XX:SharedArchiveFile=" + archive,
                "-Xlog:class+load=info:file=" + log, "-cp", classPath, ColdStartTraining.class.getName()))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the training did not exit: " + output);
        assertEquals(0, process.exitValue(), output);
        long fromArchive;
        long iceClassesFromArchive;
        try (var lines = Files.lines(log)) {
            List<String> archived = lines.filter(l -> l.contains("source: shared objects file (top)")).toList();
            fromArchive = archived.size();
            iceClassesFromArchive = archived.stream().filter(l -> l.contains(" org.ice4j.")).count();
        }
        // The second run read PureRTC's, ice4j's and the JDK's classes from the archive (about 1,600 here).
        assertTrue(fromArchive > 1_000, fromArchive + " classes from the archive");
        assertTrue(iceClassesFromArchive > 100, iceClassesFromArchive + " ice4j classes from the archive");
    }
}
