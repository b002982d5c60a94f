package vfiowb.common.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.rulefixture.cmdswitch.drivers.sw.SwitchingDriver;
import vfiowb.rulefixture.cmdswitch.pci.ComparingPciCore;
import vfiowb.rulefixture.handdecode.drivers.hand.ConstructingDriver;
import vfiowb.rulefixture.handdecode.drivers.hand.HandDecodingDriver;
import vfiowb.rulefixture.regioninfogood.drivers.good.ConvertedDriver;

/**
 * region-info-core-only (stage 2) on fixtures for what the stage-1 tree does not show: a driver
 * that decodes the head and encodes the reply by hand, and drivers and a vfio-pci-core that keep
 * their own case on the request number, which javac inlines; and a converted tree it passes.
 * (Its teeth on stage 1 itself are in the workbench's RuleTeethTest.)
 */
class RegionInfoCoreOnlyTeethTest {
    private static final StageRule RULE = RuleCatalogue.byId("region-info-core-only");
    private static final Pattern WHERE = Pattern.compile("\\((\\w+)\\.java:(\\d+)\\)$");

    private static RuleResult evaluate(String root) {
        JavaClasses classes = new ClassFileImporter().importPackages(root);
        return RuleEvaluator.evaluate(RULE, root, classes);
    }

    /** Each violation as "Class.member:line", the line taken from the detail. */
    private static Set<String> places(RuleResult r) {
        Set<String> out = new TreeSet<>();
        for (Violation v : r.violations()) {
            Matcher m = WHERE.matcher(v.detail());
            assertTrue(m.find(), v.detail());
            String simple = v.className().substring(v.className().lastIndexOf('.') + 1);
            assertEquals(simple, m.group(1), v.detail());
            out.add(simple + "." + v.member() + ":" + m.group(2));
        }
        return out;
    }

    private static String at(Class<?> c, String member, String marker) {
        return c.getSimpleName() + "." + member + ":" + FixtureSource.line(c, marker);
    }

    @Nested
    class HandDecodingDriver_ {
        private final RuleResult r = evaluate("vfiowb.rulefixture.handdecode");

        @Test
        void isCaughtByTheStructItBuildsByFactoryOrConstructorReference() {
            assertEquals(Set.of("drivers.hand"), r.violatingUnits());
            assertEquals(Set.of(
                    at(HandDecodingDriver.class, "handRegionInfo", "forIndex"),
                    at(ConstructingDriver.class, "maker", "constructorReference")), places(r));
        }

        @Test
        void answersTheRequestFromTheDefaultOfATableswitch() throws IOException {
            assertEquals(Opcodes.TABLESWITCH, switchOpcode(HandDecodingDriver.class, "handIoctl"));
        }

        @Test
        void onlyTheStructGivesItAway() {
            // no codec, no chain shift and no case on the number: what the rule knew before
            for (Violation v : r.violations()) {
                assertTrue(v.detail().contains("<vfiowb.common.uapi.VfioRegionInfoStruct."),
                        v.detail());
            }
        }
    }

    @Nested
    class OwnRequestCase {
        private final RuleResult r = evaluate("vfiowb.rulefixture.cmdswitch");

        @Test
        void isCaughtAsASwitchCaseOrAComparisonInDriversAndPciCore() {
            assertEquals(Set.of("drivers.sw", "pci"), r.violatingUnits());
            assertEquals(Set.of(
                    at(SwitchingDriver.class, "swIoctl", "tableswitchCase"),
                    at(SwitchingDriver.class, "swSparseIoctl", "lookupswitchCase"),
                    at(ComparingPciCore.class, "vfioPciCoreIoctl", "compare"),
                    at(ComparingPciCore.class, "constantOnTheLeft", "compareConstantFirst"),
                    at(ComparingPciCore.class, "throughLocals", "compareThroughLocals")),
                    places(r));
        }

        @Test
        void namesTheRequestAndWhatTheCodeDoesWithIt() {
            List<String> details = new ArrayList<>();
            r.violations().forEach(v -> details.add(v.detail()));
            assertTrue(details.contains("Method <" + SwitchingDriver.class.getName()
                    + ".swIoctl(java.lang.Object, int, vfiowb.common.userspace.UserBuffer)> has a "
                    + "switch case on VFIO_DEVICE_GET_REGION_INFO (0x3b6c) in (SwitchingDriver.java:"
                    + FixtureSource.line(SwitchingDriver.class, "tableswitchCase") + ")"), details.toString());
            assertTrue(details.contains("Method <" + ComparingPciCore.class.getName()
                    + ".constantOnTheLeft(int)> compares a value with VFIO_DEVICE_GET_REGION_INFO "
                    + "(0x3b6c) in (ComparingPciCore.java:"
                    + FixtureSource.line(ComparingPciCore.class, "compareConstantFirst") + ")"),
                    details.toString());
        }

        @Test
        void theFixtureHasBothKindsOfSwitch() throws IOException {
            assertEquals(Opcodes.TABLESWITCH, switchOpcode(SwitchingDriver.class, "swIoctl"));
            assertEquals(Opcodes.LOOKUPSWITCH, switchOpcode(SwitchingDriver.class, "swSparseIoctl"));
        }

        @Test
        void leavesTheCoreAlone() {
            assertFalse(r.violatingUnits().contains("core"));
        }
    }

    @Nested
    class ConvertedTree {
        @Test
        void passes() {
            RuleResult r = evaluate("vfiowb.rulefixture.regioninfogood");
            assertTrue(r.passed(), r.violations().toString());
        }

        @Test
        void holdsTheNumberOnlyAsATableswitchGapAndAsAPlainConstant() throws IOException {
            List<ScannedMethod> scan = BytecodeScanner.scan(
                    new ClassFileImporter().importClass(ConvertedDriver.class));
            assertEquals(Opcodes.TABLESWITCH, switchOpcode(ConvertedDriver.class, "goodIoctl"));
            ScannedMethod ioctl = method(scan, "goodIoctl");
            List<Integer> keys = new ArrayList<>();
            ioctl.all(Insn.SwitchKey.class).forEach(k -> keys.add(k.key()));
            assertEquals(List.of(VfioIoctl.VFIO_DEVICE_GET_INFO, VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO,
                    VfioIoctl.VFIO_DEVICE_RESET), keys);
            assertTrue(method(scan, "registerValue").all(Insn.Constant.class).stream()
                    .anyMatch(c -> c.value().equals(VfioIoctl.VFIO_DEVICE_GET_REGION_INFO)));
        }
    }

    static ScannedMethod method(List<ScannedMethod> scan, String name) {
        return scan.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    private static int switchOpcode(Class<?> c, String method) throws IOException {
        ClassNode cn = new ClassNode();
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            new ClassReader(in).accept(cn, 0);
        }
        for (MethodNode m : cn.methods) {
            if (m.name.equals(method)) {
                for (AbstractInsnNode i : m.instructions) {
                    if (i.getOpcode() == Opcodes.TABLESWITCH || i.getOpcode() == Opcodes.LOOKUPSWITCH) {
                        return i.getOpcode();
                    }
                }
            }
        }
        return -1;
    }
}
