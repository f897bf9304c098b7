package dev.purertc.interop;

import java.util.List;

/** Small reads of ICE candidate strings as browsers report them ({@code candidate:...}, RFC 8839 §5.1). */
final class Candidates {
    private Candidates() {
    }

    /** The connection-address field (the fifth) of {@code candidate:<foundation> <component> <transport> <priority> <address> <port> typ ...}. */
    static String address(String candidate) {
        String[] f = candidate.split(" ");
        if (f.length < 8 || !f[0].startsWith("candidate:") || !f[6].equals("typ")) {
            throw new IllegalArgumentException("not an ICE candidate attribute value: " + candidate);
        }
        return f[4];
    }

    /** True for the loopback addresses the tests allow: 127.0.0.1 and ::1. */
    static boolean isLoopback(String address) {
        return List.of("127.0.0.1", "::1").contains(address);
    }
}
