package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The browser module's TypeScript declarations ({@code purertc-signaling.d.ts}), checked by tsc in
 * strict mode: a page written against them compiles, and misuses are refused with the errors a user
 * should see. TypeScript is pinned in {@code src/test/ts/package-lock.json} ({@code npm ci} there, which
 * {@code ./run-tests} does).
 */
class JsModuleTypesNodeTest {

    private static final Path DIR = Path.of("src", "test", "ts");
    private static final Path TSC = DIR.resolve("node_modules/typescript/bin/tsc");

    @Test
    void aPageWrittenAgainstTheDeclarationsCompiles() throws Exception {
        Result r = tsc("-p", "tsconfig.json");
        assertEquals("", r.output);
        assertEquals(0, r.exit);
    }

    @Test
    void misusesAreRefusedWithTheirErrors() throws Exception {
        Result r = tsc("--strict", "--noEmit", "--target", "ES2022", "--module", "ES2022", "--moduleResolution", "bundler",
                "--lib", "ES2022,DOM", "misuse.ts");
        assertEquals(List.of(
                "misuse.ts(6,49): error TS2345: Argument of type 'number' is not assignable to parameter of type 'string'.",
                "misuse.ts(7,9): error TS2322: Type 'number' is not assignable to type 'string'.",
                "misuse.ts(8,18): error TS2554: Expected 0 arguments, but got 1.",
                "misuse.ts(9,9): error TS2322: Type 'string[]' is not assignable to type 'number[]'.",
                "  Type 'string' is not assignable to type 'number'.",
                // a presence event names a user only once its type says it is a member event
                "misuse.ts(10,55): error TS2339: Property 'user' does not exist on type 'PresenceEvent'.",
                "  Property 'user' does not exist on type 'MembersEvent'."), r.output.lines().toList());
        assertEquals(2, r.exit);
    }

    private record Result(int exit, String output) {
    }

    private static Result tsc(String... args) throws Exception {
        String node = SignalingAdmissionTest.findOnPath("node");
        assumeTrue(node != null, "node is not installed");
        assumeTrue(Files.isRegularFile(TSC), "typescript is not installed (cd channel-api/src/test/ts && npm ci)");
        List<String> command = new ArrayList<>(List.of(node, TSC.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "tsc did not finish");
        return new Result(p.exitValue(), out);
    }
}
