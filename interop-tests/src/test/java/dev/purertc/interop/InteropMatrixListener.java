package dev.purertc.interop;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Collects the results of every test in an {@link InteropMatrix} class and, when the run ends,
 * prints them as one table ({@link MatrixTable}) to stdout and to the file named by the system
 * property {@code purertc.interop.matrixReport} (if set). Registered through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 */
public final class InteropMatrixListener implements TestExecutionListener {
    private final List<MatrixTable.Cell> cells = new ArrayList<>();
    private TestPlan plan;

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        cells.clear();
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier id, String reason) {
        // A skipped class (browser not installed) skips every test below it.
        record(id, MatrixTable.Outcome.SKIP);
        if (plan != null) {
            for (TestIdentifier d : plan.getDescendants(id)) {
                record(d, MatrixTable.Outcome.SKIP);
            }
        }
    }

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
        MatrixTable.Outcome outcome = switch (result.getStatus()) {
            case SUCCESSFUL -> MatrixTable.Outcome.PASS;
            case ABORTED -> MatrixTable.Outcome.SKIP;
            case FAILED -> MatrixTable.Outcome.FAIL;
        };
        if (outcome != MatrixTable.Outcome.PASS && id.isContainer() && plan != null) {
            // A failed @BeforeAll fails, and an assumption in it skips, every test of its class.
            for (TestIdentifier d : plan.getDescendants(id)) {
                record(d, outcome);
            }
        }
        record(id, outcome);
    }

    private void record(TestIdentifier id, MatrixTable.Outcome outcome) {
        if (!id.isTest()) {
            return;
        }
        Optional<TestSource> source = id.getSource();
        if (source.isEmpty() || !(source.get() instanceof MethodSource m)) {
            return;
        }
        InteropMatrix matrix;
        try {
            matrix = m.getJavaClass().getAnnotation(InteropMatrix.class);
        } catch (RuntimeException e) {
            return;
        }
        if (matrix == null) {
            return;
        }
        boolean invocation = plan != null && plan.getParent(id).map(p -> p.isContainer() && p.getSource().equals(id.getSource())).orElse(false);
        String direction = invocation ? id.getDisplayName().replaceFirst("^\\[\\d+\\]\\s*", "") : matrix.direction();
        cells.add(new MatrixTable.Cell(matrix.peer(), direction, m.getMethodName(), outcome));
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
        if (cells.isEmpty()) {
            return;
        }
        String table = MatrixTable.render(cells);
        System.out.print(table);
        String file = System.getProperty("purertc.interop.matrixReport");
        if (file != null) {
            try {
                Path p = Path.of(file);
                Files.createDirectories(p.toAbsolutePath().getParent());
                Files.writeString(p, table, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
