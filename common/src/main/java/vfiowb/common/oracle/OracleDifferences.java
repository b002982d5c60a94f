package vfiowb.common.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place where the model may answer otherwise than the Linux 6.12 transcripts, each
 * entry with its reason and the upstream commit that makes v6.19 differ from 6.12, or marked
 * {@link DeclaredDifference#MODEL_BUG}. Every stage's replay fails on a difference not listed
 * here and on an entry that no longer shows, so the list shrinks as fixes land. docs/oracle.md
 * shows the same table.
 */
public final class OracleDifferences {
    private OracleDifferences() {}

    /**
     * Empty since issue 9 §1: the MSI-X NORESIZE flag of functions without MSI-X and the
     * -ENOMEM of a ROM read with memory decode off were model bugs, now fixed.
     */
    public static final List<DeclaredDifference> DECLARED = List.of();

    /** The differences no entry of {@code declared} explains. */
    static List<Difference> undeclared(List<Difference> found, List<DeclaredDifference> declared) {
        return found.stream().filter(d -> declared.stream().noneMatch(x -> x.matches(d))).toList();
    }

    /**
     * Entries of {@code declared} that no longer show on a device they name, as
     * {@code "device: entry"}; {@code found} holds every replayed device's differences.
     */
    static List<String> stale(Map<String, List<Difference>> found, List<DeclaredDifference> declared) {
        List<String> out = new ArrayList<>();
        for (DeclaredDifference x : declared) {
            for (String device : x.devices()) {
                List<Difference> ds = found.get(device);
                if (ds == null) {
                    throw new IllegalStateException(device + " was not replayed");
                }
                if (ds.stream().noneMatch(x::matches)) {
                    out.add(device + ": " + x);
                }
            }
        }
        return out;
    }
}
