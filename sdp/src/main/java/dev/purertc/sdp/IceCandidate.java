package dev.purertc.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One ICE candidate, as carried in an {@code a=candidate:} SDP attribute or a trickled
 * {@code candidate:} string (RFC 8839 §5.1).
 *
 * <p>{@link #parse(String)} followed by {@link #toCandidateString()} reproduces browser candidate
 * strings byte for byte: the transport keeps its case ({@code udp} from Chromium, {@code UDP} from
 * Firefox) and extension pairs keep their order. Two things are normalized: the candidate type is
 * written in lower case, and {@code tcptype} is written directly after {@code typ}/{@code raddr}/{@code rport}
 * (where every known stack puts it).
 *
 * <p>The address is IPv4, IPv6 or a host name such as an mDNS {@code <uuid>.local}; names are never
 * resolved here. {@code extensions} excludes {@code tcptype}, which has its own component.
 *
 * <p>Instances are immutable and thread-safe. The canonical constructor validates every field and
 * throws {@link IllegalArgumentException} on bad values; {@link #parse(String)} throws only
 * {@link SdpParseException}.
 *
 * @param foundation 1 to 32 ice-chars
 * @param component component id, 1 to 256 (1 is RTP, the only one used with data channels)
 * @param transport transport token as written, usually {@code udp}/{@code UDP} or {@code tcp}
 * @param priority 1 to 2^32-1 (RFC 8445 §5.1.2)
 * @param address IPv4, IPv6 or host name
 * @param port 0 to 65535 (0 or 9 appear for TCP active candidates)
 * @param type the candidate type
 * @param relatedAddress {@code raddr}, if present
 * @param relatedPort {@code rport}, if present
 * @param tcpType {@code tcptype} value ({@code active}, {@code passive}, {@code so}), if present
 * @param extensions the remaining extension name/value pairs, in order
 */
public record IceCandidate(
        String foundation,
        int component,
        String transport,
        long priority,
        String address,
        int port,
        CandidateType type,
        Optional<String> relatedAddress,
        OptionalInt relatedPort,
        Optional<String> tcpType,
        List<Extension> extensions) {

    /** Largest candidate priority: the field is a 32-bit unsigned integer (RFC 8445 §5.1.2.1). */
    public static final long MAX_PRIORITY = 0xFFFF_FFFFL;

    private static final String CANDIDATE_PREFIX = "candidate:";
    private static final String ATTRIBUTE_PREFIX = "a=candidate:";

    /**
     * One candidate extension (RFC 8839 §5.1 {@code cand-extension}): a name token and a value.
     *
     * @param name extension name, e.g. {@code generation}, {@code ufrag}, {@code network-id}
     * @param value extension value, printable ASCII without spaces
     */
    public record Extension(String name, String value) {
        /** @throws IllegalArgumentException if name is not a token or value is not printable ASCII without spaces */
        public Extension {
            if (!SdpSyntax.isToken(name)) {
                throw new IllegalArgumentException("candidate extension name is not a token: '" + SdpSyntax.clip(name) + "'");
            }
            if (!SdpSyntax.isVisibleAscii(value)) {
                throw new IllegalArgumentException("candidate extension '" + name + "' has an empty or non-printable value");
            }
        }
    }

    /** Validates every field; see the class description. */
    public IceCandidate {
        if (!SdpSyntax.isIceChars(foundation, 1, 32)) {
            throw new IllegalArgumentException("foundation must be 1 to 32 ice-chars: '" + SdpSyntax.clip(foundation) + "'");
        }
        if (component < 1 || component > 256) {
            throw new IllegalArgumentException("component id must be 1 to 256: " + component);
        }
        if (!SdpSyntax.isToken(transport)) {
            throw new IllegalArgumentException("transport is not a token: '" + SdpSyntax.clip(transport) + "'");
        }
        if (priority < 1 || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority must be 1 to 2^32-1: " + priority);
        }
        if (!SdpSyntax.isConnectionAddress(address)) {
            throw new IllegalArgumentException("address is not IPv4, IPv6 or a host name: '" + SdpSyntax.clip(address) + "'");
        }
        checkPort(port, "port");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(relatedAddress, "relatedAddress");
        Objects.requireNonNull(relatedPort, "relatedPort");
        Objects.requireNonNull(tcpType, "tcpType");
        if (relatedAddress.isPresent() && !SdpSyntax.isConnectionAddress(relatedAddress.get())) {
            throw new IllegalArgumentException("raddr is not IPv4, IPv6 or a host name: '" + SdpSyntax.clip(relatedAddress.get()) + "'");
        }
        if (relatedPort.isPresent()) {
            checkPort(relatedPort.getAsInt(), "rport");
        }
        if (tcpType.isPresent()) {
            String t = tcpType.get().toLowerCase(Locale.ROOT);
            // RFC 6544 §4.5: tcp-type = "active" / "passive" / "so"
            if (!t.equals("active") && !t.equals("passive") && !t.equals("so")) {
                throw new IllegalArgumentException("tcptype must be active, passive or so: '" + SdpSyntax.clip(tcpType.get()) + "'");
            }
        }
        extensions = List.copyOf(extensions);
        for (Extension e : extensions) {
            if (e.name().equals("tcptype")) {
                throw new IllegalArgumentException("tcptype belongs in the tcpType component, not in extensions");
            }
        }
    }

    private static void checkPort(int port, String what) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(what + " must be 0 to 65535: " + port);
        }
    }

    /**
     * Parses a candidate in any of its three spellings: {@code a=candidate:...} (an SDP line),
     * {@code candidate:...} (the trickle form from {@code RTCIceCandidate.candidate}) or the bare
     * attribute value that follows {@code candidate:}.
     *
     * @throws SdpParseException (line number 1) for any malformed input, including unknown candidate types
     */
    public static IceCandidate parse(String line) throws SdpParseException {
        if (line == null) {
            throw new SdpParseException(1, "candidate is null");
        }
        String value = line;
        if (value.startsWith(ATTRIBUTE_PREFIX)) {
            value = value.substring(ATTRIBUTE_PREFIX.length());
        } else if (value.startsWith(CANDIDATE_PREFIX)) {
            value = value.substring(CANDIDATE_PREFIX.length());
        }
        try {
            return parseValue(value);
        } catch (IllegalArgumentException e) {
            throw new SdpParseException(1, e.getMessage());
        }
    }

    /**
     * True for the trickle messages that end the remote candidate list instead of carrying a
     * candidate (RFC 8840 §8.2, W3C webrtc-pc {@code addIceCandidate}): the empty string,
     * {@code end-of-candidates} and {@code a=end-of-candidates}. Null is not a marker.
     */
    public static boolean isEndOfCandidates(String line) {
        return line != null && (line.isEmpty() || line.equals("end-of-candidates") || line.equals("a=end-of-candidates"));
    }

    /** Parses the attribute value after {@code candidate:}; reports problems as IllegalArgumentException. */
    static IceCandidate parseValue(String value) {
        List<String> f = SdpSyntax.splitSpaces(value, "candidate");
        // RFC 8839 §5.1: foundation SP component-id SP transport SP priority SP
        //                connection-address SP port SP "typ" SP cand-type ...
        if (f.size() < 8) {
            throw new IllegalArgumentException("candidate has " + f.size() + " fields, needs at least 8");
        }
        String foundation = f.get(0);
        int component = (int) SdpSyntax.parseDigits(f.get(1), 3, 256, "component id");
        String transport = f.get(2);
        long priority = SdpSyntax.parseDigits(f.get(3), 10, MAX_PRIORITY, "priority");
        String address = f.get(4);
        int port = (int) SdpSyntax.parseDigits(f.get(5), 5, 65535, "port");
        if (!f.get(6).equalsIgnoreCase("typ")) {
            throw new IllegalArgumentException("expected 'typ' as the 7th candidate field, got '" + SdpSyntax.clip(f.get(6)) + "'");
        }
        CandidateType type = CandidateType.fromToken(f.get(7));
        int i = 8;
        Optional<String> raddr = Optional.empty();
        OptionalInt rport = OptionalInt.empty();
        Optional<String> tcpType = Optional.empty();
        if (i + 1 < f.size() && f.get(i).equals("raddr")) {
            raddr = Optional.of(f.get(i + 1));
            i += 2;
        }
        if (i + 1 < f.size() && f.get(i).equals("rport")) {
            rport = OptionalInt.of((int) SdpSyntax.parseDigits(f.get(i + 1), 5, 65535, "rport"));
            i += 2;
        }
        if ((f.size() - i) % 2 != 0) {
            throw new IllegalArgumentException("candidate extension '" + SdpSyntax.clip(f.get(f.size() - 1)) + "' has no value");
        }
        List<Extension> extensions = new ArrayList<>((f.size() - i) / 2);
        for (; i < f.size(); i += 2) {
            String name = f.get(i);
            String extValue = f.get(i + 1);
            if (name.equals("raddr") || name.equals("rport")) {
                throw new IllegalArgumentException("'" + name + "' must come right after the candidate type");
            }
            if (name.equals("tcptype")) {
                if (tcpType.isPresent()) {
                    throw new IllegalArgumentException("tcptype appears twice");
                }
                tcpType = Optional.of(extValue);
            } else {
                extensions.add(new Extension(name, extValue));
            }
        }
        return new IceCandidate(foundation, component, transport, priority, address, port, type, raddr, rport, tcpType, extensions);
    }

    /** The {@code candidate:...} form used in trickle signalling (no {@code a=} prefix, no line end). */
    public String toCandidateString() {
        StringBuilder sb = new StringBuilder(160).append(CANDIDATE_PREFIX);
        appendValue(sb);
        return sb.toString();
    }

    /** The SDP attribute ({@code a=candidate} with this candidate as value). */
    public Attribute toAttribute() {
        StringBuilder sb = new StringBuilder(160);
        appendValue(sb);
        return new Attribute("candidate", sb.toString());
    }

    private void appendValue(StringBuilder sb) {
        sb.append(foundation).append(' ').append(component).append(' ').append(transport).append(' ')
                .append(priority).append(' ').append(address).append(' ').append(port)
                .append(" typ ").append(type.token());
        relatedAddress.ifPresent(a -> sb.append(" raddr ").append(a));
        relatedPort.ifPresent(p -> sb.append(" rport ").append(p));
        tcpType.ifPresent(t -> sb.append(" tcptype ").append(t));
        for (Extension e : extensions) {
            sb.append(' ').append(e.name()).append(' ').append(e.value());
        }
    }

    /** The value of the first extension with this name ({@code generation}, {@code ufrag}, ...). */
    public Optional<String> extension(String name) {
        for (Extension e : extensions) {
            if (e.name().equals(name)) {
                return Optional.of(e.value());
            }
        }
        if (name.equals("tcptype")) {
            return tcpType;
        }
        return Optional.empty();
    }

    /** True when the address is an mDNS name ({@code <uuid>.local}) that must be resolved or learned as prflx. */
    public boolean isMdnsAddress() {
        return address.length() > 6 && address.regionMatches(true, address.length() - 6, ".local", 0, 6);
    }

    /** True when the transport is UDP (compared ignoring case). */
    public boolean isUdp() {
        return transport.equalsIgnoreCase("udp");
    }

    /**
     * Candidate priority formula of RFC 8445 §5.1.2.1:
     * {@code 2^24 * typePreference + 2^8 * localPreference + (256 - componentId)}.
     *
     * @param typePreference 0 to 126
     * @param localPreference 0 to 65535
     * @param componentId 1 to 256
     */
    public static long computePriority(int typePreference, int localPreference, int componentId) {
        if (typePreference < 0 || typePreference > 126) {
            throw new IllegalArgumentException("type preference must be 0 to 126: " + typePreference);
        }
        if (localPreference < 0 || localPreference > 65535) {
            throw new IllegalArgumentException("local preference must be 0 to 65535: " + localPreference);
        }
        if (componentId < 1 || componentId > 256) {
            throw new IllegalArgumentException("component id must be 1 to 256: " + componentId);
        }
        return ((long) typePreference << 24) + ((long) localPreference << 8) + (256 - componentId);
    }

    /**
     * Starts a builder for a local candidate. Defaults: component 1, transport {@code udp}, no
     * related address, no tcptype, no extensions. Foundation, priority, address, port and type are required.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A copy with one more extension pair appended. */
    public IceCandidate withExtension(String name, String value) {
        List<Extension> list = new ArrayList<>(extensions);
        list.add(new Extension(name, value));
        return new IceCandidate(foundation, component, transport, priority, address, port, type, relatedAddress, relatedPort, tcpType, list);
    }

    /** Mutable builder for {@link IceCandidate}; not thread-safe, use from one thread. */
    public static final class Builder {
        private String foundation;
        private int component = 1;
        private String transport = "udp";
        private long priority;
        private String address;
        private int port = -1;
        private CandidateType type;
        private String relatedAddress;
        private Integer relatedPort;
        private String tcpType;
        private final List<Extension> extensions = new ArrayList<>();

        private Builder() {
        }

        public Builder foundation(String foundation) {
            this.foundation = foundation;
            return this;
        }

        public Builder component(int component) {
            this.component = component;
            return this;
        }

        public Builder transport(String transport) {
            this.transport = transport;
            return this;
        }

        public Builder priority(long priority) {
            this.priority = priority;
            return this;
        }

        public Builder address(String address) {
            this.address = address;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder type(CandidateType type) {
            this.type = type;
            return this;
        }

        /** Sets {@code raddr} and {@code rport} together, as srflx/prflx/relay candidates carry them. */
        public Builder related(String address, int port) {
            this.relatedAddress = address;
            this.relatedPort = port;
            return this;
        }

        public Builder tcpType(String tcpType) {
            this.tcpType = tcpType;
            return this;
        }

        /** Appends an extension pair such as {@code generation 0}; order is kept. */
        public Builder extension(String name, String value) {
            extensions.add(new Extension(name, value));
            return this;
        }

        /** @throws IllegalArgumentException if a required field is missing or any field is invalid */
        public IceCandidate build() {
            if (foundation == null || address == null || type == null || port < 0) {
                throw new IllegalArgumentException("foundation, address, port and type are required");
            }
            return new IceCandidate(foundation, component, transport, priority, address, port, type,
                    Optional.ofNullable(relatedAddress),
                    relatedPort == null ? OptionalInt.empty() : OptionalInt.of(relatedPort),
                    Optional.ofNullable(tcpType), extensions);
        }
    }
}
