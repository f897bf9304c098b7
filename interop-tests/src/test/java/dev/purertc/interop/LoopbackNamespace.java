package dev.purertc.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The network rule every browser test lives by (browsers send DNS, mDNS and update traffic whatever flags
 * they get, so they must have no route out): browsers and
 * the Java side run in a network namespace that holds only {@code lo}. The surefire JVM gets there
 * through the {@code netns-java} wrapper; benchmark mains re-exec themselves through {@link #reexecArguments}.
 */
public final class LoopbackNamespace {
    private LoopbackNamespace() {
    }

    /** Names of the network interfaces this process sees, {@code lo} included. */
    public static List<String> interfaceNames() {
        try {
            List<String> names = new ArrayList<>();
            for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                names.add(n.getName());
            }
            Collections.sort(names);
            return names;
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True if {@code lo} is the only interface and it is up. */
    public static boolean isLoopbackOnly() {
        try {
            List<String> names = interfaceNames();
            NetworkInterface lo = NetworkInterface.getByName("lo");
            return names.equals(List.of("lo")) && lo != null && lo.isUp();
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Refuses to go on outside a lo-only namespace: starting a browser here would let it reach the
     * machine's other interfaces.
     *
     * @throws IllegalStateException naming the interfaces found
     */
    public static void requireLoopbackOnly() {
        if (!isLoopbackOnly()) {
            throw new IllegalStateException("refusing to start a browser: this process sees network interfaces "
                    + interfaceNames() + " (lo up and nothing else is required). Run through Maven, whose surefire "
                    + "jvm is interop-tests/netns-java, or under `unshare -n sh -c 'ip link set lo up && exec java ...'` as root.");
        }
    }

    /**
     * The command that runs {@code javaArgs} with the current JVM's binary inside a fresh lo-only
     * namespace: {@code unshare -n sh -c 'ip link set lo up && exec "$0" "$@"' JAVA ARGS...}.
     */
    public static List<String> reexecArguments(List<String> javaArgs) {
        String java = ProcessHandle.current().info().command()
                .orElseGet(() -> System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>(List.of("unshare", "-n", "sh", "-c", "ip link set lo up && exec \"$0\" \"$@\"", java));
        cmd.addAll(javaArgs);
        return cmd;
    }

    /**
     * Runs {@code mainClass} with {@code args} in a fresh lo-only namespace, output inherited, and
     * returns its exit code. Used by benchmark mains started outside one (the root {@code ./bench}).
     */
    public static int runInFreshNamespace(Class<?> mainClass, String... args) throws IOException, InterruptedException {
        List<String> javaArgs = new ArrayList<>();
        for (String p : List.of("org.slf4j.simpleLogger.defaultLogLevel", "purertc.interop.logDir")) {
            String v = System.getProperty(p);
            if (v != null) {
                javaArgs.add("-D" + p + "=" + v);
            }
        }
        javaArgs.add("-cp");
        javaArgs.add(System.getProperty("java.class.path"));
        javaArgs.add(mainClass.getName());
        javaArgs.addAll(List.of(args));
        Process p = new ProcessBuilder(reexecArguments(javaArgs)).inheritIO().start();
        return p.waitFor();
    }
}
