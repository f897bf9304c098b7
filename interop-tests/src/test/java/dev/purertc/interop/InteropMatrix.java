package dev.purertc.interop;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class whose tests are cells of the interop matrix printed at the end of a run
 * ({@link InteropMatrixListener}): every test method is one scenario (its name), against
 * {@link #peer()}. A parameterized test's invocations are the directions (their display names,
 * e.g. {@code PURERTC_OFFERS}); a plain test method has the class's {@link #direction()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface InteropMatrix {
    /** The other side: {@code chromium}, {@code firefox}, {@code werift}... */
    String peer();

    /** The direction of plain (non-parameterized) tests; {@code -} when it does not apply. */
    String direction() default "-";
}
