package vfiowb.workbench.mutation;

import java.util.List;

/**
 * One {@code <mutation>} of a PIT {@code mutations.xml}, with the fields the score tool needs:
 * where it is (class, method, line), what was done (mutator, description) and how it ended.
 *
 * @param sourceFile the source file's name, without its directory ({@code Foo.java})
 * @param mutatedClass the binary class name, {@code $} for nested classes
 * @param method PIT's {@code mutatedMethod}
 * @param methodDescription the method's JVM descriptor (which overload)
 * @param line the mutated source line, 1-based
 * @param mutator PIT's fully qualified mutator name
 * @param indexes the mutated instructions' indexes in the method
 * @param status how the mutant ended
 * @param description PIT's words for the mutation ({@code negated conditional})
 */
public record Mutant(String sourceFile, String mutatedClass, String method, String methodDescription,
        int line, String mutator, List<Integer> indexes, Status status, String description) {

    public Mutant {
        indexes = List.copyOf(indexes);
    }

    /**
     * The outcomes the score tool counts, as PIT does: a mutant is detected when a test failed,
     * timed out, ran out of memory or crashed the minion; it is undetected when the tests that
     * cover it passed or none covers it; a non-viable mutant (the JVM refused its bytecode) is
     * not counted at all. PIT's other states ({@code STARTED}, {@code NOT_STARTED},
     * {@code EQUIVALENT}) are not in the list, so a report holding one is refused rather than
     * counted a guessed way.
     */
    public enum Status {
        KILLED, TIMED_OUT, MEMORY_ERROR, RUN_ERROR, SURVIVED, NO_COVERAGE, NON_VIABLE;

        /** Whether the mutant counts toward the generated total. */
        public boolean counted() {
            return this != NON_VIABLE;
        }

        /** Whether a test noticed the mutant. */
        public boolean detected() {
            return this == KILLED || this == TIMED_OUT || this == MEMORY_ERROR || this == RUN_ERROR;
        }

        /** Whether the mutant counts and no test noticed it: what an equivalent entry may cover. */
        public boolean undetected() {
            return this == SURVIVED || this == NO_COVERAGE;
        }

        /** The status named {@code s}, or null. */
        static Status named(String s) {
            for (Status v : values()) {
                if (v.name().equals(s)) {
                    return v;
                }
            }
            return null;
        }
    }

    /** The mutated class's package; empty for the unnamed package. */
    public String pkg() {
        int dot = mutatedClass.lastIndexOf('.');
        return dot < 0 ? "" : mutatedClass.substring(0, dot);
    }

    /** The last segment of the mutator's name, as the equivalents list writes it. */
    public String mutatorName() {
        return mutator.substring(mutator.lastIndexOf('.') + 1);
    }

    /**
     * PIT's identity of a mutant (class, method and descriptor, mutator, instruction indexes;
     * the line follows from them): two reports holding the same one were given twice.
     */
    public String identity() {
        return String.join("\u0000", mutatedClass, method, methodDescription, mutator,
                indexes.toString(), String.valueOf(line));
    }

    /** {@code vfiowb.step5.core.X.open line 42 NegateConditionalsMutator}: for messages. */
    public String label() {
        return mutatedClass + "." + method + " line " + line + " " + mutatorName();
    }
}
