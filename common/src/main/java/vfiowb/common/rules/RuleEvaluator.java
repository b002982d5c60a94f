package vfiowb.common.rules;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.ViolationHandler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Imports a stage's production classes and evaluates rules on them, turning ArchUnit's report
 * into {@link Violation}s a reviewer can read class by class, sorted by class and member.
 *
 * <p>Imports from the classpath, jars included: under {@code mvn verify} sibling modules arrive
 * as jars, and excluding jars would make every rule vacuously pass.
 */
public final class RuleEvaluator {
    private static final Map<String, JavaClasses> CACHE = new ConcurrentHashMap<>();

    private RuleEvaluator() {}

    /**
     * The production classes under {@code packageRoot} (test classes excluded), with the driver
     * code of common that every stage runs ({@link RuleCatalogue#SHARED_DRIVER_PACKAGES}).
     *
     * @throws IllegalArgumentException when nothing is found there: a misspelt root must not make
     *     every rule pass
     */
    public static JavaClasses importStage(String packageRoot) {
        return CACHE.computeIfAbsent(packageRoot, root -> {
            List<String> packages = new ArrayList<>(RuleCatalogue.SHARED_DRIVER_PACKAGES);
            packages.add(0, root);
            JavaClasses classes = new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages(packages);
            if (classes.stream().noneMatch(c -> c.getPackageName().equals(root)
                    || c.getPackageName().startsWith(root + "."))) {
                throw new IllegalArgumentException("no classes under package " + root
                        + " on the classpath");
            }
            return classes;
        });
    }

    /** Evaluates {@code rule} on the production classes of {@code packageRoot}. */
    public static RuleResult evaluate(StageRule rule, String packageRoot) {
        return evaluate(rule, packageRoot, importStage(packageRoot));
    }

    /** Evaluates {@code rule} for {@code packageRoot} on an explicit set of classes. */
    public static RuleResult evaluate(StageRule rule, String packageRoot, JavaClasses classes) {
        EvaluationResult result;
        try {
            result = rule.forRoot(packageRoot).evaluate(classes);
        } catch (AssertionError e) {
            // ArchUnit's failOnEmptyShould: a rule that must check some class found none among
            // those given (shared-driver-code-layout-free on a set without common's packages).
            return new RuleResult(rule, packageRoot, List.of(new Violation("?", "", e.getMessage())));
        }
        List<Violation> violations = new ArrayList<>();
        result.handleViolations(new ViolationHandler<Object>() {
            @Override
            public void handle(Collection<Object> violatingObjects, String message) {
                if (violatingObjects.isEmpty()) {
                    violations.add(new Violation("?", "", message));
                }
                for (Object o : violatingObjects) {
                    violations.add(toViolation(o, message));
                }
            }
        });
        if (violations.isEmpty() && result.hasViolation()) {
            for (String detail : result.getFailureReport().getDetails()) {
                violations.add(new Violation("?", "", detail));
            }
        }
        violations.sort(Comparator.comparing(Violation::className).thenComparing(Violation::member)
                .thenComparing(Violation::detail));
        return new RuleResult(rule, packageRoot, violations);
    }

    /** Evaluates every rule a stage must satisfy (those introduced at or before it). */
    public static List<RuleResult> evaluateCumulative(int stage, String packageRoot) {
        List<RuleResult> results = new ArrayList<>();
        for (StageRule rule : RuleCatalogue.cumulative(stage)) {
            results.add(evaluate(rule, packageRoot));
        }
        return results;
    }

    private static Violation toViolation(Object o, String message) {
        if (o instanceof BytecodeCondition.Finding) {
            BytecodeCondition.Finding f = (BytecodeCondition.Finding) o;
            return new Violation(f.className(), f.method(), f.description());
        }
        if (o instanceof Dependency) {
            Dependency d = (Dependency) o;
            return new Violation(d.getOriginClass().getName(), "", d.getDescription());
        }
        if (o instanceof JavaAccess) {
            JavaAccess<?> a = (JavaAccess<?>) o;
            return new Violation(a.getOriginOwner().getName(), a.getOrigin().getName(),
                    a.getDescription());
        }
        if (o instanceof JavaMember) {
            JavaMember m = (JavaMember) o;
            return new Violation(m.getOwner().getName(), m.getName(), message);
        }
        if (o instanceof JavaClass) {
            return new Violation(((JavaClass) o).getName(), "", message);
        }
        return new Violation("?", "", message);
    }
}
