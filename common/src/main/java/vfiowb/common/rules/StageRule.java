package vfiowb.common.rules;

import com.tngtech.archunit.lang.ArchRule;
import java.util.Objects;
import java.util.function.Function;

/**
 * One promise of the series, checked on a stage's classes: a function of the stage's package
 * root (for example {@code vfiowb.step4}) to an ArchUnit rule.
 *
 * @param id short stable identifier used by the CLI and in reports
 * @param introducedAt the stage whose patches make the promise true; later stages keep it
 * @param promise one sentence a reviewer reads, in the series' terms
 * @param factory builds the rule for a stage's package root
 */
public record StageRule(String id, int introducedAt, String promise,
        Function<String, ArchRule> factory) {
    public StageRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(promise, "promise");
        Objects.requireNonNull(factory, "factory");
        if (introducedAt < 1) {
            throw new IllegalArgumentException("stages are numbered from 1: " + introducedAt);
        }
    }

    /** The rule as it applies to the classes under {@code packageRoot}. */
    public ArchRule forRoot(String packageRoot) {
        return factory.apply(packageRoot);
    }
}
