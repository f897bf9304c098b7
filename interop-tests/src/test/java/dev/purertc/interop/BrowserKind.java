package dev.purertc.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The peers the interop tests drive through the driver page protocol: the browsers, each a Debian
 * package (nothing downloads a browser), started headless on the driver page from a fresh profile,
 * and werift, which runs the same driver script in node.
 */
public enum BrowserKind {
    /** Debian {@code chromium}; its launcher script wraps {@code /usr/lib/chromium/chromium}. */
    CHROMIUM("chromium", "chromium", List.of("/usr/lib/chromium/chromium")),
    /** Debian {@code firefox-esr}. */
    FIREFOX("firefox", "firefox-esr", List.of("/usr/bin/firefox-esr", "/usr/lib/firefox-esr/firefox-esr")),
    /**
     * werift (npm, pure TypeScript WebRTC) in node: {@code werift-driver/driver.mjs} runs the same
     * driver script on werift's WebRTC polyfill. Needs Debian {@code nodejs} and {@code npm ci} in
     * {@code interop-tests/werift-driver} (see {@link #weriftDriverDir()}).
     */
    WERIFT("werift", "nodejs", List.of("/usr/bin/node", "/usr/local/bin/node"));

    private final String shortName;
    private final String debianPackage;
    private final List<String> binaries;

    BrowserKind(String shortName, String debianPackage, List<String> binaries) {
        this.shortName = shortName;
        this.debianPackage = debianPackage;
        this.binaries = binaries;
    }

    /** Lower-case name used in benchmark and log file names: {@code chromium}, {@code firefox}. */
    public String shortName() {
        return shortName;
    }

    /** The Debian package that provides the browser (for werift: node). */
    public String debianPackage() {
        return debianPackage;
    }

    /** What to run to install this peer. */
    public String installHint() {
        return this == WERIFT
                ? "apt-get install -y nodejs npm; (cd interop-tests/werift-driver && npm ci)"
                : "apt-get install -y " + debianPackage;
    }

    /** Browsers gather loopback candidates only while the page holds a media permission; werift always does. */
    public boolean needsMediaPermissionForLoopback() {
        return this != WERIFT;
    }

    /**
     * {@code interop-tests/werift-driver}: the system property {@code purertc.interop.weriftDriverDir}
     * if set, else found from where this class was loaded ({@code interop-tests/target/test-classes}),
     * so it works from Maven and from the root {@code ./bench} alike.
     */
    static Path weriftDriverDir() {
        String configured = System.getProperty("purertc.interop.weriftDriverDir");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        try {
            Path classes = Path.of(BrowserKind.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return classes.getParent().getParent().resolve("werift-driver");
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Path.of("werift-driver").toAbsolutePath();
        }
    }

    /**
     * The installed binary, if any: the system property {@code purertc.interop.<shortName>Binary}
     * if set (then only that path), else the Debian package's binary.
     */
    public Optional<Path> binary() {
        String override = System.getProperty("purertc.interop." + shortName + "Binary");
        for (String b : override != null ? List.of(override) : binaries) {
            Path p = Path.of(b);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                if (this == WERIFT && !Files.isRegularFile(weriftDriverDir().resolve("node_modules/werift/package.json"))) {
                    return Optional.empty();
                }
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** True if {@link #binary()} finds the browser. */
    public boolean isInstalled() {
        return binary().isPresent();
    }

    /**
     * Prepares {@code profileDir} (already created, empty) and returns the command that opens
     * {@code url} headless from it.
     */
    List<String> command(Path binary, Path profileDir, String url) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        switch (this) {
            case CHROMIUM -> {
                // docs/interop.md "Network rules": without the fake media UI/device flags (media permission)
                // Chromium gathers no loopback candidate at all.
                cmd.addAll(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--user-data-dir=" + profileDir, "--allow-loopback-in-peer-connection",
                        "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"));
            }
            case FIREFOX -> {
                writeFirefoxUserJs(profileDir);
                cmd.addAll(List.of("--headless", "--no-remote", "--profile", profileDir.toString()));
            }
            case WERIFT -> cmd.add(weriftDriverDir().resolve("driver.mjs").toString());
        }
        cmd.add(url);
        return cmd;
    }

    /** Extra environment for the browser process. */
    Map<String, String> environment() {
        return switch (this) {
            case CHROMIUM -> Map.of();
            // -Dpurertc.interop.weriftDebug=werift* turns on werift's own debug log (the debug package)
            case WERIFT -> System.getProperty("purertc.interop.weriftDebug") == null ? Map.of()
                    : Map.of("DEBUG", System.getProperty("purertc.interop.weriftDebug"));
            case FIREFOX -> Map.of("MOZ_DISABLE_NONLOCAL_CONNECTIONS", "1", "MOZ_CRASHREPORTER_DISABLE", "1",
                    "MOZ_HEADLESS", "1");
        };
    }

    private static void writeFirefoxUserJs(Path profileDir) {
        StringBuilder js = new StringBuilder();
        for (Map.Entry<String, Object> e : FirefoxPrefs.PREFS.entrySet()) {
            Object v = e.getValue();
            String value = v instanceof String s ? '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : String.valueOf(v);
            js.append("user_pref(\"").append(e.getKey()).append("\", ").append(value).append(");\n");
        }
        try {
            Files.writeString(profileDir.resolve("user.js"), js, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
