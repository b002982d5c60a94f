package vfiowb.common.rules;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The outcome of evaluating one rule on one stage's classes.
 *
 * @param rule the rule
 * @param packageRoot the classes it was evaluated on
 * @param violations every offending place, empty when the rule holds
 */
public record RuleResult(StageRule rule, String packageRoot, List<Violation> violations) {
    public RuleResult {
        violations = List.copyOf(violations);
    }

    public boolean passed() {
        return violations.isEmpty();
    }

    /**
     * The sub-packages of {@code packageRoot} that hold violations, e.g. {@code drivers.mtty}
     * or {@code pci}: how a reviewer reads "which drivers still break this".
     */
    public Set<String> violatingUnits() {
        Set<String> units = new TreeSet<>();
        for (Violation v : violations) {
            String name = v.className();
            if (!name.startsWith(packageRoot + ".")) {
                units.add(name);
                continue;
            }
            String rest = name.substring(packageRoot.length() + 1);
            String[] parts = rest.split("\\.");
            if (parts.length >= 3 && parts[0].equals("drivers")) {
                units.add("drivers." + parts[1]);
            } else {
                units.add(parts[0]);
            }
        }
        return units;
    }
}
