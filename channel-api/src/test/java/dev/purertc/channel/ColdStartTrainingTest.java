package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Test
    void theTrainingRunOpensAChannelAndEveryMessageArrivesIntact() throws Exception {
        ColdStartTraining.Result result = ColdStartTraining.run(Duration.ofSeconds(60));
        assertEquals(2, result.textsEchoed());
        assertEquals(2, result.binariesEchoed());
        assertTrue(result.openMillis() > 0 && result.openMillis() < 60_000, result.toString());
    }

    @Test
    void theMainRunsInAFreshJvmAndExitsZero() throws Exception {
        String output = runTraining(List.of("-cp", System.getProperty("java.class.path")));
        assertTrue(output.contains("2 text and 2 binary messages arrived intact"), output);
    }

    @Test
    void theArchiveTheTrainingWritesIsReadByTheNextJvm(@TempDir Path dir) throws Exception {
        String classPath = ClassDataSharing.classPathOfJars(System.getProperty("java.class.path"), dir);
        Path archive = dir.resolve("purertc.jsa");
        ClassDataSharing.dump(JAVA, classPath, archive);
        Path log = dir.resolve("class-load.log");
        runTraining(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info:file=" + log, "-cp", classPath));
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

    /** Runs the training's main in a fresh JVM with {@code jvmArgs}; asserts it exits 0 and returns its output. */
    private static String runTraining(List<String> jvmArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(jvmArgs);
        command.add(ColdStartTraining.class.getName());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the training did not exit: " + output);
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
