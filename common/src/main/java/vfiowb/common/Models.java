package vfiowb.common;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the kernel code a Java type or method models, as {@code "path/to/file.c:function"}
 * (or {@code "path/to/file.h:struct name"} for a structure).
 *
 * <p>Runtime retention: the walkthrough narrates calls by these names and a rule checks that
 * every core and driver class carries one.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD})
public @interface Models {
    /** One or more {@code file:function} references into the Linux tree. */
    String[] value();
}
