package dev.purertc.sdp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Character classes and bounded number parsing shared by the SDP and candidate codecs. Every
 * method reports bad input by returning a sentinel or throwing {@link IllegalArgumentException}
 * whose message is the reason; callers that parse text turn it into {@link SdpParseException}.
 */
final class SdpSyntax {
    private SdpSyntax() {
    }

    private static final boolean[] TOKEN_CHARS = new boolean[128];

    static {
        // RFC 8866 §9: token-char = %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E
        for (char c = 0; c < 128; c++) {
            TOKEN_CHARS[c] = c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2A || c == 0x2B || c == 0x2D
                    || c == 0x2E || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x5E && c <= 0x7E);
        }
    }

    static boolean isTokenChar(char c) {
        return c < 128 && TOKEN_CHARS[c];
    }

    static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    // RFC 8839 §5.1: ice-char = ALPHA / DIGIT / "+" / "/"
    static boolean isIceChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }

    static boolean isIceChars(String s, int min, int max) {
        if (s == null || s.length() < min || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isIceChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Printable ASCII other than space (RFC 5234 VCHAR). */
    static boolean isVisibleAscii(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** Non-empty text without space, CR, LF or NUL (RFC 8866 non-ws-string, extended to non-ASCII). */
    static boolean isNonWhitespace(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    static boolean isDigits(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses a run of ASCII digits with at most {@code maxDigits} digits into a value no larger than
     * {@code max}; no sign, no spaces.
     */
    static long parseDigits(String s, int maxDigits, long max, String what) {
        if (!isDigits(s)) {
            throw new IllegalArgumentException(what + " is not a decimal number: '" + clip(s) + "'");
        }
        if (s.length() > maxDigits) {
            throw new IllegalArgumentException(what + " has more than " + maxDigits + " digits: '" + clip(s) + "'");
        }
        long value = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = s.charAt(i) - '0';
            if (value > (max - d) / 10) {
                throw new IllegalArgumentException(what + " is larger than " + max + ": '" + clip(s) + "'");
            }
            value = value * 10 + d;
        }
        return value;
    }

    /** Splits on single spaces; an empty piece (leading, trailing or double space) is an error. */
    static List<String> splitSpaces(String s, String what) {
        int spaces = 0;
        for (int i = s.indexOf(' '); i >= 0; i = s.indexOf(' ', i + 1)) {
            spaces++;
        }
        String[] parts = new String[spaces + 1];
        int start = 0;
        int n = 0;
        for (int i = s.indexOf(' '); n <= spaces; i = s.indexOf(' ', start)) {
            int end = i < 0 ? s.length() : i;
            if (end == start) {
                throw new IllegalArgumentException(what + " has an empty field (leading, trailing or double space)");
            }
            parts[n++] = s.substring(start, end);
            start = end + 1;
        }
        return Arrays.asList(parts);
    }

    /** True for dotted-quad IPv4 text with each part 0-255 and no leading zeros beyond a single 0. */
    static boolean isIpv4(String s) {
        int parts = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i == s.length() ? '.' : s.charAt(i);
            if (c == '.') {
                if (digits == 0 || ++parts > 4) {
                    return false;
                }
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if ((digits == 1 && value == 0) || ++digits > 3) {
                    return false; // leading zero or more than three digits
                }
                value = value * 10 + (c - '0');
                if (value > 255) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return parts == 4;
    }

    /** True for IPv6 text (RFC 4291 §2.2 forms, including "::" compression and an IPv4 tail). */
    static boolean isIpv6(String s) {
        if (s.length() < 2 || s.length() > 45) {
            return false;
        }
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String head = doubleColon >= 0 ? s.substring(0, doubleColon) : s;
        String tail = doubleColon >= 0 ? s.substring(doubleColon + 2) : "";
        int groups = 0;
        List<String> pieces = new ArrayList<>();
        if (!head.isEmpty()) {
            pieces.addAll(List.of(head.split(":", -1)));
        }
        if (!tail.isEmpty()) {
            pieces.addAll(List.of(tail.split(":", -1)));
        }
        for (int i = 0; i < pieces.size(); i++) {
            String piece = pieces.get(i);
            boolean last = i == pieces.size() - 1;
            if (last && piece.indexOf('.') >= 0) {
                if (!isIpv4(piece)) {
                    return false;
                }
                groups += 2;
                continue;
            }
            if (piece.isEmpty() || piece.length() > 4) {
                return false;
            }
            for (int k = 0; k < piece.length(); k++) {
                if (!isAsciiHexDigit(piece.charAt(k))) {
                    return false;
                }
            }
            groups++;
        }
        return doubleColon >= 0 ? groups <= 7 : groups == 8;
    }

    static boolean isAsciiHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** True for a DNS name such as an mDNS {@code <uuid>.local}: dot-separated labels of letters, digits, '-' and '_'. */
    static boolean isHostName(String s) {
        if (s.isEmpty() || s.length() > 253) {
            return false;
        }
        int labelLength = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (labelLength == 0) {
                    return false;
                }
                labelLength = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                if (++labelLength > 63) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return true;
    }

    /** IPv4, IPv6 or a host name; never resolved. */
    static boolean isConnectionAddress(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        if (s.indexOf(':') >= 0) {
            return isIpv6(s);
        }
        if (isIpv4(s)) {
            return true;
        }
        // A name made only of digits and dots is a malformed IPv4 address, not a host name.
        boolean digitsAndDots = true;
        for (int i = 0; i < s.length() && digitsAndDots; i++) {
            char c = s.charAt(i);
            digitsAndDots = c == '.' || (c >= '0' && c <= '9');
        }
        return !digitsAndDots && isHostName(s);
    }

    /** Shortens text quoted in error messages so huge input does not make huge messages. */
    static String clip(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
