package dev.purertc.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A client behind a NAT router, and a server behind the same router, in network namespaces this test makes:
 *
 * <pre>
 *  client (the test JVM's own lo-only namespace)   router (ip netns)              server (ip netns)
 *  nat-c 198.18.0.2/24  ─── veth ───  nat-rc 198.18.0.1/24 | nat-rs 198.18.1.1/24 ─── veth ─── nat-s 198.18.1.2/24
 * </pre>
 *
 * The router forwards and masquerades everything it sends to the server's link (so the server sees every
 * client as 198.18.1.1 and has no route back to 198.18.0.0/24), and DNATs the "outside" address
 * {@link #OUTSIDE} to the server (a 1:1 NAT in front of the server). The client routes the server's subnet
 * and the outside address through the router; the router and the server have no other link and no default
 * route, so nothing can leave. Addresses are from 198.18.0.0/15 (RFC 2544 benchmarking), used only inside
 * these namespaces. {@link #close()} deletes the two named namespaces, which removes every link made here
 * (also the client's end of its veth pair), so the test JVM's namespace is lo-only again.
 *
 * <p>The client side is the test JVM's namespace (made fresh for the test JVM by netns-jdk/bin/java) so
 * the browser it launches keeps talking to the driver page server on 127.0.0.1. Needs root, {@code ip}
 * (iproute2) and {@code nft} (nftables).
 */
final class NatTopology implements AutoCloseable {

    static final String CLIENT = "198.18.0.2";
    static final String ROUTER_CLIENT_SIDE = "198.18.0.1";
    static final String ROUTER_SERVER_SIDE = "198.18.1.1";
    static final String SERVER = "198.18.1.2";
    static final String OUTSIDE = "198.18.2.10";

    private static final Path IP = Path.of("/usr/sbin/ip");

    final String router;
    final String server;
    private final Thread cleanupOnExit;
    private boolean closed;

    private NatTopology(String router, String server) {
        this.router = router;
        this.server = server;
        this.cleanupOnExit = new Thread(this::deleteNamespaces, "nat-topology-cleanup");
    }

    /** Skips (or under {@code CI=true} fails) where {@code ip} or {@code nft} is missing, naming it. */
    static void assumeInstalled() {
        NftRuleset.assumeInstalled();
        if (!Files.isExecutable(IP)) {
            String reason = "ip (Debian iproute2) is not installed: the NAT topology cannot be built";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(reason);
            }
            Assumptions.assumeTrue(false, reason);
        }
    }

    /** Builds the topology; the test JVM must be in a lo-only namespace (its own). */
    static NatTopology build() {
        LoopbackNamespace.requireLoopbackOnly();
        long pid = ProcessHandle.current().pid();
        NatTopology t = new NatTopology("purertc-" + pid + "-rtr", "purertc-" + pid + "-srv");
        Runtime.getRuntime().addShutdownHook(t.cleanupOnExit);
        try {
            t.create();
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    private void create() {
        ip("netns", "add", router);
        ip("netns", "add", server);
        for (String ns : List.of(router, server)) {
            inNamespace(ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
            inNamespace(ns, "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
            ip("-n", ns, "link", "set", "lo", "up");
        }
        ip("link", "add", "nat-c", "type", "veth", "peer", "name", "nat-rc", "netns", router);
        ip("-n", router, "link", "add", "nat-rs", "type", "veth", "peer", "name", "nat-s", "netns", server);
        run(List.of("sysctl", "-q", "-w", "net.ipv6.conf.nat-c.disable_ipv6=1"), null);
        ip("addr", "add", CLIENT + "/24", "dev", "nat-c");
        ip("link", "set", "nat-c", "up");
        ip("-n", router, "addr", "add", ROUTER_CLIENT_SIDE + "/24", "dev", "nat-rc");
        ip("-n", router, "addr", "add", ROUTER_SERVER_SIDE + "/24", "dev", "nat-rs");
        ip("-n", router, "link", "set", "nat-rc", "up");
        ip("-n", router, "link", "set", "nat-rs", "up");
        ip("-n", server, "addr", "add", SERVER + "/24", "dev", "nat-s");
        ip("-n", server, "link", "set", "nat-s", "up");
        ip("route", "add", "198.18.1.0/24", "via", ROUTER_CLIENT_SIDE);
        ip("route", "add", OUTSIDE + "/32", "via", ROUTER_CLIENT_SIDE);
        inNamespace(router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        run(List.of(IP.toString(), "netns", "exec", router, "nft", "-f", "-"),
                "table ip purertc_nat {\n"
                        + "  chain pre { type nat hook prerouting priority -100; ip daddr " + OUTSIDE
                        + " dnat to " + SERVER + "; }\n"
                        + "  chain post { type nat hook postrouting priority 100; oifname \"nat-rs\" masquerade; }\n"
                        + "}\n");
    }

    /**
     * Drops, and counts, every UDP datagram the client sends to the router (a network that blocks UDP) until
     * the returned handle is closed; {@link UdpBlock#dropped()} reads the count.
     */
    UdpBlock blockClientUdp() {
        run(List.of("nft", "-f", "-"), "table ip purertc_no_udp {\n"
                + "  chain out { type filter hook output priority 0; oifname \"nat-c\" meta l4proto udp counter drop; }\n"
                + "}\n");
        return new UdpBlock();
    }

    /** The client's UDP block; {@link #close()} lifts it. */
    static final class UdpBlock implements AutoCloseable {
        /** Datagrams dropped so far. */
        long dropped() {
            String listing = output(List.of("nft", "list", "table", "ip", "purertc_no_udp"));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(listing);
            if (!m.find()) {
                throw new IllegalStateException("no counter in " + listing);
            }
            return Long.parseLong(m.group(1));
        }

        @Override
        public void close() {
            run(List.of("nft", "delete", "table", "ip", "purertc_no_udp"), null);
        }
    }

    /** The command that runs {@code command} in the server namespace. */
    List<String> inServer(List<String> command) {
        List<String> full = new ArrayList<>(List.of(IP.toString(), "netns", "exec", server));
        full.addAll(command);
        return full;
    }

    private static void ip(String... args) {
        NetnsCommands.ip(args);
    }

    private static void inNamespace(String ns, String... command) {
        NetnsCommands.inNamespace(ns, command);
    }

    private static String output(List<String> command) {
        return NetnsCommands.run(command, null);
    }

    private static String run(List<String> command, String stdin) {
        return NetnsCommands.run(command, stdin);
    }

    private void deleteNamespaces() {
        NetnsCommands.deleteLinksAndNamespaces("NatTopology", List.of(), List.of(router, server));
    }

    /** Deletes both namespaces (and so every veth made here); the test JVM's namespace is lo-only again. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        NetnsCommands.deleteLinksAndNamespaces("NatTopology", List.of("nat-c"), List.of(router, server));
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
