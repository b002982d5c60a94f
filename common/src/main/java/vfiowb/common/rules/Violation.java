package vfiowb.common.rules;

/**
 * One place that breaks a rule.
 *
 * @param className the class holding the offending code
 * @param member the method, field or constructor (empty when the whole class is meant)
 * @param detail ArchUnit's description of the offending dependency, call or class
 */
public record Violation(String className, String member, String detail) {}
