package dev.purertc.signaling;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * What the nodes of a signaling cluster share: the directory of user ids (which node holds each, with a
 * hash of its resume secret), presence sessions, and a message channel per node plus one to all nodes.
 * {@link ClusterRouting} builds the relay on top of it; {@link RedisClusterBus} is the implementation
 * (Redis keys, Lua scripts and pub/sub). A server without {@link SignalingServerOptions#cluster()} has no
 * bus at all: its {@link UserRouter} alone is the in-process default.
 *
 * <p>Blocking methods wait at most {@link ClusterOptions#commandTimeout()} and throw
 * {@link ClusterUnavailableException} when the shared store does not answer; they are called on a
 * connection's event loop for registrations, presence and the first lookup of a user, never per relayed
 * message. Asynchronous methods never block.
 */
interface ClusterBus extends AutoCloseable {

    /** How a cluster-wide claim of a user id ended. */
    enum ClaimOutcome {
        /** The id was free: this node holds it now. */
        CLAIMED,
        /** The id was held or reserved for the same client (secret or token): it moved to this node. */
        RESUMED,
        /** A live node holds it for another client. */
        TAKEN,
        /** Reserved for its last client (it disconnected, or its node died, recently). */
        RESERVED
    }

    /**
     * The outcome; for {@code RESUMED} from a live node, that node (which must let go of the id); and
     * whether the presented secret matched (the client keeps it; otherwise the new one is stored).
     */
    record Claim(ClaimOutcome outcome, String previousNode, boolean keptSecret) {
    }

    /** A user's node and the connection id it holds there. */
    record Owner(String node, String connection) {
    }

    String nodeId();

    /**
     * Starts the node: checks that no live node has its id, announces it, and delivers what arrives for
     * this node to {@code direct} and what is sent to all nodes to {@code broadcast} (on the bus's own
     * thread, in the order sent by each sender). {@code connected} runs whenever the connection to the
     * shared store is (re)established: broadcasts sent meanwhile may have been missed. {@code lapsed}
     * runs when the node finds its lease had run out (a long pause, or the store unreachable for longer
     * than the lease) and it renewed it: the other nodes may have removed its presence entries meanwhile.
     *
     * @throws ClusterUnavailableException if the shared store cannot be reached, or the id is in use
     */
    void start(Consumer<String> direct, Consumer<String> broadcast, Runnable connected, Runnable lapsed);

    /**
     * Claims {@code user} for {@code connection} of this node. {@code presentedSecretHash} and
     * {@code tokenHash} (null when absent) identify the client; {@code newSecretHash} is stored for a free
     * id, a resumed id keeps the one it had. Blocking.
     */
    Claim claim(String user, String connection, String presentedSecretHash, String tokenHash, String newSecretHash);

    /**
     * After a lapse (see {@link #start}): records again that this node holds {@code user} on
     * {@code connection}, unless another node claimed it meanwhile (then false). Blocking.
     */
    boolean reassert(String user, String connection, String secretHash, String tokenHash);

    /** {@code user} left this node: reserved for its client for {@code reservationMillis} (0: freed). */
    void release(String user, long reservationMillis);

    /** Keeps the ids this node holds alive in the directory (called periodically). */
    void refresh(Collection<String> users);

    /** Who holds {@code user} now (a live node), or null. Blocking. */
    Owner owner(String user);

    /** {@link #owner} without blocking. */
    CompletionStage<Owner> ownerAsync(String user);

    /** Sends {@code payload} to {@code node}; completes with false when that node is not listening (gone). */
    CompletionStage<Boolean> send(String node, String payload);

    /** Sends {@code payload} to every node, this one included. */
    void broadcast(String payload);

    /**
     * Adds {@code user} of this node to {@code session}: 1 if it was not a member, 0 if it was (on this
     * or its previous node), -1 if the session has {@code maxMembers} members. Blocking.
     */
    int join(String session, String user, int maxMembers);

    /** Removes {@code user} of this node from {@code session}; false if it was not a member here. Blocking. */
    boolean leave(String session, String user);

    /** The members of {@code session}, in order of their ids. Blocking. */
    List<String> members(String session);

    /** Why the node cannot serve the cluster now (shared store lost), or null while it can. */
    String unhealthyReason();

    /** Leaves the cluster (the node's ids stay reserved for their clients) and releases every resource. */
    @Override
    void close();
}
