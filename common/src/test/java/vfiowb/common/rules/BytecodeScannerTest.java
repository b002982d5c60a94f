package vfiowb.common.rules;

import static com.tngtech.archunit.lang.conditions.ArchConditions.callMethod;
import static com.tngtech.archunit.lang.conditions.ArchConditions.never;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.rulefixture.handdecode.drivers.hand.ConstructingDriver;
import vfiowb.rulefixture.handdecode.drivers.hand.HandDecodingDriver;
import vfiowb.rulefixture.pgoff.drivers.shifty.ShiftyDriver;

/**
 * The bytecode scan behind rules ArchUnit cannot express: what it records for each instruction
 * shape, what it resolves an operand to, what it documents it cannot see, and a stage-4 style
 * condition built on it (pgoff arithmetic in drivers) evaluated through ArchUnit.
 */
class BytecodeScannerTest {
    private static final long MASK_40 = (1L << 40) - 1;
    private static final List<ScannedMethod> SHIFTY = BytecodeScanner.scan(
            new ClassFileImporter().importClass(ShiftyDriver.class));

    private static ScannedMethod method(String name) {
        return named(SHIFTY, name);
    }

    private static ScannedMethod named(List<ScannedMethod> scan, String name) {
        return scan.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    private static ScannedMethod methodStartingWith(String prefix) {
        return SHIFTY.stream().filter(m -> m.name().startsWith(prefix)).findFirst().orElseThrow();
    }

    private static Insn.Shift onlyShift(ScannedMethod m) {
        List<Insn.Shift> s = m.all(Insn.Shift.class);
        assertEquals(1, s.size(), m + "");
        return s.get(0);
    }

    private static int line(String marker) {
        return FixtureSource.line(ShiftyDriver.class, marker);
    }

    @Nested
    class ShiftsAndMasks {
        @Test
        void unsignedAndSignedShiftsByAConstant() {
            Insn.Shift u = onlyShift(method("index"));
            assertEquals(Insn.ShiftOp.USHR, u.op());
            assertTrue(u.wide());
            assertTrue(u.distance().isConstant(40));
            assertTrue(u.value().derivesFromParameter(0));
            assertEquals(line("ushr40"), u.line());
            Insn.Shift s = onlyShift(method("indexSigned"));
            assertEquals(Insn.ShiftOp.SHR, s.op());
            assertTrue(s.distance().isConstant(40));
            assertEquals(line("shr40"), s.line());
        }

        @Test
        void aMaskJavacFoldedIsOneConstant() {
            List<Insn.BitOp> ands = method("inRegion").all(Insn.BitOp.class);
            assertEquals(1, ands.size());
            assertEquals(Insn.BitOpKind.AND, ands.get(0).op());
            assertTrue(ands.get(0).hasConstantOperand(MASK_40));
            assertTrue(method("inRegion").all(Insn.Shift.class).isEmpty(), "javac folded 1L << 40");
            assertEquals(line("mask40"), ands.get(0).line());
        }

        @Test
        void aMaskBuiltAtRunTimeFromConstantsIsFoldedByTheScan() {
            ScannedMethod m = method("maskBuiltAtRunTime");
            Insn.Shift shl = onlyShift(m);
            assertEquals(Insn.ShiftOp.SHL, shl.op());
            assertTrue(shl.value().isConstant(1) && shl.distance().isConstant(40));
            Insn.BitOp and = m.all(Insn.BitOp.class).get(0);
            assertTrue(and.right().isConstant(MASK_40));
            assertTrue(and.right().involvesConstant(40), "the folded mask remembers its inputs");
            assertEquals(line("runtimeMask"), and.line());
        }

        @Test
        void aShiftOfPgoffByADistanceComputedFromAConstant() {
            Insn.Shift s = onlyShift(method("vmaIndex"));
            assertTrue(s.value().derivesFromCall("vfiowb.common.mm.VmArea", "vmPgoff"));
            assertTrue(s.value().derivesFromParameter(0));
            assertFalse(s.distance().exact().isPresent());
            assertTrue(s.distance().involvesConstant(40));
            assertTrue(s.distance().derivesFromParameter(1));
            assertEquals(line("pgoffShift"), s.line());
        }

        @Test
        void anInlinedConstantInAPrivateHelperAndALambdaBody() {
            Insn.Shift h = onlyShift(method("helper"));
            assertTrue(h.distance().isConstant(40));
            assertEquals(line("helperShift"), h.line());
            Insn.Shift l = onlyShift(methodStartingWith("lambda$"));
            assertTrue(l.distance().isConstant(40));
            assertEquals(line("lambdaShift"), l.line());
        }

        @Test
        void pathsThatJoinKeepEveryConstant() {
            Insn.Shift s = onlyShift(method("maybe"));
            assertFalse(s.distance().exact().isPresent());
            assertTrue(s.distance().involvesConstant(40) && s.distance().involvesConstant(12));
        }
    }

    /** The limits the scanner's Javadoc states, pinned so a change to them is noticed. */
    @Nested
    class WhatItCannotSee {
        @Test
        void aDistanceReadFromAFieldIsTheFieldNotItsValue() {
            Insn.Shift s = onlyShift(method("throughField"));
            assertTrue(s.distance().derivesFromField(ShiftyDriver.class.getName(), "runtimeShift"));
            assertFalse(s.distance().involvesConstant(40));
        }

        @Test
        void aHelpersParameterDoesNotKnowItsCallersArgument() {
            Insn.Shift s = onlyShift(method("shiftBy"));
            assertTrue(s.distance().derivesFromParameter(1));
            assertFalse(s.distance().involvesConstant(40));
            Insn.Call call = method("throughParameter").all(Insn.Call.class).get(0);
            assertTrue(call.arguments().get(1).isConstant(40), "the caller's argument is recorded");
        }
    }

    @Nested
    class Calls {
        @Test
        void aCallRecordsItsArgumentsAndTheirSources() {
            List<ScannedMethod> scan = BytecodeScanner.scan(
                    new ClassFileImporter().importClass(HandDecodingDriver.class));
            Insn.Call forIndex = named(scan, "handRegionInfo")
                    .all(Insn.Call.class).stream()
                    .filter(c -> c.target().is("vfiowb.common.uapi.VfioRegionInfoStruct", "forIndex"))
                    .findFirst().orElseThrow();
            assertFalse(forIndex.reference());
            assertEquals(1, forIndex.arguments().size());
            assertTrue(forIndex.arguments().get(0).derivesFromCall("vfiowb.common.uapi.LE", "getU32"));
            assertTrue(forIndex.arguments().get(0).involvesConstant(8), "the index's offset");
        }

        @Test
        void aConstructorReferenceIsACallByReference() {
            List<ScannedMethod> scan = BytecodeScanner.scan(
                    new ClassFileImporter().importClass(ConstructingDriver.class));
            List<Insn.Call> refs = named(scan, "maker")
                    .all(Insn.Call.class);
            assertEquals(1, refs.size());
            assertTrue(refs.get(0).reference());
            assertTrue(refs.get(0).target().is("vfiowb.common.uapi.VfioRegionInfoStruct", "<init>"));
        }
    }

    /**
     * What stage 4's promise will look like on top of the scan: no driver derives a region index
     * or an in-region offset from a file offset or pgoff with the 40-bit layout.
     */
    @Nested
    class AsAnArchUnitCondition {
        private final BytecodeCondition noPgoffArithmetic = BytecodeCondition.noInstruction(
                "not shift or mask with the 40-bit offset layout", i -> {
                    if (i instanceof Insn.Shift && ((Insn.Shift) i).distance().involvesConstant(40)) {
                        return Optional.of("shifts " + i);
                    }
                    if (i instanceof Insn.BitOp && ((Insn.BitOp) i).op() == Insn.BitOpKind.AND
                            && ((Insn.BitOp) i).hasConstantOperand(MASK_40)) {
                        return Optional.of("masks " + i);
                    }
                    return Optional.empty();
                });
        private final StageRule rule = new StageRule("test-no-pgoff-arithmetic", 4,
                "no driver shifts or masks with the 40-bit layout",
                root -> classes().that().resideInAPackage(root + ".drivers..")
                        .should(noPgoffArithmetic));
        private final String root = "vfiowb.rulefixture.pgoff";
        private final JavaClasses classes = new ClassFileImporter().importPackages(root);

        @Test
        void namesClassMethodAndLineOfEveryShapeItCanSee() {
            RuleResult r = RuleEvaluator.evaluate(rule, root, classes);
            Set<String> got = r.violations().stream()
                    .map(v -> v.member().replaceAll("\\$\\d+$", "") + ":"
                            + v.detail().replaceAll(".*ShiftyDriver\\.java:(\\d+)\\)$", "$1"))
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> want = new TreeSet<>(List.of("index:" + line("ushr40"),
                    "indexSigned:" + line("shr40"), "inRegion:" + line("mask40"),
                    "vmaIndex:" + line("pgoffShift"), "helper:" + line("helperShift"),
                    "lambda$static:" + line("lambdaShift"),
                    "maskBuiltAtRunTime:" + line("runtimeShl"),
                    "maskBuiltAtRunTime:" + line("runtimeMask"), "maybe:" + line("joinedShift")));
            assertEquals(want, got);
            assertEquals(Set.of("drivers.shifty"), r.violatingUnits());
            assertTrue(r.violations().stream().allMatch(v -> v.className()
                    .equals(ShiftyDriver.class.getName())));
        }

        @Test
        void theDetailReadsLikeArchUnits() {
            RuleResult r = RuleEvaluator.evaluate(rule, root, classes);
            assertTrue(r.violations().stream().anyMatch(v -> v.detail().equals("Method <"
                    + ShiftyDriver.class.getName() + ".vmaIndex(vfiowb.common.mm.VmArea, int)> "
                    + "shifts f(vfiowb.common.mm.VmArea.vmPgoff(), parameter 0) >>> "
                    + "f(40, parameter 1) in (ShiftyDriver.java:" + line("pgoffShift") + ")")),
                    r.violations().toString());
        }

        @Test
        void combinesWithArchUnitsOwnConditions() {
            StageRule both = new StageRule("test-both", 4, "both",
                    root -> classes().that().resideInAPackage(root + ".drivers..")
                            .should(noPgoffArithmetic.and(
                                    never(callMethod("vfiowb.common.mm.VmArea", "vmPgoff")))));
            RuleResult r = RuleEvaluator.evaluate(both, root, classes);
            assertEquals(10, r.violations().size(), r.violations().toString());
            assertTrue(r.violations().stream().anyMatch(v -> v.member().equals("vmaIndex")
                    && v.detail().contains("calls method <vfiowb.common.mm.VmArea.vmPgoff()>")));
        }
    }

    @Test
    void aClassFileThatIsNotOneIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> BytecodeScanner.scan(new byte[] {1, 2}));
    }
}
