import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Ends a test run with what did not run: every skipped test with its reason, and every test class
 * that ran no test at all, read from the surefire reports under each module's target folder.
 *
 * <p>Run by {@code ./run-tests} after {@code mvn verify}: {@code java tools/SkipSummary.java [root]}.
 * Exit status 1 under {@code CI=true} when a test was skipped because a peer it needs (a browser,
 * coturn, node, werift's or graphscript's npm packages) is not installed, or when a class ran no
 * test: CI installs every peer, so such a skip means the run tested less than it claims.
 */
public class SkipSummary {

    private static final Pattern SUITE = Pattern.compile("<testsuite [^>]*?name=\"([^\"]+)\"[^>]*?tests=\"(\\d+)\"");
    private static final Pattern CASE = Pattern.compile(
            "<testcase name=\"([^\"]*)\" classname=\"([^\"]*)\"[^>]*?>\\s*<skipped(?: message=\"([^\"]*)\")?");
    /** How every missing-peer skip of this project words its reason. */
    private static final Pattern MISSING_PEER = Pattern.compile("not installed", Pattern.CASE_INSENSITIVE);

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        List<Path> reports = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root, 4)) {
            files.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")
                            && p.getParent().getFileName().toString().endsWith("-reports"))
                    .sorted()
                    .forEach(reports::add);
        }
        List<String> skipped = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        int missingPeers = 0;
        for (Path report : reports) {
            String xml = Files.readString(report);
            Matcher suite = SUITE.matcher(xml);
            if (suite.find() && suite.group(2).equals("0")) {
                empty.add(suite.group(1));
            }
            Matcher c = CASE.matcher(xml);
            while (c.find()) {
                String reason = c.group(3) == null ? "(no reason given)" : unescape(c.group(3));
                skipped.add(c.group(2) + "." + c.group(1) + ": " + reason);
                if (MISSING_PEER.matcher(reason).find()) {
                    missingPeers++;
                }
            }
        }
        boolean ci = "true".equals(System.getenv("CI"));
        System.out.println();
        System.out.println("==== skip summary: " + reports.size() + " test classes, " + skipped.size()
                + " skipped tests, " + empty.size() + " classes that ran no test ====");
        skipped.forEach(s -> System.out.println("SKIPPED " + s));
        empty.forEach(s -> System.out.println("NO TESTS RAN " + s));
        if (reports.isEmpty()) {
            System.out.println("no surefire reports under " + root.toAbsolutePath() + ": did the build run?");
        }
        if (ci && (missingPeers > 0 || !empty.isEmpty())) {
            System.out.println("CI=true: " + missingPeers + " tests skipped for a missing peer and " + empty.size()
                    + " classes ran no test; CI installs every peer, so this run is a failure");
            System.exit(1);
        }
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&#10;", " ").replace("&amp;", "&");
    }
}
