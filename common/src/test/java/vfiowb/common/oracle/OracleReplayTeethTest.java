package vfiowb.common.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import vfiowb.common.conformance.FakeVfioPciStage;
import vfiowb.common.conformance.FakeVfioPciStage.Fault;

/**
 * The replay finds what it claims to compare: a vfio-pci with one planted kernel-rule violation
 * shows new differences exactly where the transcripts record that rule. The suite's own fake
 * vfio-pci has a layout of its own (region {@code i} at {@code (i + 1) << 32}), so these runs
 * also show the replay addresses regions through the model's REGION_INFO, not the 40-bit layout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OracleReplayTeethTest {
    private OracleTranscript virtio;
    private List<Difference> clean;

    @BeforeAll
    void replayTheCleanFake() {
        virtio = OracleTranscript.load("virtio-net-pci-transitional");
        clean = OracleReplay.run(new FakeVfioPciStage(), virtio).differences();
    }

    /** Differences the planted fault adds to the clean fake's. */
    private List<Difference> added(Fault fault) {
        List<Difference> out = new ArrayList<>(OracleReplay.run(new FakeVfioPciStage(Set.of(fault), Set.of()), virtio)
                .differences());
        out.removeAll(clean);
        return out;
    }

    private static boolean any(List<Difference> ds, Predicate<Difference> p) {
        return ds.stream().anyMatch(p);
    }

    /**
     * The fake is no faithful 6.12 (its GET_INFO, IRQ_INFO and ROM differ), but every read,
     * write and mapping of a BAR or config space agrees: the replay found each region at the
     * fake's own offsets.
     */
    @Test
    void aDifferentLayoutStillReachesEveryRegion() {
        List<Difference> access = clean.stream().filter(d -> Set.of("pread", "pwrite", "mmap").contains(d.op())).toList();
        assertTrue(access.stream().allMatch(d -> d.label().startsWith("index=6 ")), access::toString);
        assertTrue(clean.stream().noneMatch(d -> d.op().startsWith("mem_experiment")), clean::toString);
    }

    @Test
    void regionInfoArgszBelow32ShowsAsAResultDifference() {
        List<Difference> ds = added(Fault.ARGSZ_UNCHECKED);
        for (int argsz : new int[] {0, 16, 31}) {
            assertTrue(any(ds, d -> d.op().equals("region_info") && d.label().equals("index=4 argsz=" + argsz + " fill=0xa5")
                    && d.field().equals("result") && d.expected().equals("EINVAL")), ds::toString);
        }
        assertTrue(ds.stream().allMatch(d -> d.op().equals("region_info")), ds::toString);
    }

    @Test
    void theMsixTableReadThroughShowsAsKernelDecidedData() {
        List<Difference> ds = added(Fault.MSIX_TABLE_EXPOSED);
        assertTrue(any(ds, d -> d.op().equals("pread") && d.label().equals("index=1 bar_msix_table_4")
                && d.field().equals("data [0, 4) at region offset 0x0, kernel bits ffffffff")
                && d.expected().equals("ffffffff")), ds::toString);
        assertTrue(any(ds, d -> d.label().equals("index=1 mem_disabled_msix_table_4")), ds::toString);
    }

    @Test
    void memoryDecodeIgnoredShowsInReadsAndMappings() {
        List<Difference> ds = added(Fault.MEMORY_DISABLE_IGNORED);
        assertTrue(any(ds, d -> d.label().equals("index=4 mem_disabled_bar_4") && d.field().equals("result")
                && d.expected().equals("EIO") && d.actual().equals("ok (ret 4)")), ds::toString);
        assertTrue(any(ds, d -> d.op().equals("mem_experiment_existing_map_read") && d.field().equals("load at 0x0")
                && d.expected().equals("SIGBUS")), ds::toString);
        assertTrue(any(ds, d -> d.label().equals("index=4 mem_disabled_new_map")
                && d.field().equals("load at 0x0") && d.expected().equals("SIGBUS")), ds::toString);
    }

    @Test
    void aPrivateMappingAcceptedShowsAsAnMmapResult() {
        List<Difference> ds = added(Fault.ACCEPT_PRIVATE);
        assertTrue(any(ds, d -> d.op().equals("mmap") && d.label().equals("index=4 private_whole")
                && d.field().equals("result") && d.expected().equals("EINVAL") && d.actual().equals("mapped")),
                ds::toString);
    }

    @Test
    void capabilityBytesAreComparedPastTheStruct() {
        List<Difference> ds = added(Fault.NO_CAPS_FLAG);
        assertTrue(any(ds, d -> d.label().equals("index=1 argsz=40 fill=0x0") && d.field().equals("flags")
                && d.expected().equals("0xf") && d.actual().equals("0x7")), ds::toString);
        List<Difference> past = added(Fault.COPY_CAPS_PAST_ARGSZ);
        assertTrue(any(past, d -> d.label().equals("index=1 argsz=32 fill=0xa5")
                && d.field().equals("bytes [32, 40)") && d.expected().equals("a5a5a5a5a5a5a5a5")), past::toString);
        assertTrue(any(past, d -> d.label().equals("index=1 argsz=32 fill=0xa5")
                && d.field().equals("last_changed_byte (offset field excluded)") && d.expected().equals("23")
                && d.actual().equals("39")), past::toString);
    }

    @Test
    void aDeclaredDifferenceMatchesOnlyItsExactValues() {
        Difference d = new Difference("rtl8139", 22, "irq_info", "index=2 argsz=16", "flags", "0x9", "0x1");
        DeclaredDifference x = new DeclaredDifference(List.of("rtl8139"), "irq_info", "index=2 *", "flags",
                "0x9", "0x1", "why", "abc");
        assertTrue(x.matches(d));
        assertTrue(!x.matches(new Difference("rtl8139", 22, "irq_info", "index=2 argsz=16", "flags", "0x9", "0x3")));
        assertTrue(!x.matches(new Difference("pci-testdev", 22, "irq_info", "index=2 argsz=16", "flags", "0x9", "0x1")));
        assertTrue(!x.matches(new Difference("rtl8139", 22, "irq_info", "index=20 argsz=16", "flags", "0x9", "0x1")),
                "the glob's text around * is literal");
        assertTrue(new DeclaredDifference(List.of("rtl8139"), "irq_info", "*", "flags", "0x9", "0x1", "why", "abc")
                .matches(d), "* matches any label");
        assertTrue(!new DeclaredDifference(List.of("rtl8139"), "irq_info", "index=2", "flags", "0x9", "0x1", "why",
                "abc").matches(d), "without * the label must be equal");
        assertEquals(List.of(), OracleDifferences.undeclared(List.of(d), List.of(x)));
        assertEquals(List.of(d), OracleDifferences.undeclared(List.of(d), List.of()));
        assertEquals(List.of(), OracleDifferences.stale(java.util.Map.of("rtl8139", List.of(d)), List.of(x)));
        assertEquals(List.of("rtl8139: " + x), OracleDifferences.stale(java.util.Map.of("rtl8139", List.of()), List.of(x)));
    }

    @Test
    void everyDeclaredDifferenceHasItsReasonAndCommit() {
        for (DeclaredDifference x : OracleDifferences.DECLARED) {
            assertTrue(x.modelBug() || x.upstream().matches("[0-9a-f]{12,40} \\(\".+\"\\)"),
                    "upstream is a commit id with its subject, or the model-bug marker: " + x);
        }
    }
}
