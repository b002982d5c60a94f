package vfiowb.workbench.capacity;

import java.util.ArrayList;
import java.util.List;
import vfiowb.common.mm.Arch;

/**
 * A capacity table as cells, the same for the {@code capacity} command's text and the HTML
 * report: one line per region with bytes, the first line of a device file carrying its policy,
 * device and pgoff space.
 */
public final class CapacityCells {
    /** The column heads. */
    public static final List<String> HEADER = List.of("policy", "device", "region", "size", "rw",
            "mmap", "PTE", "PMD", "PUD", "minimum", "pgoff spent (alignment)");

    private CapacityCells() {}

    /** The lines of one row (a device file), or one line saying why it has none. */
    public static List<List<String>> lines(Capacity.Row r) {
        List<List<String>> out = new ArrayList<>();
        if (r.error() != null) {
            out.add(List.of(r.policyLabel(), r.device(), r.error()));
            return out;
        }
        String spent = Bytes.human(r.spentBytes()) + (r.alignmentBytes() < 0 ? ""
                : " (" + Bytes.human(r.alignmentBytes()) + ")");
        boolean first = true;
        for (Capacity.RegionCapacity c : r.regions()) {
            PageTables pt = c.pageTables();
            String pte = "";
            String pmd = "";
            String pud = "";
            String min = "";
            if (pt != null && pt.ok()) {
                boolean star = pt.inferredBytes() > 0;
                pte = count(pt.pte(), star);
                pmd = count(pt.pmd(), star);
                pud = count(pt.pud(), star);
                min = pt.minimum().text();
            } else if (pt != null) {
                pte = "-";
                min = pt.minimum().text();
            }
            out.add(List.of(first ? r.policyLabel() : "", first ? r.device() : "", c.name(),
                    Bytes.human(c.size()), cell(c.rw()), cell(c.mmap()), pte, pmd, pud, min,
                    first ? spent : ""));
            first = false;
        }
        if (first) {
            out.add(List.of(r.policyLabel(), r.device(), "no region with bytes; pgoff spent " + spent));
        }
        return out;
    }

    /**
     * What the cells abbreviate: each region read/write or mmap does not wholly reach, each
     * region whose page tables could not be measured, each REGION_INFO that failed otherwise
     * than EINVAL (an index the device does not implement).
     */
    public static List<String> notes(Capacity.Row r) {
        List<String> out = new ArrayList<>();
        if (r.error() != null) {
            return out;
        }
        String where = "stage " + r.stage() + " " + r.policyLabel() + " " + r.device() + " ";
        for (Capacity.RegionCapacity c : r.regions()) {
            note(out, where + c.name(), "read/write", c.rw());
            note(out, where + c.name(), "mmap", c.mmap());
            if (c.pageTables() != null && !c.pageTables().ok()) {
                out.add(where + c.name() + ": page tables not measured: " + c.pageTables().failure());
            }
        }
        for (Region g : r.layout().regions()) {
            if (g.errno() != null && !"EINVAL".equals(g.errno())) {
                out.add(where + g.name() + ": REGION_INFO " + g.errno());
            }
        }
        return out;
    }

    /** Whether some entry count of the row was partly counted rather than faulted. */
    public static boolean inferred(Capacity.Row r) {
        return r.regions().stream().anyMatch(c -> c.pageTables() != null && c.pageTables().ok()
                && c.pageTables().inferredBytes() > 0);
    }

    /** {@code 1 GiB PUD, then 2 MiB PMD, then 4 KiB PTE}: the entries the minimum is made of. */
    public static String levels(Arch a) {
        List<String> l = new ArrayList<>();
        if (a.hugePudPfnmap()) {
            l.add(Bytes.human(a.pudSize()) + " PUD");
        }
        if (a.hugePmdPfnmap()) {
            l.add(Bytes.human(a.pmdSize()) + " PMD");
        }
        l.add(Bytes.human(a.pageSize()) + " PTE");
        return String.join(", then ", l);
    }

    private static void note(List<String> out, String where, String what, Reach reach) {
        if (reach.cutShort()) {
            out.add(where + ": " + what + " " + reach.text());
        }
    }

    /** An entry count, starred where part of it was counted rather than faulted. */
    private static String count(long n, boolean star) {
        return n + (star && n != 0 ? "*" : "");
    }

    /** {@code all}, {@code none}, {@code -}, or the reachable prefix's length. */
    private static String cell(Reach r) {
        return r.kind() == Reach.Kind.PARTIAL ? Bytes.human(r.bytes()) : r.kind().word();
    }
}
