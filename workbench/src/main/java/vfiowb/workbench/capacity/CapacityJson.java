package vfiowb.workbench.capacity;

import java.util.ArrayList;
import java.util.List;
import vfiowb.workbench.json.Json;

/**
 * Layouts and capacity rows as the commands' {@code --format json} writes them. Offsets and
 * lengths are hex strings (an unsigned 64-bit offset does not fit a JSON number exactly);
 * counts are numbers.
 */
public final class CapacityJson {
    private CapacityJson() {}

    /** A layout. */
    public static Json.Obj layout(FileLayout l) {
        Json.Obj o = Json.obj().put("stage", l.stage()).put("module", l.module())
                .put("arch", l.arch().cliName()).put("policy", l.policyLabel())
                .put("device", l.device()).put("driver", l.driver()).put("opsTable", l.opsTable())
                .put("error", l.error());
        if (!l.ok()) {
            return o;
        }
        List<Object> regions = new ArrayList<>();
        for (Region r : l.regions()) {
            regions.add(region(r));
        }
        List<Object> segments = new ArrayList<>();
        for (FileLayout.Segment s : l.segments()) {
            Json.Obj so = Json.obj().put("kind", s.gap() ? "gap" : "region")
                    .put("start", Json.hex(s.start())).put("length", Json.hex(s.length()));
            if (!s.gap()) {
                so.put("index", s.index()).put("name", s.name());
            }
            segments.add(so);
        }
        List<Object> overlaps = new ArrayList<>();
        for (FileLayout.Overlap v : l.overlaps()) {
            overlaps.add(Json.obj().put("index", v.index()).put("name", v.name())
                    .put("into", v.into()).put("intoName", v.intoName()).put("at", Json.hex(v.at())));
        }
        return o.put("slotShift", l.slotShift().isPresent() ? l.slotShift().getAsInt() : null)
                .put("offSlot", l.offSlot().stream().map(Region::index).toList())
                .put("extent", Json.hex(l.extent())).put("regionBytes", Json.hex(l.regionBytes()))
                .put("gapBytes", Json.hex(l.gapBytes()))
                .put("cookieRanges", l.cookieRanges() < 0 ? null : l.cookieRanges())
                .put("regions", regions).put("segments", segments).put("overlaps", overlaps);
    }

    /** One region index. */
    public static Json.Obj region(Region r) {
        Json.Obj o = Json.obj().put("index", r.index()).put("name", r.name());
        if (r.errno() != null) {
            return o.put("errno", r.errno());
        }
        List<Object> areas = new ArrayList<>();
        for (Region.Area a : r.mmapAreas()) {
            areas.add(Json.obj().put("offset", Json.hex(a.offset())).put("size", Json.hex(a.size())));
        }
        return o.put("flags", r.flags()).put("flagNames", r.flagNames())
                .put("size", Json.hex(r.size())).put("offset", Json.hex(r.offset()))
                .put("alignment", r.offset() == 0 ? null : Json.hex(Bytes.alignment(r.offset())))
                .put("mmapAreas", areas).put("rw", reach(r.rw())).put("mmap", reach(r.mmap()));
    }

    /** A reach, or null. */
    public static Json.Obj reach(Reach r) {
        if (r == null) {
            return null;
        }
        return Json.obj().put("kind", r.kind().word()).put("bytes", Json.hex(r.bytes()))
                .put("offered", Json.hex(r.offered())).put("detail", r.detail());
    }

    /** A capacity table. */
    public static Json.Obj table(Capacity.Table t) {
        List<Object> rows = new ArrayList<>();
        for (Capacity.Row r : t.rows()) {
            rows.add(row(r));
        }
        return Json.obj().put("arch", t.arch().cliName()).put("rows", rows);
    }

    /** One capacity row. */
    public static Json.Obj row(Capacity.Row r) {
        Json.Obj o = Json.obj().put("stage", r.stage()).put("policy", r.policyLabel())
                .put("effectivePolicy", r.policy().toString()).put("device", r.device())
                .put("error", r.error());
        if (r.error() != null) {
            return o;
        }
        List<Object> regions = new ArrayList<>();
        for (Capacity.RegionCapacity c : r.regions()) {
            Json.Obj ro = Json.obj().put("index", c.index()).put("name", c.name())
                    .put("size", Json.hex(c.size())).put("offset", Json.hex(c.offset()))
                    .put("rw", reach(c.rw())).put("mmap", reach(c.mmap()));
            PageTables pt = c.pageTables();
            if (pt == null) {
                ro.put("pageTables", null);
            } else {
                ro.put("pageTables", Json.obj().put("pte", pt.pte()).put("pmd", pt.pmd())
                        .put("pud", pt.pud()).put("total", pt.total()).put("faults", pt.faults())
                        .put("minimum", Json.obj().put("pte", pt.minimum().pte())
                                .put("pmd", pt.minimum().pmd()).put("pud", pt.minimum().pud())
                                .put("total", pt.minimum().total()))
                        .put("inferredBytes", Json.hex(pt.inferredBytes()))
                        .put("failure", pt.failure()));
            }
            regions.add(ro);
        }
        List<Object> noInfo = new ArrayList<>();
        for (Region g : r.layout().regions()) {
            if (g.errno() != null) {
                noInfo.add(Json.obj().put("index", g.index()).put("name", g.name())
                        .put("errno", g.errno()));
            }
        }
        return o.put("spent", Json.hex(r.spentBytes()))
                .put("alignment", r.alignmentBytes() < 0 ? null : Json.hex(r.alignmentBytes()))
                .put("cookieRanges", r.layout().cookieRanges() < 0 ? null : r.layout().cookieRanges())
                .put("regions", regions).put("noRegionInfo", noInfo);
    }
}
