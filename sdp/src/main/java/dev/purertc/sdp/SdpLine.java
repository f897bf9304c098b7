package dev.purertc.sdp;

/**
 * One line of a session or media section after the fixed leading lines ({@code v=}, {@code o=},
 * {@code s=} at session level, {@code m=} at media level): either an {@link Attribute} ({@code a=})
 * or another {@link SdpField} ({@code c=}, {@code b=}, {@code t=}, {@code i=}...). Sections keep their
 * lines in input order so that writing reproduces the input.
 *
 * <p>Implementations are immutable records.
 */
public sealed interface SdpLine permits Attribute, SdpField {
    /** The line's type letter ({@code 'a'} for attributes). */
    char type();

    /** The text after {@code <type>=}, as it is written. */
    String text();
}
