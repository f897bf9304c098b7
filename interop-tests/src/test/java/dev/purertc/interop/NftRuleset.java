package dev.purertc.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * One nftables table installed for the length of a test, inside the test JVM's own lo-only network
 * namespace (the netns-java wrapper puts the JVM and its browsers there), so it can touch nothing else;
 * {@link #close()} deletes the table. Needs root and Debian's {@code nftables} ({@code ./run-tests}
 * installs it).
 */
public final class NftRuleset implements AutoCloseable {

    private static final List<Path> NFT = List.of(Path.of("/usr/sbin/nft"), Path.of("/sbin/nft"), Path.of("/usr/bin/nft"));

    private final String family;
    private final String table;

    private NftRuleset(String family, String table) {
        this.family = family;
        this.table = table;
    }

    /**
     * Skips the test (with the reason) where {@code nft} is missing; under {@code CI=true} fails instead,
     * since CI installs it and a silent skip there would hide a broken set-up.
     */
    public static void assumeInstalled() {
        if (binary() != null) {
            return;
        }
        String reason = "nft (Debian nftables) is not installed: the test that drops UDP or DNATs an announced "
                + "address inside its namespace cannot run (./run-tests installs it)";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(reason);
        }
        Assumptions.assumeTrue(false, reason);
    }

    private static Path binary() {
        return NFT.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    /** Loads {@code ruleset} (nft syntax) that defines table {@code family table}. */
    public static NftRuleset apply(String family, String table, String ruleset) {
        LoopbackNamespace.requireLoopbackOnly();
        run(List.of("-f", "-"), "table " + family + " " + table + " {\n" + ruleset + "\n}\n");
        return new NftRuleset(family, table);
    }

    private static void run(List<String> args, String stdin) {
        Path nft = binary();
        if (nft == null) {
            throw new IllegalStateException("nft is not installed");
        }
        List<String> command = new java.util.ArrayList<>();
        command.add(nft.toString());
        command.addAll(args);
        try {
            NetnsCommands.run(command, stdin);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + (stdin == null ? "" : "\nruleset:\n" + stdin), e);
        }
    }

    /** Deletes the table. */
    @Override
    public void close() {
        run(List.of("delete", "table", family, table), null);
    }
}
