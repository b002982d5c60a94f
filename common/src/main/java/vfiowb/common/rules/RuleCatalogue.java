package vfiowb.common.rules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget.CodeUnitCallTarget;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import vfiowb.common.Models;

/**
 * Every promise the series makes, tagged with the stage that introduces it. A stage must
 * satisfy its own rules and all earlier ones ({@link #cumulative(int)}).
 *
 * <p>Package convention inside a stage root: {@code core} (vfio_main.c and friends),
 * {@code pci} (vfio-pci-core), {@code drivers.<name>} (one package per upstream driver).
 */
public final class RuleCatalogue {
    private static final List<StageRule> RULES;

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
                "No stage reaches another stage: each is the whole tree after its patches.",
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
        r.add(new StageRule("region-info-core-only", 2,
                "No driver decodes or encodes vfio_region_info or shifts a capability chain: "
                        + "only the core (vfio_get_region_info) copies REGION_INFO to or from "
                        + "the user.",
                root -> noClasses().that().resideInAPackage(root + "..")
                        .and().resideOutsideOfPackage(root + ".core..")
                        .should().callCodeUnitWhere(regionInfoCopy())
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

    private static DescribedPredicate<JavaClass> otherStage(String root) {
        return new DescribedPredicate<JavaClass>("classes of another stage than " + root) {
            @Override
            public boolean test(JavaClass c) {
                String p = c.getPackageName();
                return p.matches("vfiowb\\.step\\d+(\\..*)?")
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
     * Calls that copy REGION_INFO between the model's kernel structure and the user's bytes:
     * the codec of {@code struct vfio_region_info} and the chain shift that only makes sense
     * right before a copy-out.
     */
    private static DescribedPredicate<JavaCall<?>> regionInfoCopy() {
        return new DescribedPredicate<JavaCall<?>>(
                "the vfio_region_info codec or vfio_info_cap_shift") {
            @Override
            public boolean test(JavaCall<?> call) {
                CodeUnitCallTarget t = call.getTarget();
                String owner = t.getOwner().getName();
                String name = t.getName();
                if (owner.equals("vfiowb.common.uapi.VfioRegionInfo")) {
                    return name.startsWith("decode") || name.startsWith("encode");
                }
                return owner.equals("vfiowb.common.uapi.VfioInfoCap")
                        && name.equals("vfioInfoCapShift");
            }
        };
    }
}
