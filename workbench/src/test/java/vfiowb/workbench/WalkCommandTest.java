package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vfiowb.common.trace.KernelProbe;

/** walk: narration, kernel paths, mappings, the three formats, the comparison with the stage before. */
class WalkCommandTest {
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static Map<String, Object> firstCall(List<Map<String, Object>> calls, String textStart) {
        return calls.stream().filter(c -> ((String) c.get("text")).startsWith(textStart))
                .findFirst().orElseThrow(() -> new AssertionError("no call " + textStart));
    }

    private static int indent(String out, String function) {
        for (String l : out.split("\n")) {
            if (l.stripLeading().startsWith(function + " ")) {
                return l.length() - l.stripLeading().length();
            }
        }
        throw new AssertionError("no line for " + function);
    }

    @Nested
    class Text {
        @Test
        void everyCallWithItsKernelFunctionsAndTheDriverReached() {
            Cli.Result r = Cli.run("walk", "--stage", "2", "--no-compare");
            assertEquals(0, r.code(), r.err());
            String o = r.out();
            assertTrue(o.contains("[1] open(\"nic-vf\") = 3\n"), o);
            assertTrue(o.contains("ioctl(3, VFIO_DEVICE_GET_REGION_INFO, {argsz=32, index=0}) = 0 -> "
                    + "{argsz=40, flags=READ|WRITE|MMAP|CAPS, index=0, cap_offset=0, size=0x10000, "
                    + "offset=0x0}"), o);
            assertTrue(o.contains("ioctl(3, VFIO_DEVICE_GET_REGION_INFO, {argsz=40, index=0}) = 0 -> "
                    + "{argsz=40, flags=READ|WRITE|MMAP|CAPS, index=0, cap_offset=32, size=0x10000, "
                    + "offset=0x0, caps=[MSIX_MAPPABLE]}"), o);
            assertTrue(indent(o, "vfio_pci_ioctl_get_region_info") > indent(o, "vfio_get_region_info"));
            assertTrue(indent(o, "vfio_get_region_info") > indent(o, "vfio_device_fops_unl_ioctl"));
            assertTrue(o.contains("driver reached: vfio_pci_ioctl_get_region_info (vfio_pci_ops), called by "
                    + "vfio_get_region_info\n"), o);
            assertTrue(o.contains("driver reached: vfio_pci_core_mmap (vfio_pci_ops)"), o);
            assertTrue(o.contains("driver reached: vfio_pci_mmap_huge_fault (vfio_pci_ops)"), o);
            assertTrue(o.contains("vmf_insert_pfn "), "the fault's insert is narrated");
            assertTrue(o.contains("pread(3, [86 80 4c 15"), "config space read, vendor 8086 device 154c");
            assertTrue(o.contains(" /* CONFIG+0x0 */"), o);
            assertTrue(o.contains("mmap(NULL, 0x20000, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0x0) = 0x"),
                    "QEMU reserves an aligned window first: " + o);
            assertTrue(o.contains("MAP_SHARED|MAP_FIXED, 3, 0x0 /* BAR0+0x0 */) = 0x"), o);
            assertTrue(o.contains("map 2: pgprot UC (UC-), page tables: no entries"), o);
            assertTrue(o.contains("map 2: pgprot UC (UC-), page tables: PTE 1, PMD 0, PUD 0"), o);
            assertTrue(o.contains("the client finished."), o);
            assertTrue(o.contains("the client's own account (what it saw and decided):\n  open nic-vf -> ok"), o);
            assertTrue(o.contains("mappings at the end:\n  map 2  0x"), o);
            assertFalse(o.contains("  map 1  0x"), "the trimmed reservation is gone");
            assertFalse(o.contains("compared with stage"), "--no-compare");
        }

        @Test
        void memoryTypesAreTheArchitectures() {
            Cli.Result r = Cli.run("walk", "--stage", "2", "--arch", "arm64", "--no-compare");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("pgprot UC (Device-nGnRnE)"), r.out());
            assertTrue(r.out().contains("on arm64\n"), r.out());
        }

        @Test
        void on32BitQemuFallsBackWhenMmapOfAHighRegionOverflows() {
            Cli.Result r = Cli.run("walk", "--stage", "2", "--arch", "i386", "--no-compare");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("0x30000000000 /* BAR3+0x0 */) = -1 EOVERFLOW"), r.out());
            assertTrue(r.out().contains("the client finished."), "QEMU degrades to the slow path");
        }

        @Test
        void theDpdkClientEnablesMemoryAndResets() {
            Cli.Result r = Cli.run("walk", "--stage", "2", "--client", "dpdk", "--no-compare");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("ioctl(3, VFIO_DEVICE_RESET, 0) = 0"), r.out());
            assertTrue(r.out().contains("pwrite(3, [06 00], 2, 0x70000000004 /* CONFIG+0x4 */) = 2"),
                    r.out());
            assertTrue(r.out().contains("vfio_pci_ioctl_reset"), r.out());
            assertTrue(r.out().contains("vfio_pci_zap_bars"), "reset zaps the BAR mappings");
        }

        @Test
        void aSysfsFunctionCanBeWalked(@TempDir Path tmp) throws Exception {
            Path dir = SysfsFixtures.copy("x710-vf", tmp);
            Cli.Result r = Cli.run("walk", "--stage", "2", "--sysfs", dir.toString(), "--no-compare");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith("walk: qemu client on x710-vf (vfio-pci, vfio_pci_ops)"), r.out());
        }
    }

    @Nested
    class Json {
        @Test
        void callsCarryArgumentsResultsKernelPathsAndMappingState() {
            Cli.Result r = Cli.run("walk", "--stage", "2", "--format", "json", "--no-compare");
            assertEquals(0, r.code(), r.err());
            Map<String, Object> j = r.json();
            assertEquals("qemu", j.get("client"));
            assertEquals("nic-vf", j.get("device"));
            assertEquals("vfio_pci_ops", j.get("opsTable"));
            assertEquals(2L, j.get("stage"));
            assertEquals("x86_64", j.get("arch"));
            assertEquals(null, j.get("clientError"));
            List<Map<String, Object>> calls = list(j.get("calls"));
            Map<String, Object> ri = firstCall(calls, "ioctl(3, VFIO_DEVICE_GET_REGION_INFO, {argsz=40");
            Map<String, Object> args = map(ri.get("args"));
            assertEquals("VFIO_DEVICE_GET_REGION_INFO", args.get("request"));
            assertEquals(15212L, args.get("requestNumber"));
            assertEquals(Map.of("argsz", 40L, "index", 0L), args.get("arg"));
            assertEquals(0L, ri.get("result"));
            Map<String, Object> reply = map(ri.get("reply"));
            assertEquals("0x10000", reply.get("size"));
            assertEquals("MSIX_MAPPABLE", list(reply.get("caps")).get(0).get("name"));
            assertEquals("vfio_pci_ioctl_get_region_info", map(ri.get("driver")).get("function"));
            assertEquals("drivers/vfio/pci/vfio_pci_core.c", map(ri.get("driver")).get("file"));
            assertEquals("vfio_get_region_info", map(ri.get("driver")).get("calledBy"));
            List<Map<String, Object>> kernel = list(ri.get("kernel"));
            assertEquals(Map.of("depth", 0L, "function", "sys_ioctl", "file", "fs/ioctl.c"), kernel.get(0));
            assertTrue(kernel.stream().anyMatch(k -> k.get("function").equals("copy_to_user")));
            Map<String, Object> load = calls.stream().filter(c -> c.get("call").equals("load"))
                    .findFirst().orElseThrow();
            assertEquals("0x0", load.get("value"));
            assertEquals(Map.of("PTE", 1L, "PMD", 0L, "PUD", 0L), map(load.get("mapping")).get("pageTable"));
            assertEquals("UC", map(load.get("mapping")).get("pgprot"));
            List<Map<String, Object>> maps = list(j.get("mappings"));
            assertEquals("BAR0+0x0", maps.get(0).get("region"));
            assertEquals("UC-", maps.get(0).get("memoryType"));
            assertNotNull(calls.get(0).get("normalized"));
        }

        @Test
        void failedCallsCarryTheErrno() {
            Cli.Result r = Cli.run("walk", "--stage", "2", "--format", "json", "--arch", "i386", "--no-compare");
            Map<String, Object> mmap = list(r.json().get("calls")).stream()
                    .filter(c -> c.get("call").equals("mmap") && c.containsKey("errno")).findFirst()
                    .orElseThrow();
            assertEquals(75L, mmap.get("errno"));
            assertEquals("EOVERFLOW", mmap.get("name"));
            assertEquals("BAR3+0x0", map(mmap.get("args")).get("region"));
        }
    }

    @Nested
    class Markdown {
        @Test
        void aTableOfCallsKernelPathsAndMappings() {
            Cli.Result r = Cli.run("walk", "--stage", "2", "--format", "markdown", "--no-compare");
            assertEquals(0, r.code(), r.err());
            String o = r.out();
            assertTrue(o.startsWith("## walk: qemu client on nic-vf"), o);
            assertTrue(o.contains("| # | call | driver reached |\n|---|------|----------------|\n"), o);
            assertTrue(o.contains("| `vfio_pci_ioctl_get_region_info` |"), o);
            assertTrue(o.contains("### Kernel paths"), o);
            assertTrue(o.contains("```\nsys_ioctl "), o);
            assertTrue(o.contains("| map | address | region | pgprot | page-table entries |"), o);
            assertEquals(1, o.split("```", -1).length % 2, "fences are balanced");
        }
    }

    @Nested
    class ComparedWithThePreviousStage {
        @Test
        void aStageThatRefusesAMappingShowsTheDifference() {
            try (ExtraStages x = ExtraStages.with(ExtraStages.NextStage.class)) {
                int prev = ExtraStages.last() - 1;
                Cli.Result r = Cli.run("walk");
                assertEquals(0, r.code(), r.err());
                String o = r.out();
                assertTrue(o.contains("compared with stage " + prev + ":\n"), o);
                assertTrue(o.contains("  userspace transcript (regions by index, no addresses):"), o);
                assertTrue(o.contains("    - mmap(inside map 3, 0x4000, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED, 3, "
                        + "BAR3+0x0) = map 4 [UC, no entries]"), o);
                assertTrue(o.contains("    + mmap(inside map 3, 0x4000, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED, 3, "
                        + "BAR3+0x0) = -1 ENXIO"), o);
                assertTrue(o.contains("    - load(map 4+0x0, 4) = 0x0 [UC, PTE 1, PMD 0, PUD 0]"), o);
                assertTrue(o.contains("    + pread(3, [00 00 00 00], 4, BAR3+0x0) = 4"),
                        "QEMU falls back to the slow path: " + o);
                assertFalse(o.contains("+ open("), "identical calls are not listed");

                Map<String, Object> prevJson = map(Cli.run("walk", "--format", "json").json().get("previous"));
                assertEquals((long) prev, prevJson.get("stage"));
                assertEquals(Boolean.TRUE, prevJson.get("differs"));
                assertEquals(null, prevJson.get("note"));
                List<Map<String, Object>> us = list(prevJson.get("userspace"));
                assertTrue(us.contains(Map.of("op", "+", "line", "mmap(inside map 3, 0x4000, PROT_READ|PROT_WRITE, "
                        + "MAP_SHARED|MAP_FIXED, 3, BAR3+0x0) = -1 ENXIO")), us.toString());
                assertTrue(list(prevJson.get("kernel")).isEmpty(), "calls made alike go the same way");
            }
        }

        @Test
        void theSameStageTwiceDoesNotDiffer() {
            Cli.Result r = Cli.run("walk", "--format", "json");
            Map<String, Object> prev = map(r.json().get("previous"));
            assertEquals((long) ExtraStages.last() - 1, prev.get("stage"));
            if (prev.get("note") == null) {
                assertNotNull(prev.get("differs"));
            } else {
                assertEquals(Boolean.FALSE, prev.get("differs"));
                assertTrue(((String) prev.get("note")).startsWith("stage "), prev.toString());
            }
        }
    }

    @Nested
    class MapleTree {
        @Test
        void aStageWhoseFilesHoldATreeShowsItBeforeAndAfterEachCall() {
            try (ExtraStages x = ExtraStages.with(ExtraStages.MapleStage.class)) {
                Cli.Result r = Cli.run("walk", "--no-compare");
                assertEquals(0, r.code(), r.err());
                assertTrue(r.out().contains("      maple tree now: maple[0]\n"),
                        "the BAR0 mapping enters the tree: " + r.out());
                assertTrue(r.out().contains("      maple tree now: maple[0, 805306368]\n"),
                        "then BAR3's page offset, 3 << 40 >> 12");
                assertEquals(3, r.out().split("maple tree now", -1).length - 1,
                        "shown after open, then only when a call changed it");
                Map<String, Object> ri = list(Cli.run("walk", "--no-compare", "--format", "json").json()
                        .get("calls")).get(1);
                assertEquals("maple[]", ri.get("mapleBefore"));
                assertEquals("maple[]", ri.get("mapleAfter"));
            }
        }

        @Test
        void stagesWithoutATreeShowNone() {
            Cli.Result r = Cli.run("walk", "--stage", "2", "--no-compare", "--format", "json");
            assertTrue(list(r.json().get("calls")).stream().noneMatch(c -> c.containsKey("mapleBefore")));
            assertFalse(Cli.run("walk", "--stage", "2", "--no-compare").out().contains("maple tree"));
        }

        @Test
        void stageThreeShowsEachCookiePlacedAndWhatEveryOffsetResolvedTo() {
            Cli.Result r = Cli.run("walk", "--stage", "3", "--no-compare", "--policy",
                    "layout=packed,create=region-info");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("cookie: placed VfioPciMmap[region 0, pgoff 0x10+0x10"),
                    "BAR0's 64 KiB cookie, aligned to 64 KiB above page 0: " + r.out());
            assertTrue(r.out().contains("cookie: REGION_INFO 0 -> VfioPciMmap[region 0"));
            assertTrue(r.out().contains("(the file's)"), "asked again, the same cookie");
            assertTrue(r.out().contains("cookie: read resolved to VfioPciMmap[region 7"));
            assertTrue(r.out().contains("cookie: mmap resolved to VfioPciMmap[region 0"));
            assertTrue(r.out().contains("maple tree now: mmap_mt (keys in pages): MapleTree[[0x10-0x20]"),
                    "BAR0 and its guard page");
            Map<String, Object> ri = list(Cli.run("walk", "--stage", "3", "--no-compare",
                    "--format", "json").json().get("calls")).get(2);
            assertTrue(String.valueOf(ri.get("cookies")).contains("REGION_INFO 0"), ri.toString());
        }
    }

    @Nested
    class Errors {
        @Test
        void aStageWithoutADriverForTheDeviceIsAUserError() {
            try (ExtraStages x = ExtraStages.with(ExtraStages.BadStage.class)) {
                Cli.Result r = Cli.run("walk", "--stage", "40");
                assertEquals(2, r.code());
                assertEquals("vfio-workbench walk: stage 40 cannot bind nic-vf: the bad stage models no "
                        + "driver\n", r.err());
            }
        }

        @Test
        void aModelBugEndsTheNarrationThereAndExitsThree() {
            try (ExtraStages x = ExtraStages.with(ExtraStages.NextStage.class)) {
                ExtraStages.NextStage.buggy = true;
                Cli.Result r = Cli.run("walk");
                assertEquals(3, r.code());
                assertTrue(r.out().contains("BAR3+0x0 */) = model bug: java.lang.IllegalStateException: test "
                        + "driver bug"), r.out());
                assertTrue(r.out().contains("the client gave up: the model broke: "
                        + "java.lang.IllegalStateException: test driver bug"), r.out());
                assertFalse(r.out().contains("compared with"), "no comparison after a bug");
                assertTrue(r.err().startsWith("vfio-workbench walk: internal error (a bug in the model; the "
                        + "narration above stops there): java.lang.IllegalStateException: test driver bug at "), r.err());
                assertTrue(r.oneErrorLine(), r.err());
            }
        }

        @Test
        void unknownClient() {
            Cli.Result r = Cli.run("walk", "--client", "spdk");
            assertEquals(2, r.code());
            assertEquals("vfio-workbench walk: unknown client 'spdk' (qemu, dpdk)\n", r.err());
        }

        @Test
        void oneDeviceOnly() {
            Cli.Result r = Cli.run("walk", "--device", "nic-vf", "--device", "legacy-b0");
            assertEquals(2, r.code());
            assertTrue(r.err().contains("name one device, not 2"), r.err());
        }

        @Test
        void theKernelProbeIsRemovedAfterTheWalk() {
            assertEquals(0, Cli.run("walk", "--no-compare").code());
            assertFalse(KernelProbe.active());
        }
    }
}
