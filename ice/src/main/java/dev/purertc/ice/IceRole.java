package dev.purertc.ice;

/** RFC 8445 §6.1.1 agent role. Role conflicts are repaired by ice4j with the tie-breaker (§7.3.1.1). */
public enum IceRole {
    CONTROLLING,
    CONTROLLED
}
