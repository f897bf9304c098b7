package dev.purertc.interop;

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

    /**
     * True for the loopback addresses the tests allow: 127.0.0.0/8 (all of it is on {@code lo}: a test may
     * announce 127.0.0.3 and DNAT it inside its namespace) and ::1.
     */
    static boolean isLoopback(String address) {
        return address.equals("::1") || IPV4_LOOPBACK.matcher(address).matches();
    }

    private static final java.util.regex.Pattern IPV4_LOOPBACK =
            java.util.regex.Pattern.compile("127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){2}");
}
