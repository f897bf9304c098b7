package dev.purertc.ice;

/**
 * An announced-address entry ({@link AnnouncedAddresses}) that cannot be used: not an IP literal, two
 * entries for the same local address, a public and a local address of different families, and so on.
 * {@link #entry()} names the entry as it was given.
 */
public final class AnnouncedAddressException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String entry;

    AnnouncedAddressException(String entry, String reason) {
        super("announced address '" + entry + "': " + reason);
        this.entry = entry;
    }

    /** The entry as it was given, e.g. {@code 203.0.113.7/10.0.0.5}. */
    public String entry() {
        return entry;
    }
}
