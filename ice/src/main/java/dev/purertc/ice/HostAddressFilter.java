package dev.purertc.ice;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which local interfaces and addresses become host candidates.
 *
 * <p>An address is used when its interface is up, the interface name is in {@code allowInterfaces}
 * (or that list is empty) and not in {@code denyInterfaces}, the address is in {@code allowAddresses}
 * (or that list is empty) and not in {@code denyAddresses}, its family is enabled, it is loopback only
 * as {@code loopback} says, and link-local only if {@code linkLocal} is on.
 *
 * @param allowInterfaces interface names to use; empty means every interface
 * @param denyInterfaces  interface names never to use
 * @param allowAddresses  addresses to use; empty means every address
 * @param denyAddresses   addresses never to use
 * @param loopback        whether loopback addresses (127.0.0.0/8, ::1) are excluded, included or the only
 *                        ones; ice4j's own harvester never gathers them
 * @param ipv4            gather IPv4 addresses
 * @param ipv6            gather IPv6 addresses
 * @param linkLocal       gather link-local addresses (169.254.0.0/16, fe80::/10)
 */
public record HostAddressFilter(List<String> allowInterfaces, List<String> denyInterfaces,
                                List<InetAddress> allowAddresses, List<InetAddress> denyAddresses,
                                Loopback loopback, boolean ipv4, boolean ipv6, boolean linkLocal) {

    /** How loopback addresses are treated. */
    public enum Loopback {
        /** Never gather loopback addresses (the usual choice facing the internet). */
        EXCLUDE,
        /** Gather loopback addresses along with the others. */
        INCLUDE,
        /** Gather loopback addresses only: tests and same-host peers. */
        ONLY
    }

    /** Every non-loopback address of every up interface, both families, no link-local. */
    public static final HostAddressFilter DEFAULT =
            new HostAddressFilter(List.of(), List.of(), List.of(), List.of(), Loopback.EXCLUDE, true, true, false);

    /** Loopback only (127.0.0.1 and ::1 when configured): for tests and same-host peers. */
    public static HostAddressFilter loopbackOnly() {
        return new HostAddressFilter(List.of(), List.of(), List.of(), List.of(), Loopback.ONLY, true, true, false);
    }

    /** Only 127.0.0.1. */
    public static HostAddressFilter ipv4LoopbackOnly() {
        return new HostAddressFilter(List.of(), List.of(), List.of(), List.of(), Loopback.ONLY, true, false, false);
    }

    public HostAddressFilter {
        allowInterfaces = List.copyOf(Objects.requireNonNull(allowInterfaces, "allowInterfaces"));
        denyInterfaces = List.copyOf(Objects.requireNonNull(denyInterfaces, "denyInterfaces"));
        allowAddresses = List.copyOf(Objects.requireNonNull(allowAddresses, "allowAddresses"));
        denyAddresses = List.copyOf(Objects.requireNonNull(denyAddresses, "denyAddresses"));
        Objects.requireNonNull(loopback, "loopback");
        if (!ipv4 && !ipv6) {
            throw new IllegalArgumentException("at least one of IPv4 and IPv6 must be enabled");
        }
    }

    /** Whether addresses of {@code nif} may be considered at all. */
    boolean acceptsInterface(NetworkInterface nif) {
        try {
            if (!nif.isUp()) {
                return false;
            }
            if (nif.isLoopback() ? loopback == Loopback.EXCLUDE : loopback == Loopback.ONLY) {
                return false;
            }
        } catch (java.net.SocketException e) {
            return false;
        }
        return acceptsInterfaceName(nif.getName());
    }

    boolean acceptsInterfaceName(String name) {
        if (!allowInterfaces.isEmpty() && !allowInterfaces.contains(name)) {
            return false;
        }
        return !denyInterfaces.contains(name);
    }

    /** Whether {@code address} may become a host candidate (its interface already accepted). */
    boolean acceptsAddress(InetAddress address) {
        if (address instanceof Inet4Address && !ipv4) {
            return false;
        }
        if (address instanceof Inet6Address && !ipv6) {
            return false;
        }
        if (address.isLoopbackAddress() ? loopback == Loopback.EXCLUDE : loopback == Loopback.ONLY) {
            return false;
        }
        if (address.isLinkLocalAddress() && !linkLocal) {
            return false;
        }
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        if (!allowAddresses.isEmpty() && !containsIgnoringScope(allowAddresses, address)) {
            return false;
        }
        return !containsIgnoringScope(denyAddresses, address);
    }

    private static boolean containsIgnoringScope(List<InetAddress> list, InetAddress address) {
        for (InetAddress a : list) {
            if (java.util.Arrays.equals(a.getAddress(), address.getAddress())) {
                return true;
            }
        }
        return false;
    }

    /** Convenience for tests and callers that want exactly these addresses. */
    public static HostAddressFilter exactly(Set<InetAddress> addresses) {
        boolean anyLoopback = addresses.stream().anyMatch(InetAddress::isLoopbackAddress);
        boolean anyV4 = addresses.stream().anyMatch(a -> a instanceof Inet4Address);
        boolean anyV6 = addresses.stream().anyMatch(a -> a instanceof Inet6Address);
        boolean anyLinkLocal = addresses.stream().anyMatch(InetAddress::isLinkLocalAddress);
        return new HostAddressFilter(List.of(), List.of(), List.copyOf(addresses), List.of(),
                anyLoopback ? Loopback.INCLUDE : Loopback.EXCLUDE, anyV4 || !anyV6, anyV6, anyLinkLocal);
    }

    /**
     * The addresses this filter accepts on this machine now, loopback interfaces first: the addresses host
     * candidates get, and those a {@link dev.purertc.ice.mux.UdpMux} for this filter should bind.
     */
    public java.util.List<java.net.InetAddress> localAddresses() throws java.net.SocketException {
        return LoopbackCapableHostHarvester.selectAddresses(this);
    }
}
