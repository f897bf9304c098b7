package dev.purertc.ice;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import dev.purertc.sdp.CandidateType;
import dev.purertc.sdp.IceCandidate;

/**
 * Public addresses announced for local host addresses behind a 1:1 NAT (a cloud VM whose public IP is
 * DNAT'ed to its private one), as pion's {@code NAT1To1IPs} and ice4j's static mappings do. The peer
 * learns the announced address in the host candidate and sends its checks there; the NAT delivers them to
 * the real socket, where ICE answers as for the real candidate (checks are matched by the local socket,
 * never by the address the peer wrote), so nothing else changes.
 *
 * <p>Entries: {@code PUBLIC} maps every local host address of the same family to {@code PUBLIC} (at most one
 * such entry per family); {@code PUBLIC/LOCAL} maps the one local address {@code LOCAL}, and wins over a
 * {@code PUBLIC} entry. Both must be IP literals of one family: a name would need a resolver, and resolving
 * happens outside ICE. A host candidate whose address no entry maps is announced as it is.
 *
 * <p>{@link Mode#REPLACE}: a mapped host candidate is announced with the public address only (the private
 * one means nothing outside). {@link Mode#ADD}: the real candidate and, beside it, one with the public
 * address (for peers on both sides of the NAT); the added one has its own foundation and a local
 * preference one below the real one (RFC 8445 §5.1.1.3 and §5.1.2.1: distinct candidates of one type differ
 * in both).
 *
 * <p>Immutable and thread-safe.
 */
public final class AnnouncedAddresses {

    /** What becomes of a host candidate whose address is mapped. */
    public enum Mode {
        /** The public address instead of the local one. */
        REPLACE,
        /** The local address and, beside it, the public one. */
        ADD
    }

    /**
     * One entry.
     *
     * @param publicAddress the address the peer is told
     * @param localAddress  the local host address it stands for, or {@code null} for every local address of
     *                      its family
     */
    public record Mapping(InetAddress publicAddress, InetAddress localAddress) {
        public Mapping {
            Objects.requireNonNull(publicAddress, "publicAddress");
        }
    }

    /** No announced address: host candidates are announced as they are. */
    public static final AnnouncedAddresses NONE = new AnnouncedAddresses(Mode.REPLACE, List.of());

    private final Mode mode;
    private final List<Mapping> mappings;

    private AnnouncedAddresses(Mode mode, List<Mapping> mappings) {
        this.mode = mode;
        this.mappings = List.copyOf(mappings);
    }

    /**
     * Parses {@code entries} ({@code PUBLIC} or {@code PUBLIC/LOCAL}, IPv4 or IPv6 literals).
     *
     * @throws AnnouncedAddressException naming the first entry that is not an IP literal (or pair of them),
     *                                   mixes families, or maps a local address (or a family) twice
     */
    public static AnnouncedAddresses parse(Mode mode, List<String> entries) {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(entries, "entries");
        List<Mapping> parsed = new ArrayList<>();
        for (String entry : entries) {
            if (entry == null) {
                throw new AnnouncedAddressException("null", "an entry is null");
            }
            Mapping m = parseEntry(entry);
            for (Mapping other : parsed) {
                boolean sameFamily = (other.publicAddress() instanceof Inet4Address)
                        == (m.publicAddress() instanceof Inet4Address);
                if (m.localAddress() == null && other.localAddress() == null && sameFamily) {
                    throw new AnnouncedAddressException(entry, "a second address for every local "
                            + (m.publicAddress() instanceof Inet4Address ? "IPv4" : "IPv6")
                            + " address; name the local address (PUBLIC/LOCAL)");
                }
                if (m.localAddress() != null && m.localAddress().equals(other.localAddress())) {
                    throw new AnnouncedAddressException(entry, "local address "
                            + m.localAddress().getHostAddress() + " is mapped twice");
                }
            }
            parsed.add(m);
        }
        return new AnnouncedAddresses(mode, parsed);
    }

    /** {@link #parse(Mode, List)} of the given entries. */
    public static AnnouncedAddresses of(Mode mode, String... entries) {
        return parse(mode, Arrays.asList(entries));
    }

    private static Mapping parseEntry(String entry) {
        String text = entry.strip();
        int slash = text.indexOf('/');
        String publicText = slash < 0 ? text : text.substring(0, slash);
        String localText = slash < 0 ? null : text.substring(slash + 1);
        InetAddress publicAddress = literal(entry, publicText, "public");
        if (localText == null) {
            return new Mapping(publicAddress, null);
        }
        InetAddress localAddress = literal(entry, localText, "local");
        if ((publicAddress instanceof Inet4Address) != (localAddress instanceof Inet4Address)) {
            throw new AnnouncedAddressException(entry, "public and local address are of different families");
        }
        return new Mapping(publicAddress, localAddress);
    }

    private static InetAddress literal(String entry, String text, String which) {
        if (text.isEmpty()) {
            throw new AnnouncedAddressException(entry, "the " + which + " address is empty");
        }
        InetAddress address = IpLiteral.parse(text);
        if (address == null) {
            throw new AnnouncedAddressException(entry, "the " + which + " address '" + text
                    + "' is not an IPv4 or IPv6 literal (names are not resolved)");
        }
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            throw new AnnouncedAddressException(entry, "the " + which + " address " + text
                    + " is a wildcard or multicast address");
        }
        return address;
    }

    public Mode mode() {
        return mode;
    }

    public List<Mapping> mappings() {
        return mappings;
    }

    public boolean isEmpty() {
        return mappings.isEmpty();
    }

    /** The public address announced for {@code local}, or {@code null} if no entry maps it. */
    public InetAddress announcedFor(InetAddress local) {
        Mapping familyWide = null;
        for (Mapping m : mappings) {
            if (m.localAddress() != null) {
                if (Arrays.equals(m.localAddress().getAddress(), local.getAddress())) {
                    return m.publicAddress();
                }
            } else if ((m.publicAddress() instanceof Inet4Address) == (local instanceof Inet4Address)) {
                familyWide = m;
            }
        }
        return familyWide == null ? null : familyWide.publicAddress();
    }

    /**
     * The candidate lines to announce for one local candidate line: the line itself unless it is a host
     * candidate whose address is mapped; then the public one ({@link Mode#REPLACE}) or both
     * ({@link Mode#ADD}).
     */
    public List<IceCandidate> announce(IceCandidate line) {
        if (mappings.isEmpty() || line.type() != CandidateType.HOST) {
            return List.of(line);
        }
        InetAddress local = IpLiteral.parse(line.address());
        InetAddress announced = local == null ? null : announcedFor(local);
        if (announced == null) {
            return List.of(line);
        }
        String address = IceAgent.sdpAddress(announced);
        if (mode == Mode.REPLACE) {
            return List.of(new IceCandidate(line.foundation(), line.component(), line.transport(), line.priority(),
                    address, line.port(), line.type(), line.relatedAddress(), line.relatedPort(), line.tcpType(),
                    line.extensions()));
        }
        // RFC 8445 §5.1.2.1: priority = 2^24 type + 2^8 local preference + (256 - component).
        long priority = (line.priority() & 0xFFFF00L) == 0 ? line.priority() : line.priority() - 256;
        IceCandidate added = new IceCandidate(line.foundation() + "a", line.component(), line.transport(), priority,
                address, line.port(), line.type(), line.relatedAddress(), line.relatedPort(), line.tcpType(),
                line.extensions());
        return List.of(line, added);
    }

    @Override
    public String toString() {
        return "AnnouncedAddresses[" + mode + " " + mappings + "]";
    }
}
