package dev.purertc.signaling;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Makes a {@link SignalingServer} one node of a cluster: several server processes share one user
 * namespace, presence sessions and relay through a Redis server (see {@code docs/deployment.md}).
 * Without it (the default) a server holds its users in memory and needs no Redis.
 *
 * @param redis {@code redis://host:port} (or {@code rediss://} for TLS, {@code redis://:password@host:port}
 *        with a password) of the Redis server every node of the cluster uses
 * @param nodeId this node's name, unique in the cluster: 1-32 characters of {@code [A-Za-z0-9._-]}. A node
 *        refuses to start while another live node has the same id
 * @param nodeLease how long the node counts as alive after its last heartbeat (refreshed every third of
 *        it); after a crash its users are unreachable and free to resume elsewhere at once, and its
 *        presence entries are removed after at most this long (default 3 s)
 * @param commandTimeout the bound of every Redis command the node waits for (registration, presence,
 *        the first lookup of a user); a command that takes longer fails with {@code cluster-unavailable}
 *        (default 2 s)
 */
public record ClusterOptions(URI redis, String nodeId, Duration nodeLease, Duration commandTimeout) {

    public ClusterOptions {
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(nodeLease, "nodeLease");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        if (!"redis".equals(redis.getScheme()) && !"rediss".equals(redis.getScheme())) {
            throw new IllegalArgumentException("the Redis URI must be redis://host:port or rediss://host:port, got "
                    + redis);
        }
        if (!nodeId.matches("[A-Za-z0-9._-]{1,32}")) {
            throw new IllegalArgumentException("a node id is 1-32 characters of [A-Za-z0-9._-], got " + nodeId);
        }
        if (nodeLease.toMillis() < 300 || commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("nodeLease must be at least 300 ms and commandTimeout positive");
        }
    }

    /** A node {@code nodeId} of the cluster sharing the Redis server at {@code redis}, other settings default. */
    public static ClusterOptions of(URI redis, String nodeId) {
        return new ClusterOptions(redis, nodeId, Duration.ofSeconds(3), Duration.ofSeconds(2));
    }
}
