package dev.purertc.sdp;

import java.util.List;

/**
 * An {@code a=group:<semantics> <mid>...} attribute (RFC 5888 §5), e.g. {@code a=group:BUNDLE 0}
 * (RFC 8843).
 *
 * <p>Immutable and thread-safe.
 *
 * @param semantics grouping semantics token, e.g. {@code BUNDLE}
 * @param mids identification tags of the grouped m= sections, in order (may be empty)
 */
public record Group(String semantics, List<String> mids) {
    /** The {@code BUNDLE} semantics (RFC 8843 §7.1). */
    public static final String BUNDLE = "BUNDLE";

    /** @throws IllegalArgumentException if semantics or any mid is not a token */
    public Group {
        if (!SdpSyntax.isToken(semantics)) {
            throw new IllegalArgumentException("group semantics is not a token: '" + SdpSyntax.clip(semantics) + "'");
        }
        mids = List.copyOf(mids);
        for (String mid : mids) {
            if (!SdpSyntax.isToken(mid)) {
                throw new IllegalArgumentException("group member is not a token: '" + SdpSyntax.clip(mid) + "'");
            }
        }
    }

    /** A BUNDLE group of the given mids. */
    public static Group bundle(List<String> mids) {
        return new Group(BUNDLE, mids);
    }

    static Group parse(String value) {
        // RFC 5888 §5: group-attribute = "a=group:" semantics *(SP identification-tag)
        var f = SdpSyntax.splitSpaces(value, "a=group");
        return new Group(f.get(0), f.subList(1, f.size()));
    }

    /** True when the semantics is BUNDLE (compared ignoring case, as RFC 5888 tokens are). */
    public boolean isBundle() {
        return semantics.equalsIgnoreCase(BUNDLE);
    }

    /** As an {@code a=group} attribute. */
    public Attribute toAttribute() {
        StringBuilder sb = new StringBuilder(semantics);
        for (String mid : mids) {
            sb.append(' ').append(mid);
        }
        return new Attribute("group", sb.toString());
    }
}
