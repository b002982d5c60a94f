package vfiowb.workbench.capacity;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.VfioHost;

/**
 * The numbers behind the thread's layout questions, per stage, policy and device, all measured
 * on the model: which regions read/write and mmap reach (on a 32-bit kernel mmap stops at the
 * 4 GiB device-file offset), how much pgoff space the file's layout spends and how much of it
 * alignment costs, and how many page-table entries of each level map each mappable region once
 * every page is touched, against the fewest the architecture allows.
 *
 * <p>The {@code capacity} command prints this; the cover-letter generator calls
 * {@link #compute} and renders the same records.
 */
public final class Capacity {
    private Capacity() {}

    /**
     * Every stage, policy and device measured on one architecture.
     *
     * @param arch the architecture
     * @param rows one per stage, distinct effective policy and device, in that order
     */
    public record Table(Arch arch, List<Row> rows) {
        public Table {
            Objects.requireNonNull(arch, "arch");
            rows = List.copyOf(rows);
        }

        /** The rows of one stage. */
        public List<Row> stage(int number) {
            return rows.stream().filter(r -> r.stage() == number).toList();
        }

        /** The row of one stage, policy label and device, or null. */
        public Row row(int stage, String policyLabel, String device) {
            for (Row r : rows) {
                if (r.stage() == stage && r.policyLabel().equals(policyLabel)
                        && r.device().equals(device)) {
                    return r;
                }
            }
            return null;
        }
    }

    /**
     * One device file at one stage under one policy.
     *
     * @param stage the stage number
     * @param policy the effective policy (knobs the stage ignores at their defaults)
     * @param policyLabel the knobs that differ from the default ({@code layout=packed}), or
     *     {@code default}
     * @param device the device name
     * @param layout the probed layout (its {@link FileLayout#error()} says why a row is empty)
     * @param spentBytes the pgoff space the file's regions reach up to ({@link FileLayout#extent()})
     * @param alignmentBytes how much more pgoff space the file spends than under the same policy
     *     with {@code align=none}; -1 at a stage without the {@code align} knob
     * @param regions each region with bytes
     */
    public record Row(int stage, SeriesPolicy policy, String policyLabel, String device,
            FileLayout layout, long spentBytes, long alignmentBytes, List<RegionCapacity> regions) {
        public Row {
            regions = List.copyOf(regions);
        }

        /** Why the device has no numbers at this stage, or null. */
        public String error() {
            return layout.error();
        }

        /** Regions whose mmap stops short of the end of what QEMU would map. */
        public List<RegionCapacity> mmapShort() {
            return regions.stream().filter(r -> r.mmap().cutShort()).toList();
        }

        /** Regions whose read/write stops short of their end. */
        public List<RegionCapacity> rwShort() {
            return regions.stream().filter(r -> r.rw().cutShort()).toList();
        }
    }

    /**
     * One region with bytes.
     *
     * @param index the region index
     * @param name {@code BAR2}
     * @param size its size
     * @param offset its device-file offset
     * @param rw how far read/write reach
     * @param mmap how far mmap reaches
     * @param pageTables its entries when fully touched; null for a region without the MMAP flag
     */
    public record RegionCapacity(long index, String name, long size, long offset, Reach rw,
            Reach mmap, PageTables pageTables) {}

    /**
     * Measures every device at every stage under every policy on {@code arch}. Policies that a
     * stage cannot tell apart (they differ only in knobs it does not honour) give one row.
     * Devices a stage has no driver for give a row whose layout has an error.
     */
    public static Table compute(Arch arch, List<DeviceSpec> devices, List<Stage> stages,
            List<SeriesPolicy> policies) {
        Objects.requireNonNull(arch, "arch");
        if (devices.isEmpty() || stages.isEmpty() || policies.isEmpty()) {
            throw new IllegalArgumentException("capacity needs a device, a stage and a policy");
        }
        List<Row> rows = new ArrayList<>();
        for (Stage s : stages) {
            Set<SeriesPolicy> seen = new LinkedHashSet<>();
            for (SeriesPolicy p : policies) {
                seen.add(Policies.effective(s, p));
            }
            for (SeriesPolicy eff : seen) {
                for (DeviceSpec d : devices) {
                    rows.add(row(arch, s, eff, d));
                }
            }
        }
        return new Table(arch, rows);
    }

    /** One device at one stage under one effective policy. */
    static Row row(Arch arch, Stage s, SeriesPolicy eff, DeviceSpec d) {
        VfioHost host = Layouts.boot(s, arch, eff, d);
        if (host == null) {
            FileLayout l = Layouts.probe(s, arch, eff, d);
            return new Row(s.number(), eff, Policies.label(eff), d.name(), l, 0, -1, List.of());
        }
        FileLayout l = Layouts.probe(host, s, eff, d);
        if (!l.ok()) {
            return new Row(s.number(), eff, Policies.label(eff), d.name(), l, 0, -1, List.of());
        }
        long alignment = -1;
        if (s.policyKnobs().contains("align")) {
            FileLayout none = eff.align() == SeriesPolicy.Align.NONE ? l
                    : Layouts.probe(s, arch, eff.withAlign(SeriesPolicy.Align.NONE), d);
            alignment = none.ok() ? l.extent() - none.extent() : -1;
        }
        List<RegionCapacity> regions = new ArrayList<>();
        for (Region r : l.withBytes()) {
            PageTables pt = r.mmappable() && !r.mmapAreas().isEmpty()
                    ? PageTables.measure(host, d.name(), r) : null;
            regions.add(new RegionCapacity(r.index(), r.name(), r.size(), r.offset(), r.rw(),
                    r.mmap(), pt));
        }
        return new Row(s.number(), eff, Policies.label(eff), d.name(), l, l.extent(), alignment,
                regions);
    }
}
