package dev.purertc.interop;

import static dev.purertc.interop.NetnsCommands.inNamespace;
import static dev.purertc.interop.NetnsCommands.ip;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * A server whose address changes under a live connection, in a network namespace this test makes:
 *
 * <pre>
 *  client (the test JVM's own lo-only namespace)              server (ip netns)
 *  mv-sig 198.18.4.1/24 ─── veth (signaling) ───  mv-sigs 198.18.4.2/24
 *  mv-c   198.18.5.1/24 ─── veth (media)     ───  mv-s    198.18.5.2/24, after {@link #moveServer()} 198.18.5.3/24
 * </pre>
 *
 * The signaling server listens on the client's end of the signaling link, so the server's signaling stays
 * up while its media address changes; the rooms gather host candidates on the media link only. IPv6 is off
 * on both links. Addresses are from 198.18.0.0/15 (RFC 2544 benchmarking), used only inside these
 * namespaces; the server namespace has no other link and no default route. {@link #close()} deletes the
 * namespace, which removes both veth pairs, so the test JVM's namespace is lo-only again. Needs root and
 * {@code ip} (iproute2).
 */
final class AddressChangeTopology implements AutoCloseable {

    static final String CLIENT_SIGNALING = "198.18.4.1";
    static final String SERVER_SIGNALING = "198.18.4.2";
    static final String CLIENT_MEDIA = "198.18.5.1";
    static final String SERVER_MEDIA = "198.18.5.2";
    static final String SERVER_MEDIA_MOVED = "198.18.5.3";
    static final String CLIENT_MEDIA_LINK = "mv-c";
    static final String SERVER_MEDIA_LINK = "mv-s";

    final String server;
    private final Thread cleanupOnExit;
    private boolean closed;

    private AddressChangeTopology(String server) {
        this.server = server;
        this.cleanupOnExit = new Thread(this::deleteNamespace, "address-change-topology-cleanup");
    }

    /** Skips (or under {@code CI=true} fails) where {@code ip} is missing, naming it. */
    static void assumeInstalled() {
        if (!Files.isExecutable(NetnsCommands.IP)) {
            String reason = "ip (Debian iproute2) is not installed: the address-change topology cannot be built";
            if ("true".equals(System.getenv("CI"))) {
                org.junit.jupiter.api.Assertions.fail(reason);
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(false, reason);
        }
    }

    /** Builds the topology; the test JVM must be in a lo-only namespace (its own). */
    static AddressChangeTopology build() {
        LoopbackNamespace.requireLoopbackOnly();
        AddressChangeTopology t = new AddressChangeTopology("purertc-" + ProcessHandle.current().pid() + "-mv");
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
        ip("netns", "add", server);
        inNamespace(server, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        inNamespace(server, "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
        ip("-n", server, "link", "set", "lo", "up");
        link("mv-sig", CLIENT_SIGNALING, "mv-sigs", SERVER_SIGNALING);
        link(CLIENT_MEDIA_LINK, CLIENT_MEDIA, SERVER_MEDIA_LINK, SERVER_MEDIA);
    }

    private void link(String clientEnd, String clientAddress, String serverEnd, String serverAddress) {
        ip("link", "add", clientEnd, "type", "veth", "peer", "name", serverEnd, "netns", server);
        NetnsCommands.run(List.of("sysctl", "-q", "-w", "net.ipv6.conf." + clientEnd + ".disable_ipv6=1"), null);
        ip("addr", "add", clientAddress + "/24", "dev", clientEnd);
        ip("link", "set", clientEnd, "up");
        ip("-n", server, "addr", "add", serverAddress + "/24", "dev", serverEnd);
        ip("-n", server, "link", "set", serverEnd, "up");
    }

    /**
     * Takes {@link #SERVER_MEDIA} off the server's media link and puts {@link #SERVER_MEDIA_MOVED} on it: the
     * old path is gone (nothing answers for the old address), the link stays up.
     */
    void moveServer() {
        ip("-n", server, "addr", "del", SERVER_MEDIA + "/24", "dev", SERVER_MEDIA_LINK);
        ip("-n", server, "addr", "add", SERVER_MEDIA_MOVED + "/24", "dev", SERVER_MEDIA_LINK);
    }

    /** The server namespace's IPv4 addresses on its media link, as {@code ip} lists them. */
    String serverMediaAddresses() {
        return ip("-n", server, "-4", "-o", "addr", "show", "dev", SERVER_MEDIA_LINK);
    }

    /** The command prefix that runs a command in the server namespace. */
    List<String> inServer() {
        return new ArrayList<>(List.of(NetnsCommands.IP.toString(), "netns", "exec", server));
    }

    private void deleteNamespace() {
        NetnsCommands.deleteLinksAndNamespaces("AddressChangeTopology", List.of(), List.of(server));
    }

    /** Deletes the namespace (and so both veth pairs); the test JVM's namespace is lo-only again. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        NetnsCommands.deleteLinksAndNamespaces("AddressChangeTopology", List.of("mv-sig", CLIENT_MEDIA_LINK),
                List.of(server));
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
