package dev.purertc.ice;

import java.util.Objects;

/**
 * ICE username fragment and password ({@code a=ice-ufrag}, {@code a=ice-pwd}).
 *
 * <p>RFC 8839 §5.4: the ufrag is at least 4 and the password at least 22 ice-chars
 * ({@code ALPHA / DIGIT / "+" / "/"}); both at most 256.
 */
public record IceCredentials(String ufrag, String password) {

    public IceCredentials {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(password, "password");
        check("ufrag", ufrag, 4);
        check("password", password, 22);
    }

    private static void check(String what, String value, int minLength) {
        if (value.length() < minLength || value.length() > 256) {
            throw new IllegalArgumentException("ICE " + what + " must have " + minLength + " to 256 characters, got "
                    + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean iceChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/';
            if (!iceChar) {
                throw new IllegalArgumentException("ICE " + what + " has a character outside ice-char at " + i);
            }
        }
    }

    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + ", password=<hidden>]";
    }
}
