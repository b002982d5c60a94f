package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.rules.RuleCatalogue;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.Stages;
import vfiowb.common.uapi.UapiCatalogue;
import vfiowb.common.uapi.VfioIoctl;

/** stages, uapi, devices and rules: content, JSON fields, exit codes. */
class ReportCommandsTest {
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @Nested
    class StagesCommand {
        @Test
        void textNamesEveryStageWithPatchesOpsTablesAndRules() {
            Cli.Result r = Cli.run("stages");
            assertEquals(0, r.code(), r.err());
            for (Stage s : Stages.all()) {
                assertTrue(r.out().contains("stage " + s.number() + "  " + s.module()), r.out());
                for (String p : s.patchSubjects()) {
                    assertTrue(r.out().contains("    " + p + "\n"), p);
                }
            }
            assertTrue(r.out().contains("ops tables: "), r.out());
            assertTrue(r.out().contains("get_region_info_caps set by "), r.out());
            assertTrue(r.out().contains("PASS  region-info-core-only"), r.out());
        }

        @Test
        void jsonHasTheDocumentedFields() {
            Cli.Result r = Cli.run("stages", "--format", "json");
            assertEquals(0, r.code(), r.err());
            List<Map<String, Object>> stages = list(r.json().get("stages"));
            assertEquals(Stages.all().size(), stages.size());
            for (Map<String, Object> s : stages) {
                assertTrue(s.keySet().containsAll(List.of("number", "module", "title", "packageRoot",
                        "patches", "opsTables", "rules")), s.keySet().toString());
                int n = ((Long) s.get("number")).intValue();
                assertEquals(RuleCatalogue.introducedAt(n).size(), list(s.get("rules")).size());
                for (Map<String, Object> rule : list(s.get("rules"))) {
                    assertEquals(Boolean.TRUE, rule.get("passed"), rule.toString());
                    assertEquals(0L, rule.get("violations"));
                }
            }
            Map<String, Object> last = stages.get(stages.size() - 1);
            Map<String, Object> ops = map(last.get("opsTables"));
            Map<String, Object> tables = map(ops.get("tables"));
            assertEquals((long) tables.size(), ops.get("count"));
            Map<String, Object> series = map(ops.get("seriesMembers"));
            assertFalse(series.isEmpty(), "the last stage sets members the series adds");
            for (Map.Entry<String, Object> e : series.entrySet()) {
                long setting = tables.values().stream()
                        .filter(m -> ((List<?>) m).contains(e.getKey())).count();
                assertEquals(setting, e.getValue(), e.getKey());
            }
            assertFalse(map(ops.get("seriesMembers")).containsKey("open_device"), "v6.18 members are not the series'");
        }

        /**
         * Each stage's tables by path partition its tables; stage 2 answers REGION_INFO through
         * get_region_info_caps everywhere and reads through file offsets, the last stage through
         * the cookie only (vfio-ap, with no regions, through neither).
         */
        @Test
        void pathsPartitionTheTablesAndMoveToTheCookieAcrossTheSeries() {
            Cli.Result r = Cli.run("stages", "--no-rules", "--format", "json");
            assertEquals(0, r.code(), r.err());
            List<Map<String, Object>> stages = list(r.json().get("stages"));
            for (Map<String, Object> s : stages) {
                Map<String, Object> ops = map(s.get("opsTables"));
                Set<String> tables = map(ops.get("tables")).keySet();
                for (Object byPath : map(ops.get("paths")).values()) {
                    List<Object> all = new ArrayList<>();
                    map(byPath).values().forEach(l -> all.addAll((List<?>) l));
                    assertEquals(tables.size(), all.size(), s.get("number") + ": " + byPath);
                    assertEquals(tables, new HashSet<>(all.stream().map(String::valueOf).toList()));
                }
            }
            Map<String, Object> two = map(map(stages.get(1).get("opsTables")).get("paths"));
            assertEquals(Set.of("get_region_info_caps", "ioctl"), map(two.get("region_info")).keySet());
            assertTrue(map(two.get("read/write/mmap")).containsKey("file offset"));
            Map<String, Object> last = map(map(stages.get(stages.size() - 1).get("opsTables"))
                    .get("paths"));
            assertEquals(Set.of("cookie", "ioctl"), map(last.get("region_info")).keySet());
            assertEquals(List.of("vfio_ap_matrix_dev_ops"), map(last.get("region_info")).get("ioctl"));
            assertEquals(Set.of("cookie", "none"), map(last.get("read/write/mmap")).keySet());
            assertTrue(Cli.run("stages", "--no-rules").out().contains("region_info via cookie ("));
        }

        @Test
        void aStageWithoutADriverRegistryReportsNoOpsTables() {
            try (ExtraStages x = ExtraStages.with(ExtraStages.BadStage.class)) {
                Cli.Result r = Cli.run("stages", "--no-rules", "--format", "json");
                assertEquals(0, r.code(), r.err());
                Map<String, Object> bad = list(r.json().get("stages")).stream()
                        .filter(s -> s.get("number").equals(40L)).findFirst().orElseThrow();
                assertNull(bad.get("opsTables"));
                assertTrue(Cli.run("stages", "--no-rules").out().contains(
                        "ops tables: not reported (the stage has no readable DriverRegistry)"));
            }
        }

        @Test
        void noRulesSkipsEvaluation() {
            Cli.Result r = Cli.run("stages", "--no-rules", "--format", "json");
            assertEquals(0, r.code());
            for (Map<String, Object> s : list(r.json().get("stages"))) {
                for (Map<String, Object> rule : list(s.get("rules"))) {
                    assertNull(rule.get("passed"));
                }
            }
        }
    }

    @Nested
    class UapiCommand {
        @Test
        void textShowsIoctlNumbersLayoutsAndConstants() {
            Cli.Result r = Cli.run("uapi");
            assertEquals(0, r.code());
            assertTrue(r.out().contains("VFIO_DEVICE_GET_REGION_INFO          0x3b6c  n=8   15212  device"),
                    r.out());
            assertTrue(r.out().contains("struct vfio_region_info  size 32, align 8"));
            assertTrue(r.out().contains("    16    8  __u64                                    size"));
            assertTrue(r.out().contains("  VFIO_REGION_INFO_FLAG_CAPS                       0x8\n"), r.out());
            assertTrue(r.out().contains("  VFIO_REGION_INFO_CAP_MSIX_MAPPABLE               3\n"));
            assertTrue(r.out().contains("  VFIO_DEVICE_FLAGS_PCI                            0x2\n"));
        }

        @Test
        void jsonMatchesTheModelsTables() {
            Map<String, Object> j = Cli.run("uapi", "--format", "json").json();
            List<Map<String, Object>> ioctls = list(j.get("ioctls"));
            assertEquals(VfioIoctl.all().size(), ioctls.size());
            Map<String, Object> ri = ioctls.stream()
                    .filter(i -> i.get("name").equals("VFIO_DEVICE_GET_REGION_INFO")).findFirst().orElseThrow();
            assertEquals((long) VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, ri.get("request"));
            assertEquals(8L, ri.get("n"));
            assertEquals("0x3b6c", ri.get("hex"));
            List<Map<String, Object>> structs = list(j.get("structs"));
            assertEquals(UapiCatalogue.structs().size(), structs.size());
            Map<String, Object> vri = structs.stream().filter(s -> s.get("name").equals("vfio_region_info"))
                    .findFirst().orElseThrow();
            assertEquals(32L, vri.get("size"));
            Map<String, Object> off = list(vri.get("fields")).get(5);
            assertEquals(Map.of("name", "offset", "offset", 24L, "size", 8L, "type", "__u64"), off);
            List<Map<String, Object>> consts = list(j.get("constants"));
            assertTrue(consts.contains(Map.of("group", "region flags", "name",
                    "VFIO_REGION_INFO_FLAG_MMAP", "value", 4L)), consts.toString());
            assertTrue(consts.contains(Map.of("group", "region types", "name",
                    "VFIO_REGION_TYPE_PCI_VENDOR_TYPE", "value", 0x8000_0000L)));
        }
    }

    @Nested
    class DevicesCommand {
        @Test
        void listsTheWholeCatalogue() {
            Cli.Result r = Cli.run("devices");
            assertEquals(0, r.code(), r.err());
            DeviceCatalogue.all().forEach(d -> assertTrue(r.out().contains(d.name() + "  " + d.driver()
                    + "  " + d.opsTable()), d.name()));
            assertTrue(r.out().contains("      0 BAR0       size 0x10000        READ|WRITE|MMAP|CAPS   "
                    + "caps=[MSIX_MAPPABLE]"), r.out());
        }

        @Test
        void jsonRegionsAsTheStageReportsThem() {
            Cli.Result r = Cli.run("devices", "--device", "nic-vf", "--device", "gpu-64g",
                    "--format", "json");
            assertEquals(0, r.code(), r.err());
            Map<String, Object> j = r.json();
            assertEquals((long) ExtraStages.last(), j.get("stage"));
            assertEquals("x86_64", j.get("arch"));
            List<Map<String, Object>> devices = list(j.get("devices"));
            assertEquals(2, devices.size());
            Map<String, Object> gpu = devices.get(1);
            assertEquals(Boolean.TRUE, gpu.get("bound"));
            List<Map<String, Object>> regions = list(gpu.get("regions"));
            assertEquals(9, regions.size());
            assertEquals("0x1000000000", regions.get(1).get("size"), "64 GiB BAR1");
            assertEquals("BAR1", regions.get(1).get("name"));
            assertEquals("0x80000", regions.get(6).get("size"), "ROM BAR size, not the image");
            assertEquals("READ", regions.get(6).get("flagNames"));
            assertEquals("0xc0000", regions.get(8).get("size"), "VGA class: the VGA region exists");
            Map<String, Object> nic = devices.get(0);
            assertEquals("EINVAL", list(nic.get("regions")).get(8).get("errnoName"), "no VGA");
        }

        @Test
        void aDeviceTheStageHasNoDriverForIsListedWithoutRegions() {
            Cli.Result r = Cli.run("devices", "--device", "mtty", "--format", "json");
            assertEquals(0, r.code());
            Map<String, Object> d = list(r.json().get("devices")).get(0);
            assertEquals("mtty_dev_ops", d.get("opsTable"));
            if (Boolean.FALSE.equals(d.get("bound"))) {
                assertTrue(((String) d.get("error")).contains("models no driver for mtty_dev_ops"));
            } else {
                assertNotNull(d.get("regions"));
            }
        }

        @Test
        void aSysfsFunctionIsModelledUnderVfioPci(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
                throws Exception {
            java.nio.file.Path dir = SysfsFixtures.copy("x710-vf", tmp);
            Cli.Result r = Cli.run("devices", "--sysfs", dir.toString(), "--format", "json");
            assertEquals(0, r.code(), r.err());
            Map<String, Object> d = list(r.json().get("devices")).get(0);
            assertEquals("x710-vf", d.get("name"));
            assertEquals("vfio_pci_ops", d.get("opsTable"));
            assertEquals(Boolean.TRUE, d.get("bound"));
            assertEquals("RESET|PCI", map(d.get("deviceInfo")).get("flagNames"));
        }
    }

    @Nested
    class RulesCommand {
        @Test
        void everyStagePassesItsOwnRules() {
            Cli.Result r = Cli.run("rules", "--stage", "all", "--format", "json");
            assertEquals(0, r.code(), r.out());
            List<Map<String, Object>> ev = list(r.json().get("evaluations"));
            assertEquals(Stages.all().size(), ev.size());
            for (Map<String, Object> e : ev) {
                assertEquals(e.get("stage"), e.get("against"));
                int n = ((Long) e.get("stage")).intValue();
                assertEquals(RuleCatalogue.cumulative(n).size(), list(e.get("rules")).size());
                assertEquals(Boolean.TRUE, e.get("passed"));
            }
        }

        @Test
        void againstAStageThatBreaksThemListsViolationsByClassAndExitsOne() {
            try (ExtraStages x = ExtraStages.with(ExtraStages.BadStage.class)) {
                int last = ExtraStages.last();
                Cli.Result r = Cli.run("rules", "--stage", String.valueOf(last), "--against", "40");
                assertEquals(1, r.code(), r.err());
                assertTrue(r.out().contains("PASS  core-independent-of-drivers (stage 1)"), r.out());
                assertTrue(r.out().contains("FAIL  region-info-core-only (stage 2)"), r.out());
                assertTrue(r.out().contains("        vfiowb.common.uapi.RegionInfoReply.decode: Method <"
                        + "vfiowb.common.uapi.RegionInfoReply.decode(["), r.out());
                Cli.Result j = Cli.run("rules", "--stage", String.valueOf(last), "--against", "40",
                        "--format", "json");
                assertEquals(1, j.code());
                Map<String, Object> e = list(j.json().get("evaluations")).get(0);
                assertEquals(40L, e.get("against"));
                assertEquals(Boolean.FALSE, e.get("passed"));
                Map<String, Object> ri = list(e.get("rules")).stream()
                        .filter(rule -> rule.get("id").equals("region-info-core-only")).findFirst().orElseThrow();
                assertEquals(Boolean.FALSE, ri.get("passed"));
                assertTrue(((List<?>) ri.get("units")).contains("uapi"), ri.get("units").toString());
                Map<String, Object> v = list(ri.get("violations")).get(0);
                assertEquals(List.of("class", "member", "detail"), List.copyOf(v.keySet()));
                assertTrue(((String) v.get("class")).startsWith("vfiowb.common."));
                assertEquals(Boolean.TRUE, list(e.get("rules")).get(0).get("passed"));
            }
        }

        @Test
        void againstNeedsOneStageAndAKnownOne() {
            try (ExtraStages x = ExtraStages.with(ExtraStages.NextStage.class)) {
                Cli.Result all = Cli.run("rules", "--stage", "all", "--against", "2");
                assertEquals(2, all.code());
                assertEquals("vfio-workbench rules: --against needs one --stage, not all\n", all.err());
            }
            Cli.Result r = Cli.run("rules", "--against", "77");
            assertEquals(2, r.code());
            assertTrue(r.err().contains("no stage 77"), r.err());
            assertFalse(r.err().contains("\tat "));
        }
    }
}
