package dev.purertc.signaling;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link TokenValidator} grants a connection: the user ids it may register. Immutable.
 *
 * @param userIds the ids (none refuses the connection)
 */
public record TokenGrant(Set<String> userIds) {

    public TokenGrant {
        userIds = Set.copyOf(Objects.requireNonNull(userIds, "userIds"));
    }

    /** A grant of exactly these ids. */
    public static TokenGrant of(String... userIds) {
        return new TokenGrant(Set.copyOf(Arrays.asList(userIds)));
    }

    /** Refuses the connection (HTTP 401). */
    public static TokenGrant none() {
        return new TokenGrant(Set.of());
    }

    /** True when nothing is granted (the upgrade is refused). */
    public boolean isEmpty() {
        return userIds.isEmpty();
    }

    /** True when {@code userId} may be registered under this grant. */
    public boolean allows(String userId) {
        return userIds.contains(userId);
    }
}
