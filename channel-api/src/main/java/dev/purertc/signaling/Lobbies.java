package dev.purertc.signaling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Presence: named sessions (lobbies) that registered users join and leave, so that users can pick whom
 * to call from a member list. Messages (each may carry an {@code id}, echoed in the reply):
 * <pre>
 * {"type":"join","session":"S"}     → {"type":"joined","session":"S","members":[...]}, and to every other
 *                                      member {"type":"member-joined","session":"S","user":"U"}
 * {"type":"leave","session":"S"}    → {"type":"left","session":"S"}, others get "member-left"
 * {"type":"members","session":"S"}  → {"type":"members","session":"S","members":[...]} (members only)
 * </pre>
 * A user who disconnects leaves every session (its id is then free or reserved, not present). Bounds,
 * since anyone registered can send these: {@value #MAX_SESSIONS_PER_USER} sessions per user,
 * {@value #MAX_MEMBERS} members per session, names of 1..{@value #MAX_NAME_LENGTH} printable characters.
 * Members are listed in order of their ids.
 *
 * <p>In a cluster the member lists live in the shared store ({@link ClusterBus#join}) and the events
 * go to every node, each delivering them to its own members; this class keeps the members of this node
 * (to deliver events to) either way. A member whose node dies is removed, with {@code member-left}, by
 * the first node that sees the dead node's lease expired; a member that resumes on another node and joins
 * again stays listed without a left/joined pair.
 */
final class Lobbies {

    static final int MAX_SESSIONS_PER_USER = 16;
    static final int MAX_MEMBERS = 1000;
    static final int MAX_NAME_LENGTH = 64;

    /** Session name → member user id → the member's connection. */
    private final Map<String, Map<String, SignalingConnection>> sessions = new ConcurrentHashMap<>();
    private final UserRouter router;

    Lobbies(UserRouter router) {
        this.router = router;
    }

    /** Handles join, leave and members; returns false for any other type. */
    boolean handle(SignalingConnection conn, String type, ObjectNode msg, JsonNode id) {
        if (!type.equals("join") && !type.equals("leave") && !type.equals("members")) {
            return false;
        }
        String user = conn.user();
        if (user == null) {
            router.sendError(conn, SignalingErrorCode.NOT_REGISTERED, "register before " + type, id, null);
            return true;
        }
        JsonNode s = msg.get("session");
        if (s == null || !s.isTextual() || s.asText().isEmpty() || s.asText().length() > MAX_NAME_LENGTH
                || !s.asText().chars().allMatch(c -> c >= 0x20 && c != 0x7f)) {
            router.sendError(conn, SignalingErrorCode.INVALID_MESSAGE, type + " needs a \"session\" of 1.."
                    + MAX_NAME_LENGTH + " printable characters", id, null);
            return true;
        }
        String session = s.asText();
        ClusterRouting cluster = router.cluster();
        if (cluster != null) {
            try {
                switch (type) {
                    case "join" -> joinClustered(cluster, conn, user, session, id);
                    case "leave" -> leaveClustered(cluster, conn, user, session, id);
                    default -> membersClustered(cluster, conn, user, session, id);
                }
            } catch (ClusterUnavailableException e) {
                router.sendError(conn, SignalingErrorCode.CLUSTER_UNAVAILABLE, type + " failed: " + e.getMessage(), id,
                        null);
            }
            return true;
        }
        switch (type) {
            case "join" -> join(conn, user, session, id);
            case "leave" -> leave(conn, user, session, id);
            default -> members(conn, user, session, id);
        }
        return true;
    }

    private void join(SignalingConnection conn, String user, String session, JsonNode id) {
        synchronized (this) {
            Map<String, SignalingConnection> members = sessions.get(session);
            if (members == null || !members.containsKey(user)) {
                if (conn.sessions.size() >= MAX_SESSIONS_PER_USER) {
                    router.sendError(conn, SignalingErrorCode.TOO_MANY_SESSIONS, "at most " + MAX_SESSIONS_PER_USER
                            + " sessions per user", id, null);
                    return;
                }
                if (members != null && members.size() >= MAX_MEMBERS) {
                    router.sendError(conn, SignalingErrorCode.SESSION_FULL, "session " + session + " has "
                            + MAX_MEMBERS + " members", id, null);
                    return;
                }
                sessions.computeIfAbsent(session, k -> new ConcurrentHashMap<>()).put(user, conn);
                conn.sessions.add(session);
                announce(session, user, "member-joined");
            }
        }
        ObjectNode ok = list("joined", session);
        reply(conn, ok, id);
    }

    private void leave(SignalingConnection conn, String user, String session, JsonNode id) {
        if (!remove(conn, user, session)) {
            router.sendError(conn, SignalingErrorCode.NOT_A_MEMBER, "not a member of session " + session, id, null);
            return;
        }
        ObjectNode ok = SignalingJson.object();
        ok.put("type", "left");
        ok.put("session", session);
        reply(conn, ok, id);
    }

    private void members(SignalingConnection conn, String user, String session, JsonNode id) {
        Map<String, SignalingConnection> members = sessions.get(session);
        if (members == null || !members.containsKey(user)) {
            router.sendError(conn, SignalingErrorCode.NOT_A_MEMBER, "not a member of session " + session, id, null);
            return;
        }
        reply(conn, list("members", session), id);
    }

    /** The connection closed: its user leaves every session it was in. */
    void onClose(SignalingConnection conn, String user) {
        if (user == null) {
            return;
        }
        ClusterRouting cluster = router.cluster();
        for (String session : new ArrayList<>(conn.sessions)) {
            if (cluster == null) {
                remove(conn, user, session);
            } else if (removeLocal(conn, user, session)) {
                try {
                    if (cluster.bus().leave(session, user)) {
                        cluster.announce(session, user, "member-left");
                    }
                } catch (ClusterUnavailableException e) {
                    // its node's entries are removed when the node's lease ends, or its next join overwrites them
                }
            }
        }
    }

    // ---- in a cluster ------------------------------------------------------------------------------

    private void joinClustered(ClusterRouting cluster, SignalingConnection conn, String user, String session,
                               JsonNode id) {
        Map<String, SignalingConnection> local = sessions.get(session);
        if (local == null || local.get(user) != conn) {
            if (conn.sessions.size() >= MAX_SESSIONS_PER_USER) {
                router.sendError(conn, SignalingErrorCode.TOO_MANY_SESSIONS, "at most " + MAX_SESSIONS_PER_USER
                        + " sessions per user", id, null);
                return;
            }
            int added = cluster.bus().join(session, user, MAX_MEMBERS);
            if (added < 0) {
                router.sendError(conn, SignalingErrorCode.SESSION_FULL, "session " + session + " has "
                        + MAX_MEMBERS + " members", id, null);
                return;
            }
            synchronized (this) {
                sessions.computeIfAbsent(session, k -> new ConcurrentHashMap<>()).put(user, conn);
                conn.sessions.add(session);
            }
            if (added > 0) {
                cluster.announce(session, user, "member-joined");
            }
        }
        reply(conn, clusterList("joined", session, cluster), id);
    }

    private void leaveClustered(ClusterRouting cluster, SignalingConnection conn, String user, String session,
                                JsonNode id) {
        if (!removeLocal(conn, user, session)) {
            router.sendError(conn, SignalingErrorCode.NOT_A_MEMBER, "not a member of session " + session, id, null);
            return;
        }
        if (cluster.bus().leave(session, user)) {
            cluster.announce(session, user, "member-left");
        }
        ObjectNode ok = SignalingJson.object();
        ok.put("type", "left");
        ok.put("session", session);
        reply(conn, ok, id);
    }

    private void membersClustered(ClusterRouting cluster, SignalingConnection conn, String user, String session,
                                  JsonNode id) {
        Map<String, SignalingConnection> local = sessions.get(session);
        if (local == null || local.get(user) != conn) {
            router.sendError(conn, SignalingErrorCode.NOT_A_MEMBER, "not a member of session " + session, id, null);
            return;
        }
        reply(conn, clusterList("members", session, cluster), id);
    }

    private static ObjectNode clusterList(String type, String session, ClusterRouting cluster) {
        ObjectNode ok = SignalingJson.object();
        ok.put("type", type);
        ok.put("session", session);
        ArrayNode arr = ok.putArray("members");
        cluster.bus().members(session).forEach(arr::add);
        return ok;
    }

    /** Removes the member from this node's table only; false if it was not a member here. */
    private synchronized boolean removeLocal(SignalingConnection conn, String user, String session) {
        Map<String, SignalingConnection> members = sessions.get(session);
        if (members == null || members.get(user) != conn) {
            return false;
        }
        members.remove(user);
        conn.sessions.remove(session);
        if (members.isEmpty()) {
            sessions.remove(session);
        }
        return true;
    }

    /**
     * This cluster node's lease had run out and other nodes may have removed its members: every member
     * of this node joins its sessions again (announced as joined where it had been removed).
     */
    void rejoinAll(ClusterRouting cluster) {
        for (Map.Entry<String, Map<String, SignalingConnection>> s : sessions.entrySet()) {
            for (String user : s.getValue().keySet()) {
                try {
                    if (cluster.bus().join(s.getKey(), user, MAX_MEMBERS) > 0) {
                        cluster.announce(s.getKey(), user, "member-joined");
                    }
                } catch (ClusterUnavailableException e) {
                    return; // Redis went away again: the members stay listed here only (logged by the heartbeat)
                }
            }
        }
    }

    /** A presence event of the cluster (any node's, this one's included): to this node's other members. */
    void deliverPresence(String session, String user, String type) {
        Map<String, SignalingConnection> members = sessions.get(session);
        if (members == null) {
            return;
        }
        ObjectNode event = SignalingJson.object();
        event.put("type", type);
        event.put("session", session);
        event.put("user", user);
        String text = SignalingJson.write(event);
        for (Map.Entry<String, SignalingConnection> m : members.entrySet()) {
            if (!m.getKey().equals(user)) {
                m.getValue().enqueue(text);
            }
        }
    }

    private boolean remove(SignalingConnection conn, String user, String session) {
        synchronized (this) {
            Map<String, SignalingConnection> members = sessions.get(session);
            if (members == null || members.get(user) != conn) {
                return false;
            }
            members.remove(user);
            conn.sessions.remove(session);
            if (members.isEmpty()) {
                sessions.remove(session);
            }
            announce(session, user, "member-left");
            return true;
        }
    }

    /** Caller holds the monitor: every other member hears of {@code user}. */
    private void announce(String session, String user, String type) {
        deliverPresence(session, user, type); // a member too congested to take it misses the event, not others
    }

    private ObjectNode list(String type, String session) {
        ObjectNode ok = SignalingJson.object();
        ok.put("type", type);
        ok.put("session", session);
        ArrayNode arr = ok.putArray("members");
        Map<String, SignalingConnection> members = sessions.get(session);
        Set<String> sorted = new TreeSet<>(members == null ? Set.of() : members.keySet());
        sorted.forEach(arr::add);
        return ok;
    }

    private static void reply(SignalingConnection conn, ObjectNode ok, JsonNode id) {
        if (id != null) {
            ok.set("id", id);
        }
        conn.reply(SignalingJson.write(ok));
    }

    /** Session names and their member counts (a snapshot, for diagnostics). */
    List<String> sessionNames() {
        return new ArrayList<>(new TreeSet<>(sessions.keySet()));
    }
}
