package dev.purertc.ice;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The candidate attribute of RFC 8839 §5.1, as much as the ice module needs to emit and accept it.
 * Kept package-private: the public form of a candidate is its line, and the {@code sdp} module owns the
 * full SDP model.
 *
 * <pre>candidate:foundation component transport priority address port typ type
 *     [raddr addr rport port] [tcptype type] *(name value)</pre>
 */
record CandidateLine(String foundation, int component, String transport, long priority, String address, int port,
                     String type, String relatedAddress, int relatedPort, Map<String, String> extensions) {

    CandidateLine {
        extensions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    /**
     * Parses {@code candidate:...} or {@code a=candidate:...}.
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    static CandidateLine parse(String line) {
        if (line == null) {
            throw new IllegalArgumentException("candidate line is null");
        }
        String s = line.strip();
        if (s.startsWith("a=")) {
            s = s.substring(2);
        }
        if (!s.startsWith("candidate:")) {
            throw new IllegalArgumentException("not a candidate line: " + line);
        }
        String[] f = s.substring("candidate:".length()).split(" +");
        if (f.length < 8) {
            throw new IllegalArgumentException("candidate line has " + f.length + " fields, needs 8: " + line);
        }
        if (!f[6].equals("typ")) {
            throw new IllegalArgumentException("candidate line misses 'typ' at field 7: " + line);
        }
        String foundation = f[0];
        if (foundation.isEmpty() || foundation.length() > 32) {
            throw new IllegalArgumentException("candidate foundation must be 1 to 32 characters: " + line);
        }
        int component = parseInt(f[1], "component", 1, 256, line);
        String transport = f[2].toLowerCase(Locale.ROOT);
        long priority = parseLong(f[3], "priority", 1, 0xFFFF_FFFFL, line);
        String address = f[4];
        int port = parseInt(f[5], "port", 0, 65535, line);
        String type = f[7].toLowerCase(Locale.ROOT);
        String relatedAddress = null;
        int relatedPort = -1;
        Map<String, String> extensions = new LinkedHashMap<>();
        int i = 8;
        while (i < f.length) {
            if (i + 1 >= f.length) {
                throw new IllegalArgumentException("candidate extension '" + f[i] + "' has no value: " + line);
            }
            String name = f[i];
            String value = f[i + 1];
            switch (name) {
                case "raddr" -> relatedAddress = value;
                case "rport" -> relatedPort = parseInt(value, "rport", 0, 65535, line);
                default -> extensions.put(name, value);
            }
            i += 2;
        }
        return new CandidateLine(foundation, component, transport, priority, address, port, type, relatedAddress,
                relatedPort, extensions);
    }

    /** The attribute value, starting {@code candidate:} (no {@code a=}). */
    String format() {
        List<String> parts = new ArrayList<>();
        parts.add("candidate:" + foundation);
        parts.add(Integer.toString(component));
        parts.add(transport);
        parts.add(Long.toString(priority));
        parts.add(address);
        parts.add(Integer.toString(port));
        parts.add("typ");
        parts.add(type);
        if (relatedAddress != null) {
            parts.add("raddr");
            parts.add(relatedAddress);
            parts.add("rport");
            parts.add(Integer.toString(relatedPort));
        }
        for (Map.Entry<String, String> e : extensions.entrySet()) {
            parts.add(e.getKey());
            parts.add(e.getValue());
        }
        return String.join(" ", parts);
    }

    /** An mDNS host name ({@code <uuid>.local}) as browsers send instead of host addresses. */
    boolean isMdns() {
        return address.toLowerCase(Locale.ROOT).endsWith(".local");
    }

    private static int parseInt(String text, String field, int min, int max, String line) {
        long v = parseLong(text, field, min, max, line);
        return (int) v;
    }

    private static long parseLong(String text, String field, long min, long max, String line) {
        long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("candidate " + field + " '" + text + "' is not a number: " + line, e);
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException("candidate " + field + " " + v + " out of range: " + line);
        }
        return v;
    }
}
