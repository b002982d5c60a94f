package vfiowb.common.rules;

/**
 * One place that breaks a rule.
 *
 * @param className the class holding the offending code
 * @param member the method, field or constructor (empty when the whole class is meant)
 * @param detail ArchUnit's description of the offending dependency, call or class, or the
 *     bytecode scan's description of the offending instruction in ArchUnit's form (see
 *     {@link BytecodeCondition}); both end with the source location, e.g. {@code (Mtty.java:276)}
 */
public record Violation(String className, String member, String detail) {}
