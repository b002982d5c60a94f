package vfiowb.common.rules;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * An ArchUnit condition on what a class's bytecode does, for the promises ArchUnit's class model
 * cannot see (see {@link BytecodeScanner} for what the scan records and what it cannot see).
 * Use it as {@code classes().that()...should(condition)}; it combines with ArchUnit's own
 * conditions through {@link ArchCondition#and}. Each offending place becomes one violation
 * naming the class, the method and the source line.
 */
public final class BytecodeCondition extends ArchCondition<JavaClass> {
    /** What a rule looks for in one method: every offending place it finds, none when clean. */
    @FunctionalInterface
    public interface MethodCheck {
        List<Offence> check(ScannedMethod method);
    }

    /**
     * One offending place within a method.
     *
     * @param line the source line, -1 when unknown
     * @param what what the code does there, worded to follow "Method &lt;...&gt;", e.g.
     *     "shifts f(vmPgoff()) &gt;&gt;&gt; 40"
     */
    public record Offence(int line, String what) {}

    /**
     * One offending place, located: the object a violation event carries, which
     * {@link RuleEvaluator} turns into a {@link Violation} of {@code className} and {@code method}.
     */
    public record Finding(String className, String method, String descriptor, int line,
            String description) {}

    private final MethodCheck check;

    private BytecodeCondition(String description, MethodCheck check) {
        super(description);
        this.check = check;
    }

    /**
     * No method, constructor, static initialiser or lambda body of the class may give
     * {@code check} an offence.
     *
     * @param description what the condition demands, in ArchUnit's "should ..." form
     */
    public static BytecodeCondition noMethod(String description, MethodCheck check) {
        return new BytecodeCondition(description, check);
    }

    /**
     * No instruction of the class may match: {@code matcher} returns what the instruction does
     * wrong, or empty.
     */
    public static BytecodeCondition noInstruction(String description,
            Function<Insn, Optional<String>> matcher) {
        return new BytecodeCondition(description, m -> {
            List<Offence> out = new ArrayList<>();
            for (Insn i : m.instructions()) {
                matcher.apply(i).ifPresent(what -> out.add(new Offence(i.line(), what)));
            }
            return out;
        });
    }

    /** The offences {@code check} finds in the class, located (also for tests and reports). */
    public List<Finding> findings(JavaClass c) {
        List<Finding> out = new ArrayList<>();
        for (ScannedMethod m : BytecodeScanner.scan(c)) {
            for (Offence o : check.check(m)) {
                out.add(new Finding(m.owner(), m.name(), m.descriptor(), o.line(),
                        m.description() + " " + o.what() + " in " + m.location(o.line())));
            }
        }
        return out;
    }

    @Override
    public void check(JavaClass c, ConditionEvents events) {
        for (Finding f : findings(c)) {
            events.add(SimpleConditionEvent.violated(f, f.description()));
        }
    }
}
