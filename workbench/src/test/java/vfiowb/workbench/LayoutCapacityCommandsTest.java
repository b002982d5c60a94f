package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.Stages;
import vfiowb.workbench.capacity.Bytes;
import vfiowb.workbench.capacity.Capacity;
import vfiowb.workbench.capacity.PageTables;
import vfiowb.workbench.capacity.Policies;

/** layout and capacity on the command line: content, JSON, SVG, exit codes. */
class LayoutCapacityCommandsTest {
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static int last() {
        List<Stage> all = Stages.all();
        return all.get(all.size() - 1).number();
    }

    @Nested
    class Layout {
        @Test
        void stageTwoShowsTheFixedSlotsAndWhereATwoTibBarDoesNotFit() {
            Cli.Result r = Cli.run("layout", "--stage", "2", "--device", "cxl-2t");
            assertEquals(0, r.code(), r.err());
            String o = r.out();
            assertTrue(o.startsWith("pgoff space of cxl-2t's file at stage 2 (step2-driver-conversions)"
                    + " on x86_64, policy default\n"), o);
            assertTrue(o.contains("  fixed layout: region i at i << 40\n"), o);
            assertTrue(o.contains("  2     BAR2       0x20000000000      0x40000000000      2 TiB"), o);
            assertTrue(o.contains("        gap        0x10000            0x20000000000      2 TiB - 64 KiB\n"), o);
            assertTrue(o.contains("  BAR2: read/write reach 1 TiB of 2 TiB (EINVAL at 0x10000000000)\n"), o);
            assertTrue(o.contains("  BAR2 runs past BAR3's offset 0x30000000000 (by 1 TiB)\n"), o);
            assertTrue(o.contains("  REGION_INFO failed: VGA EINVAL\n"), o);
        }

        @Test
        void jsonHasTheDocumentedFieldsAndTheSameNumbers() {
            Cli.Result r = Cli.run("layout", "--stage", "2", "--device", "cxl-2t", "--format", "json");
            assertEquals(0, r.code(), r.err());
            Map<String, Object> j = r.json();
            assertEquals("x86_64", j.get("arch"));
            Map<String, Object> l = list(j.get("layouts")).get(0);
            assertTrue(l.keySet().containsAll(List.of("stage", "module", "arch", "policy", "device",
                    "driver", "opsTable", "error", "slotShift", "offSlot", "extent", "regionBytes",
                    "gapBytes", "cookieRanges", "regions", "segments", "overlaps")), l.keySet().toString());
            assertEquals(40L, l.get("slotShift"));
            assertEquals("0x70000001000", l.get("extent"));
            Map<String, Object> bar2 = list(l.get("regions")).get(2);
            assertEquals("0x20000000000", bar2.get("size"));
            Map<String, Object> rw = map(bar2.get("rw"));
            assertEquals("part", rw.get("kind"));
            assertEquals("0x10000000000", rw.get("bytes"));
            Map<String, Object> v = list(l.get("overlaps")).get(0);
            assertEquals(List.of(2L, 3L, "0x30000000000"), List.of(v.get("index"), v.get("into"), v.get("at")));
            assertEquals("EINVAL", list(l.get("regions")).get(8).get("errno"));
        }

        @Test
        void theCookieStagesDependOnThePolicyAndShowTheTree() {
            int s = Stages.all().stream().filter(x -> x.policyKnobs().contains("layout"))
                    .findFirst().orElseThrow().number();
            Cli.Result packed = Cli.run("layout", "--stage", String.valueOf(s), "--device", "nic-vf",
                    "--policy", "layout=packed");
            assertEquals(0, packed.code(), packed.err());
            assertTrue(packed.out().contains("policy layout=packed\n"), packed.out());
            assertTrue(packed.out().contains("  no fixed slots: each region placed by the layout policy\n"),
                    packed.out());
            assertTrue(packed.out().contains("        gap        0x0                0x1000             4 KiB\n"),
                    "page 0 is never a cookie: " + packed.out());
            assertTrue(packed.out().contains("the file's cookie tree holds "), packed.out());
        }

        @Test
        void onI386TheLegacyLayoutCannotMapPastFourGib() {
            Cli.Result r = Cli.run("layout", "--stage", "1", "--device", "nic-vf", "--arch", "i386");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("  BAR3: mmap reaches none (EOVERFLOW at +0x0)\n"), r.out());
        }

        @Test
        void stageAllShowsEveryStageOnTheClassPathIncludingOnesAddedLater() {
            try (ExtraStages x = ExtraStages.with(ExtraStages.NextStage.class)) {
                int next = ExtraStages.last();
                Cli.Result r = Cli.run("layout", "--stage", "all", "--device", "nic-vf", "--format", "json");
                assertEquals(0, r.code(), r.err());
                List<Map<String, Object>> ls = list(r.json().get("layouts"));
                assertEquals(Stages.all().stream().map(s -> (long) s.number()).toList(),
                        ls.stream().map(l -> l.get("stage")).toList());
                Map<String, Object> bar3 = list(ls.get(ls.size() - 1).get("regions")).get(3);
                assertEquals((long) next, ls.get(ls.size() - 1).get("stage"));
                assertEquals("none", map(bar3.get("mmap")).get("kind"), "the test stage refuses it");
                assertTrue(map(bar3.get("mmap")).get("detail").toString().startsWith("ENXIO"));
            }
        }

        @Test
        void svgIsWrittenAndSaysWhatTheTableSays(@TempDir Path dir) throws Exception {
            Path f = dir.resolve("cxl.svg");
            Cli.Result r = Cli.run("layout", "--stage", "2", "--device", "cxl-2t", "--device", "nic-vf",
                    "--svg", f.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().endsWith("picture written to " + f + "\n"), r.out());
            String svg = Files.readString(f);
            assertTrue(svg.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "), svg);
            org.w3c.dom.Element root = vfiowb.workbench.capacity.LayoutSvgTestAccess.parse(svg);
            String texts = String.join("\n", vfiowb.workbench.capacity.LayoutSvgTestAccess.texts(root));
            assertTrue(texts.contains("cxl-2t: stage 2 (step2-driver-conversions), x86_64, policy default"), texts);
            assertTrue(texts.contains("nic-vf: stage 2 (step2-driver-conversions), x86_64, policy default"), texts);
            assertTrue(texts.contains("gap 2 TiB - 64 KiB"), texts);
        }
    }

    @Nested
    class CapacityCmd {
        @Test
        void textShowsReachPgoffSpaceAndEntriesPerStageAndPolicy() {
            Cli.Result r = Cli.run("capacity", "--device", "ivshmem-1t", "--device", "cxl-2t");
            assertEquals(0, r.code(), r.err());
            String o = r.out();
            assertTrue(o.startsWith("capacity on x86_64: entries when every page is touched; minimum = "
                    + "the size in 1 GiB PUD, then 2 MiB PMD, then 4 KiB PTE entries\n"), o);
            for (Stage s : Stages.all()) {
                assertTrue(o.contains("\nstage " + s.number() + " (" + s.module() + ")\n"), o);
            }
            assertTrue(o.contains("524288*"), "placement=pmd: " + o);
            assertTrue(o.contains("  stage 2 default cxl-2t BAR2: read/write 1 TiB of 2 TiB (EINVAL at "
                    + "0x10000000000)\n"), o);
            assertTrue(o.contains("* partly counted from identical pieces"), o);
        }

        @Test
        void theJsonIsWhatTheJavaApiComputes() {
            Cli.Result r = Cli.run("capacity", "--device", "nic-vf", "--arch", "arm64", "--stage", "all",
                    "--policy", "layout=packed", "--policy", "placement=page", "--format", "json");
            assertEquals(0, r.code(), r.err());
            Capacity.Table t = Capacity.compute(Arch.ARM64_4K,
                    List.of(DeviceCatalogue.byName("nic-vf").orElseThrow()), Stages.all(),
                    List.of(SeriesPolicy.parse("layout=packed"), SeriesPolicy.parse("placement=page")));
            Map<String, Object> j = r.json();
            assertEquals("arm64", j.get("arch"));
            List<Map<String, Object>> rows = list(j.get("rows"));
            assertEquals(t.rows().size(), rows.size());
            for (int i = 0; i < rows.size(); i++) {
                Capacity.Row want = t.rows().get(i);
                Map<String, Object> got = rows.get(i);
                assertEquals((long) want.stage(), got.get("stage"));
                assertEquals(want.policyLabel(), got.get("policy"));
                assertEquals(Bytes.hex(want.spentBytes()), got.get("spent"));
                List<Map<String, Object>> regions = list(got.get("regions"));
                assertEquals(want.regions().size(), regions.size());
                for (int k = 0; k < regions.size(); k++) {
                    PageTables pt = want.regions().get(k).pageTables();
                    Map<String, Object> g = map(regions.get(k).get("pageTables"));
                    if (pt == null) {
                        assertEquals(null, g);
                        continue;
                    }
                    assertEquals(List.of(pt.pte(), pt.pmd(), pt.pud(), pt.minimum().total()),
                            List.of(g.get("pte"), g.get("pmd"), g.get("pud"),
                                    map(g.get("minimum")).get("total")));
                }
            }
            assertTrue(rows.get(0).keySet().containsAll(List.of("stage", "policy", "effectivePolicy",
                    "device", "error", "spent", "alignment", "cookieRanges", "regions", "noRegionInfo")));
        }

        @Test
        void withoutPolicyTheComparedSetIsMeasured() {
            Cli.Result r = Cli.run("capacity", "--device", "nic-vf", "--stage", String.valueOf(last()),
                    "--format", "json");
            assertEquals(0, r.code(), r.err());
            Stage s = Stages.byNumber(last());
            long distinct = Policies.compared().stream().map(p -> Policies.effective(s, p)).distinct().count();
            assertEquals(distinct, list(r.json().get("rows")).size());
        }
    }

    @Nested
    class UsageErrors {
        @ParameterizedTest
        @ValueSource(strings = {"layout", "capacity"})
        void withoutADeviceItIsOneLineAndExitTwo(String cmd) {
            Cli.Result r = Cli.run(cmd);
            assertEquals(2, r.code());
            assertTrue(r.oneErrorLine(), r.err());
            assertEquals("vfio-workbench " + cmd + ": name at least one --device or --sysfs "
                    + "('devices' lists the catalogue)\n", r.err());
            assertEquals("", r.out());
        }

        @ParameterizedTest
        @ValueSource(strings = {"--device=nosuch", "--policy=layout=wide", "--arch=sparc",
            "--stage=9", "--stage=x", "--format=markdown", "--frobnicate"})
        void aBadFlagIsOneLineAndExitTwo(String flag) {
            for (String cmd : List.of("layout", "capacity")) {
                Cli.Result r = Cli.run(cmd, "--device", "nic-vf", flag);
                assertEquals(2, r.code(), cmd + " " + flag + ": " + r.out());
                assertTrue(r.oneErrorLine(), r.err());
                assertFalse(r.err().contains("Exception"), r.err());
            }
        }

        @Test
        void anSvgPathThatCannotBeWrittenIsOneLineAndWritesNothingElse(@TempDir Path dir) {
            Cli.Result r = Cli.run("layout", "--device", "nic-vf", "--svg",
                    dir.resolve("no/such/dir/x.svg").toString());
            assertEquals(2, r.code());
            assertTrue(r.oneErrorLine(), r.err());
            assertTrue(r.err().startsWith("vfio-workbench layout: --svg "), r.err());
            assertEquals("", r.out());
            Cli.Result d = Cli.run("layout", "--device", "nic-vf", "--svg", dir.toString());
            assertEquals(2, d.code());
            assertEquals("vfio-workbench layout: --svg " + dir + ": is a directory\n", d.err());
        }
    }
}
