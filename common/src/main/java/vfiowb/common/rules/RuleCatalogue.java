package vfiowb.common.rules;

import static com.tngtech.archunit.lang.conditions.ArchConditions.accessTargetWhere;
import static com.tngtech.archunit.lang.conditions.ArchConditions.never;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;


import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget.CodeUnitAccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import vfiowb.common.Models;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionInfoStruct;

/**
 * Every promise the series makes, tagged with the stage that introduces it. A stage must
 * satisfy its own rules and all earlier ones ({@link #cumulative(int)}).
 *
 * <p>Package convention inside a stage root: {@code core} (vfio_main.c and friends),
 * {@code pci} (vfio-pci-core), {@code drivers.<name>} (one package per upstream driver).
 */
public final class RuleCatalogue {
    private static final List<StageRule> RULES;

    /**
     * The packages of common that hold driver code every stage runs (moved out of the stage
     * modules because the series leaves it alone); {@link RuleEvaluator#importStage} imports
     * them with each stage.
     */
    public static final List<String> SHARED_DRIVER_PACKAGES = List.of("vfiowb.common.gvt");

    static {
        List<StageRule> r = new ArrayList<>();
        r.add(new StageRule("core-independent-of-drivers", 1,
                "The VFIO core (vfio_main.c) depends on no driver and not on vfio-pci-core.",
                root -> noClasses().that().resideInAPackage(root + ".core..")
                        .should().dependOnClassesThat()
                        .resideInAnyPackage(root + ".pci..", root + ".drivers..")
                        .allowEmptyShould(true)));
        r.add(new StageRule("pci-core-independent-of-drivers", 1,
                "vfio-pci-core depends on no variant or other driver; drivers build on it, "
                        + "never the reverse.",
                root -> noClasses().that().resideInAPackage(root + ".pci..")
                        .should().dependOnClassesThat().resideInAPackage(root + ".drivers..")
                        .allowEmptyShould(true)));
        r.add(new StageRule("no-cross-stage", 1,
                "No stage reaches another stage or a variant (wc-cookie ...): each is the whole tree "
                        + "after its patches.",
                root -> noClasses().that().resideInAPackage(root + "..")
                        .should().dependOnClassesThat(otherStage(root))
                        .allowEmptyShould(true)));
        r.add(new StageRule("models-annotated", 1,
                "Every core, vfio-pci-core and driver class names the kernel code it models "
                        + "with @Models.",
                root -> classes().that().resideInAnyPackage(root + ".core..", root + ".pci..",
                                root + ".drivers..")
                        .and().areTopLevelClasses()
                        .should(carryModels())
                        .allowEmptyShould(true)));
        r.add(new StageRule("shared-driver-code-layout-free", 1,
                "Driver code that every stage shares from common (kvmgt's GVT emulation in "
                        + "vfiowb.common.gvt, which the series never touches) holds nothing a "
                        + "stage's patch changes: no vm_pgoff and no *Offsets helper, no layout "
                        + "shift or mask (no-offset-arithmetic-in-drivers' bytecode scan), and "
                        + "nothing of REGION_INFO (region-info-core-only's checks). Checked on "
                        + "common's classes, which every stage imports beside its own.",
                root -> sharedDriverCode(SHARED_DRIVER_PACKAGES)));
        r.add(new StageRule("region-info-core-only", 2,
                "Only the core (vfio_get_region_info) answers REGION_INFO from the user's "
                        + "buffer. Checked outside the core: no call or method reference to the "
                        + "vfio_region_info codec (VfioRegionInfo.decode*/encode*), "
                        + "vfio_info_cap_shift, or a VfioRegionInfoStruct constructor or factory; "
                        + "and, by bytecode scan, no switch case on VFIO_DEVICE_GET_REGION_INFO "
                        + "(0x3b6c) and no comparison with it.",
                root -> classes().that().resideInAPackage(root + "..")
                        .and().resideOutsideOfPackage(root + ".core..")
                        .should(never(accessTargetWhere(regionInfoHandling()))
                                .and(regionInfoNumberUnused()))
                        .allowEmptyShould(true)));
        r.add(new StageRule("cookie-tree-core-only", 3,
                "Only the core (vfio_main.c) places mmap cookies or touches a file's tree of them: "
                        + "no driver or vfio-pci-core class uses the maple tree or reaches into a "
                        + "vfio_device_file; drivers hand the core cookie objects and receive "
                        + "them back.",
                root -> noClasses().that().resideInAPackage(root + "..")
                        .and().resideOutsideOfPackage(root + ".core..")
                        .should().dependOnClassesThat(cookieTreeInternals(root))
                        .allowEmptyShould(true)));
        r.add(new StageRule("no-offset-arithmetic-in-drivers", 4,
                "No driver and no vfio-pci-core code derives a region index or an in-region "
                        + "offset from a file offset or a pgoff: outside the core and "
                        + "vfio-pci-core's own *Offsets type (include/linux/vfio_pci_core.h's "
                        + "VFIO_PCI_OFFSET_* family: kept, unused, until stage 5 removes the old "
                        + "APIs), no class reads or writes a VMA's vm_pgoff or calls an *Offsets "
                        + "helper; a driver's own layout helpers go with its conversion; and, by "
                        + "bytecode scan, no method right-shifts by a distance that involves a "
                        + "layout shift (40, 48, ccw's 10) or shifts a value read from vm_pgoff, "
                        + "and none masks with (1 << 40) - 1 or (1 << 48) - 1. The scan does not "
                        + "see a shift distance or mask read from a field or passed in by a "
                        + "caller, or arithmetic done by a library call.",
                root -> classes().that().resideInAnyPackage(root + ".pci..", root + ".drivers..")
                        .and(DescribedPredicate.not(vfioPciCoreOffsets(root)))
                        .should(never(accessTargetWhere(offsetDecoding(root))))
                        .andShould(offsetArithmetic())
                        .allowEmptyShould(true)));
        r.add(new StageRule("old-apis-removed", 5,
                "The old APIs are gone, not merely unused. struct vfio_device_ops (the core's "
                        + "VfioDeviceOps, its builder and every nested type) has no member "
                        + "read, write, mmap or get_region_info_caps and no type for one; no "
                        + "class of the stage is an *Offsets helper type; and no class declares "
                        + "a layout constant (a field named *OFFSET_SHIFT) or a layout helper "
                        + "(a method named offsetToIndex, indexToOffset, offsetInRegion, "
                        + "vmaIndex or regionSpan), wherever it was moved to.",
                root -> classes().that().resideInAPackage(root + "..")
                        .should(declareNoOldApi(root))
                        .allowEmptyShould(true)));
        r.add(new StageRule("device-regions-through-cookie", 5,
                "vfio-pci-core finds a device-specific region (vdev->region[]) by its index only "
                        + "where REGION_INFO is answered by index (the methods modelling "
                        + "vfio_pci_ioctl_get_region_info and vfio_pci_ioctl_get_region_info_obj);"
                        + " read, write and mmap reach it through the region the file's cookie "
                        + "names.",
                root -> classes().that().resideInAnyPackage(root + ".pci..", root + ".drivers..")
                        .should(never(accessTargetWhere(deviceRegionByIndex(root))))
                        .allowEmptyShould(true)));
        RULES = Collections.unmodifiableList(r);
    }

    private RuleCatalogue() {}

    /** All rules, in stage order. */
    public static List<StageRule> all() {
        return RULES;
    }

    /** The rules a given stage introduces. */
    public static List<StageRule> introducedAt(int stage) {
        List<StageRule> out = new ArrayList<>();
        for (StageRule r : RULES) {
            if (r.introducedAt() == stage) {
                out.add(r);
            }
        }
        return out;
    }

    /** The rules a given stage must satisfy: its own and every earlier stage's. */
    public static List<StageRule> cumulative(int stage) {
        List<StageRule> out = new ArrayList<>();
        for (StageRule r : RULES) {
            if (r.introducedAt() <= stage) {
                out.add(r);
            }
        }
        return out;
    }

    /** Looks a rule up by id; null when there is none. */
    public static StageRule byId(String id) {
        for (StageRule r : RULES) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        return null;
    }

    /**
     * The rule of {@code shared-driver-code-layout-free} over {@code packages}: no class there
     * reads or sets vm_pgoff or reaches any {@code *Offsets} type, shifts or masks by a layout,
     * touches the REGION_INFO codec or builds the info struct, or names the REGION_INFO number.
     * Fails when the packages hold no class, so a renamed package cannot make it pass.
     */
    static ArchRule sharedDriverCode(List<String> packages) {
        String[] globs = packages.stream().map(p -> p + "..").toArray(String[]::new);
        return classes().that().resideInAnyPackage(globs)
                .should(never(accessTargetWhere(offsetDecoding("vfiowb"))))
                .andShould(offsetArithmetic())
                .andShould(never(accessTargetWhere(regionInfoHandling()))
                        .and(regionInfoNumberUnused()));
    }

    private static DescribedPredicate<JavaClass> otherStage(String root) {
        return new DescribedPredicate<JavaClass>("classes of another stage or variant than " + root) {
            @Override
            public boolean test(JavaClass c) {
                String p = c.getPackageName();
                return p.matches("vfiowb\\.(step\\d+|wc[a-z0-9]+)(\\..*)?")
                        && !(p.equals(root) || p.startsWith(root + "."));
            }
        };
    }

    private static ArchCondition<JavaClass> carryModels() {
        return new ArchCondition<JavaClass>("carry @Models on the type or on a method") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                boolean ok = c.isAnnotatedWith(Models.class);
                if (!ok) {
                    for (JavaCodeUnit u : c.getCodeUnits()) {
                        if (u.isAnnotatedWith(Models.class)) {
                            ok = true;
                            break;
                        }
                    }
                }
                if (!ok) {
                    events.add(SimpleConditionEvent.violated(c,
                            c.getName() + " names no kernel code with @Models"));
                }
            }
        };
    }

    /** The ops members stage 5 removes, as Java members and as nested functional types. */
    private static final java.util.Set<String> OLD_OPS_MEMBERS =
            java.util.Set.of("read", "write", "mmap", "getRegionInfoCaps");
    private static final java.util.Set<String> OLD_OPS_TYPES =
            java.util.Set.of("Read", "Write", "Mmap", "GetRegionInfoCaps");
    /**
     * vfio-pci-core's {@code *Offsets} type: the {@code VFIO_PCI_OFFSET_*} macros of
     * include/linux/vfio_pci_core.h, a header other drivers include, so it stays (unused)
     * until stage 5 removes the old APIs. A driver's own layout type is not exempt.
     */
    private static DescribedPredicate<JavaClass> vfioPciCoreOffsets(String root) {
        return DescribedPredicate.describe("vfio-pci-core's *Offsets type",
                c -> (c.getPackageName().equals(root + ".pci")
                        || c.getPackageName().startsWith(root + ".pci."))
                        && c.getSimpleName().endsWith("Offsets"));
    }

    /** The vocabulary of the offset layouts' helpers (every *Offsets type used these names). */
    private static final java.util.Set<String> LAYOUT_HELPERS = java.util.Set.of(
            "offsetToIndex", "indexToOffset", "offsetInRegion", "vmaIndex", "regionSpan");

    /**
     * Stage 5's removal, checked on declarations: the ops table and its builder and nested types
     * (the interface itself, whoever calls it), the helper types, and layout constants and
     * helpers wherever they live. One event per leftover, on the member that is left.
     */
    private static ArchCondition<JavaClass> declareNoOldApi(String root) {
        return new ArchCondition<JavaClass>("declare none of the removed APIs") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                String ops = root + ".core.VfioDeviceOps";
                boolean opsType = c.getName().equals(ops) || c.getName().startsWith(ops + "$");
                if (opsType) {
                    if (OLD_OPS_TYPES.contains(c.getSimpleName())) {
                        events.add(SimpleConditionEvent.violated(c, c.getName()
                                + " is the type of a removed ops member"));
                    }
                    for (com.tngtech.archunit.core.domain.JavaMember m : c.getMembers()) {
                        if (OLD_OPS_MEMBERS.contains(m.getName())) {
                            events.add(SimpleConditionEvent.violated(m, c.getName() + "."
                                    + m.getName() + " is a removed ops member"));
                        }
                    }
                }
                if (c.getSimpleName().endsWith("Offsets")) {
                    events.add(SimpleConditionEvent.violated(c, c.getName()
                            + " is an offset-encoding helper type"));
                }
                for (com.tngtech.archunit.core.domain.JavaField f : c.getFields()) {
                    if (f.getName().endsWith("OFFSET_SHIFT")) {
                        events.add(SimpleConditionEvent.violated(f, c.getName() + "."
                                + f.getName() + " is a layout constant"));
                    }
                }
                for (com.tngtech.archunit.core.domain.JavaMethod m : c.getMethods()) {
                    if (LAYOUT_HELPERS.contains(m.getName())) {
                        events.add(SimpleConditionEvent.violated(m, c.getName() + "."
                                + m.getName() + " is a layout helper"));
                    }
                }
            }
        };
    }

    /**
     * A call of {@code VfioPciCoreDevice.region(int)} from anything but the REGION_INFO fill,
     * recognised by the {@link Models} of the calling method.
     */
    private static DescribedPredicate<JavaAccess<?>> deviceRegionByIndex(String root) {
        return new DescribedPredicate<JavaAccess<?>>(
                "vdev->region[] by index outside vfio_pci_ioctl_get_region_info*") {
            @Override
            public boolean test(JavaAccess<?> a) {
                if (!(a.getTarget() instanceof CodeUnitAccessTarget)
                        || !a.getTarget().getOwner().getName().equals(root + ".pci.VfioPciCoreDevice")
                        || !a.getTarget().getName().equals("region")) {
                    return false;
                }
                Optional<Models> models = a.getOrigin().tryGetAnnotationOfType(Models.class);
                if (models.isEmpty()) {
                    return true;
                }
                for (String m : models.get().value()) {
                    if (m.endsWith(":vfio_pci_ioctl_get_region_info")
                            || m.endsWith(":vfio_pci_ioctl_get_region_info_obj")) {
                        return false;
                    }
                }
                return true;
            }
        };
    }

    /** A VMA's pgoff, or any member of a stage's offset-encoding helper types. */
    private static DescribedPredicate<JavaAccess<?>> offsetDecoding(String root) {
        return new DescribedPredicate<JavaAccess<?>>(
                "vm_pgoff or an offset-encoding helper (*Offsets)") {
            @Override
            public boolean test(JavaAccess<?> a) {
                String owner = a.getTarget().getOwner().getName();
                String name = a.getTarget().getName();
                if (owner.equals("vfiowb.common.mm.VmArea")) {
                    return name.equals("vmPgoff") || name.equals("setVmPgoff");
                }
                return owner.startsWith(root + ".")
                        && a.getTarget().getOwner().getSimpleName().endsWith("Offsets");
            }
        };
    }

    /** Layout shifts: vfio-pci and most drivers 40, ism 48, ccw 10. */
    private static final long[] LAYOUT_SHIFTS = {40, 48, 10};
    /** The in-region masks of the 40- and 48-bit layouts. */
    private static final long[] LAYOUT_MASKS = {(1L << 40) - 1, (1L << 48) - 1};

    /**
     * The bytecode half of stage 4's rule: a right shift whose distance involves a layout
     * shift, any shift of a value read from {@code vm_pgoff}, an AND with a layout mask.
     */
    private static BytecodeCondition offsetArithmetic() {
        return BytecodeCondition.noInstruction(
                "derive a region index or in-region offset by shifting or masking", i -> {
                    if (i instanceof Insn.Shift sh) {
                        if (sh.value().derivesFromCall("vfiowb.common.mm.VmArea", "vmPgoff")) {
                            return Optional.of("shifts vm_pgoff: " + sh);
                        }
                        if (sh.op() != Insn.ShiftOp.SHL) {
                            for (long k : LAYOUT_SHIFTS) {
                                if (sh.distance().involvesConstant(k)) {
                                    return Optional.of("shifts by a layout shift: " + sh);
                                }
                            }
                        }
                    }
                    if (i instanceof Insn.BitOp b && b.op() == Insn.BitOpKind.AND) {
                        for (long m : LAYOUT_MASKS) {
                            if (b.hasConstantOperand(m)) {
                                return Optional.of("masks with a layout mask: " + b);
                            }
                        }
                    }
                    return Optional.empty();
                });
    }

    /** The maple tree and its allocation results, and the core's per-file structure. */
    private static DescribedPredicate<JavaClass> cookieTreeInternals(String root) {
        return new DescribedPredicate<JavaClass>("the maple tree or vfio_device_file") {
            @Override
            public boolean test(JavaClass c) {
                String n = c.getName();
                return n.equals("vfiowb.common.lib.MapleTree")
                        || n.startsWith("vfiowb.common.lib.MapleTree$")
                        || n.equals("vfiowb.common.lib.MapleArea")
                        || n.equals(root + ".core.VfioDeviceFile");
            }
        };
    }

    /**
     * Calls and method references that only the code answering REGION_INFO for the user makes:
     * the codec of {@code struct vfio_region_info} (decode the user's 32-byte head, encode the
     * reply), {@code vfio_info_cap_shift} (which only makes sense right before the chain is
     * copied out behind the head), and creating the kernel's {@code info} struct
     * ({@link vfiowb.common.uapi.VfioRegionInfoStruct}: any constructor, or any of its methods
     * returning one, such as {@code forIndex}). A converted driver only fills the struct the core
     * hands to its {@code get_region_info_caps}, so it never needs any of these.
     */
    private static DescribedPredicate<JavaAccess<?>> regionInfoHandling() {
        return new DescribedPredicate<JavaAccess<?>>("the vfio_region_info codec, "
                + "vfio_info_cap_shift or a creator of VfioRegionInfoStruct") {
            @Override
            public boolean test(JavaAccess<?> access) {
                if (!(access.getTarget() instanceof CodeUnitAccessTarget)) {
                    return false;
                }
                CodeUnitAccessTarget t = (CodeUnitAccessTarget) access.getTarget();
                String owner = t.getOwner().getName();
                String name = t.getName();
                if (owner.equals(VfioRegionInfo.class.getName())) {
                    return name.startsWith("decode") || name.startsWith("encode");
                }
                if (owner.equals(VfioRegionInfoStruct.class.getName())) {
                    return name.equals(JavaConstructor.CONSTRUCTOR_NAME)
                            || t.getRawReturnType().getName().equals(owner);
                }
                return owner.equals(VfioInfoCap.class.getName())
                        && name.equals("vfioInfoCapShift");
            }
        };
    }

    /**
     * A driver's own REGION_INFO case, seen in bytecode: javac inlines
     * {@code VfioIoctl.VFIO_DEVICE_GET_REGION_INFO}, so ArchUnit sees no access to it; the number
     * (0x3b6c) survives only as a {@code tableswitch}/{@code lookupswitch} key (a gap key javac
     * fills with the default target is not a case) or as a constant ({@code sipush}) that an
     * {@code if_icmp*} compares with (in either order, after any folding through locals). Not
     * seen: the number computed at run time (e.g. {@code VfioIoctl.io(8)}), read from a field
     * or a table, compared by a method ({@code Integer.compare}, {@code equals}), or matched by
     * parts ({@code (cmd & 0xff) == 8}); a driver that never names the request and answers it
     * from a default branch. Such a driver is still caught if it creates the struct (to call a
     * {@code get_region_info_caps}, its own or vfio-pci-core's) or uses the codec
     * ({@link #regionInfoHandling()}); one that writes every byte of the reply by hand without
     * either is not. From stage 2 on, the core consumes REGION_INFO before any driver ioctl
     * runs, so such code would be dead there.
     *
     * <p>Any comparison with 0x3b6c is flagged, whatever is compared: a device register offset
     * or value of that number would be a false positive. No stage-2 class has one: the number
     * appears there only as the core's case and as gap keys of drivers' {@code tableswitch}es.
     */
    private static BytecodeCondition regionInfoNumberUnused() {
        final int nr = VfioIoctl.VFIO_DEVICE_GET_REGION_INFO;
        final String named = "VFIO_DEVICE_GET_REGION_INFO (0x" + Integer.toHexString(nr) + ")";
        return BytecodeCondition.noInstruction("not switch on or compare with " + named, i -> {
            if (i instanceof Insn.SwitchKey && ((Insn.SwitchKey) i).key() == nr) {
                return Optional.of("has a switch case on " + named);
            }
            if (i instanceof Insn.Comparison && ((Insn.Comparison) i).hasConstantOperand(nr)) {
                return Optional.of("compares a value with " + named);
            }
            return Optional.empty();
        });
    }
}
