package vfiowb.workbench.capacity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Layouts drawn as an SVG picture a reader understands without the table: one panel per device
 * file, the pgoff space as a column from offset 0 downwards, each region and each gap a box
 * labelled with its name and length, the offset of every boundary beside it, and each region
 * the layout cuts short outlined in red with the reason written next to it.
 *
 * <p>Box heights grow with the logarithm of the length where lengths in a panel span more than
 * {@value #LOG_RATIO} to one (a 4 KiB page next to a 2 TiB BAR), else linearly; the panel says
 * which. The document is plain SVG 1.1 with no external reference (no fonts, images, styles or
 * scripts from elsewhere), so it opens offline and embeds in an HTML page.
 */
public final class LayoutSvg {
    /** Length ratio from which a panel is drawn on a log scale. */
    static final int LOG_RATIO = 64;
    private static final int WIDTH = 980;
    private static final int MAP_X = 170;
    private static final int MAP_W = 250;
    private static final int NOTE_X = MAP_X + MAP_W + 14;
    private static final int MIN_H = 24;
    private static final int LINE = 16;
    private static final String FONT = "font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\"";
    private static final String REGION = "#4e79a7";
    private static final String REGION_NO_MMAP = "#a0bcd8";
    private static final String PROBLEM = "#c0392b";

    private LayoutSvg() {}

    /** A standalone SVG document of {@code layouts}. */
    public static String document(List<FileLayout> layouts) {
        return svg(layouts, "pgoff", true);
    }

    /**
     * The SVG of {@code layouts}; {@code idPrefix} keeps the ids of several pictures in one
     * HTML page apart; {@code standalone} adds the XML declaration.
     */
    public static String svg(List<FileLayout> layouts, String idPrefix, boolean standalone) {
        StringBuilder body = new StringBuilder();
        int y = 14;
        y = legend(body, y, idPrefix);
        for (FileLayout l : layouts) {
            y = panel(body, l, y + 18, idPrefix);
        }
        int height = y + 16;
        StringBuilder sb = new StringBuilder();
        if (standalone) {
            sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        }
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH)
                .append(' ').append(height).append("\" role=\"img\" ").append(FONT)
                .append(" font-size=\"12\">\n");
        sb.append("<title>").append(esc(title(layouts))).append("</title>\n");
        sb.append("<desc>").append(esc("Each panel is the pgoff space of one device file as a "
                + "QEMU-style probe found it (REGION_INFO of every index): regions and the gaps "
                + "between them from offset 0 downwards, boundary offsets on the left."))
                .append("</desc>\n");
        sb.append("<defs><pattern id=\"").append(idPrefix).append("-gap\" width=\"8\" height=\"8\" "
                + "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
                + "<rect width=\"8\" height=\"8\" fill=\"#f4f4f4\"/>"
                + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#c8c8c8\" stroke-width=\"3\"/>"
                + "</pattern></defs>\n");
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        sb.append(body);
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static String title(List<FileLayout> layouts) {
        List<String> parts = new ArrayList<>();
        for (FileLayout l : layouts) {
            parts.add(l.device() + " at stage " + l.stage());
        }
        return "pgoff space of the device file: " + String.join(", ", parts);
    }

    private static int legend(StringBuilder sb, int y, String id) {
        int x = 10;
        y += 4;
        x = legendItem(sb, x, y, "fill=\"" + REGION + "\"", "region (mmap offered)");
        x = legendItem(sb, x, y, "fill=\"" + REGION_NO_MMAP + "\"", "region without mmap");
        x = legendItem(sb, x, y, "fill=\"url(#" + id + "-gap)\" stroke=\"#999999\"",
                "gap: no region");
        legendItem(sb, x, y, "fill=\"" + REGION + "\" stroke=\"" + PROBLEM + "\" stroke-width=\"3\"",
                "region the layout cuts short");
        return y + 14;
    }

    private static int legendItem(StringBuilder sb, int x, int y, String style, String label) {
        sb.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"18\" "
                + "height=\"12\" ").append(style).append("/>");
        sb.append(text(x + 24, y + 10, label, "")).append('\n');
        return x + 30 + 7 * label.length() + 18;
    }

    /** One device file; returns the y below it. */
    private static int panel(StringBuilder sb, FileLayout l, int y, String id) {
        sb.append("<g>\n");
        sb.append(text(10, y, l.device() + ": stage " + l.stage() + " (" + l.module() + "), "
                + l.arch().cliName() + ", policy " + l.policyLabel(), "font-weight=\"bold\" font-size=\"14\""))
                .append('\n');
        y += LINE + 2;
        if (!l.ok()) {
            sb.append(text(10, y, l.error(), "fill=\"" + PROBLEM + "\"")).append("\n</g>\n");
            return y + LINE;
        }
        OptionalInt shift = l.slotShift();
        List<Region> off = l.offSlot();
        String scheme = shift.isPresent()
                ? "fixed layout: region i at i << " + shift.getAsInt()
                        + (off.isEmpty() ? "" : "; placed elsewhere: " + names(off))
                : "no fixed slots: every region placed by the layout policy";
        sb.append(text(10, y, scheme, "")).append('\n');
        y += LINE;
        boolean log = logScale(l);
        sb.append(text(10, y, "spends " + Bytes.human(l.extent()) + " of pgoff space ("
                + Bytes.hex(l.extent()) + "): regions " + Bytes.human(l.regionBytes()) + ", gaps "
                + Bytes.human(l.gapBytes())
                + (l.cookieRanges() >= 0 ? "; the file's cookie tree holds " + l.cookieRanges()
                        + " ranges" : ""), "")).append('\n');
        y += LINE;
        sb.append(text(10, y, log ? "box heights grow with log2 of the length (log scale)"
                : "box heights proportional to the length", "fill=\"#555555\"")).append('\n');
        y += LINE + 6;
        long max = 1;
        for (FileLayout.Segment s : l.segments()) {
            max = Math.max(max, s.length());
        }
        long page = l.arch().pageSize();
        for (FileLayout.Segment s : l.segments()) {
            int h = height(s.length(), max, page, log);
            sb.append(text(MAP_X - 8, y + 11, Bytes.hex(s.start()), "text-anchor=\"end\" fill=\"#333333\""))
                    .append('\n');
            if (s.gap()) {
                sb.append(rect(y, h, "fill=\"url(#" + id + "-gap)\" stroke=\"#999999\""));
                sb.append(text(MAP_X + MAP_W / 2, y + h / 2 + 4, "gap " + Bytes.human(s.length()),
                        "text-anchor=\"middle\" fill=\"#555555\"")).append('\n');
            } else {
                Region r = l.region(s.index());
                List<String> problems = problems(l, r);
                List<String> notes = new ArrayList<>();
                notes.add("index " + r.index() + ", " + r.flagNames() + ", start aligned to "
                        + Bytes.alignmentText(r.offset()));
                notes.add("read/write: " + brief(r.rw()) + "; mmap: " + brief(r.mmap()));
                h = Math.max(h, 14 * (notes.size() + problems.size()) + 6);
                String fill = r.mmappable() ? REGION : REGION_NO_MMAP;
                String stroke = problems.isEmpty() ? "stroke=\"#ffffff\""
                        : "stroke=\"" + PROBLEM + "\" stroke-width=\"3\"";
                sb.append(rect(y, h, "fill=\"" + fill + "\" " + stroke));
                int nameY = y + h / 2 + 4;
                for (FileLayout.Overlap v : l.overlaps()) {
                    if (v.index() != r.index()) {
                        continue;
                    }
                    // Where the other region's offset falls, linearly inside this box.
                    double frac = (double) (v.at() - r.offset()) / (double) s.length();
                    int ly = y + (int) Math.round(h * frac);
                    sb.append("<line x1=\"").append(MAP_X).append("\" y1=\"").append(ly)
                            .append("\" x2=\"").append(MAP_X + MAP_W).append("\" y2=\"").append(ly)
                            .append("\" stroke=\"").append(PROBLEM)
                            .append("\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n");
                    sb.append(text(MAP_X - 8, ly + 4, v.intoName() + " " + Bytes.hex(v.at()),
                            "text-anchor=\"end\" fill=\"" + PROBLEM + "\"")).append('\n');
                    if (Math.abs(ly - nameY) < 14) {
                        nameY = y + Math.max(14, h / 4 + 4);
                    }
                }
                sb.append(text(MAP_X + MAP_W / 2, nameY, r.name() + "  "
                        + Bytes.human(r.size()), "text-anchor=\"middle\" font-weight=\"bold\" fill=\""
                        + (r.mmappable() ? "#ffffff" : "#1a1a1a") + "\"")).append('\n');
                int ny = y + 13;
                for (String n : notes) {
                    sb.append(text(NOTE_X, ny, n, "fill=\"#333333\"")).append('\n');
                    ny += 14;
                }
                for (String p : problems) {
                    sb.append(text(NOTE_X, ny, p, "fill=\"" + PROBLEM + "\"")).append('\n');
                    ny += 14;
                }
            }
            y += h;
        }
        sb.append(text(MAP_X - 8, y + 4, Bytes.hex(l.extent()), "text-anchor=\"end\" fill=\"#333333\""))
                .append('\n');
        y += LINE;
        List<String> empty = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Region r : l.regions()) {
            if (r.errno() != null) {
                failed.add(r.name() + " (" + r.errno() + ")");
            } else if (r.size() == 0) {
                empty.add(r.name());
            }
        }
        if (!empty.isEmpty()) {
            sb.append(text(10, y + 6, "no bytes (size 0, not drawn): " + String.join(", ", empty), "fill=\"#555555\""))
                    .append('\n');
            y += LINE;
        }
        if (!failed.isEmpty()) {
            sb.append(text(10, y + 6, "REGION_INFO failed: " + String.join(", ", failed), "fill=\"#555555\""))
                    .append('\n');
            y += LINE;
        }
        sb.append("</g>\n");
        return y;
    }

    /** What the layout does to region {@code r}: overlaps and reach shortfalls, one line each. */
    static List<String> problems(FileLayout l, Region r) {
        List<String> out = new ArrayList<>();
        for (FileLayout.Overlap v : l.overlaps()) {
            if (v.index() == r.index()) {
                out.add(v.text(r.end()));
            }
        }
        if (r.rw() != null && r.rw().cutShort()) {
            out.add("read/write reach " + (r.rw().bytes() == 0 ? "none of it" : "only the first "
                    + Bytes.human(r.rw().bytes())) + " (" + r.rw().detail() + ")");
        }
        if (r.mmap() != null && r.mmap().cutShort()) {
            out.add("mmap reaches " + (r.mmap().bytes() == 0 ? "none of it" : "only the first "
                    + Bytes.human(r.mmap().bytes())) + " (" + r.mmap().detail() + ")");
        }
        return out;
    }

    /** A reach in a few words; the problem lines give the details. */
    private static String brief(Reach r) {
        switch (r.kind()) {
            case FULL:
                return "all";
            case PARTIAL:
                return Bytes.human(r.bytes()) + " of " + Bytes.human(r.offered());
            case NONE:
                return "none";
            case HOLES:
                return "holes (" + r.detail() + ")";
            default:
                return "- (" + r.detail() + ")";
        }
    }

    private static String names(List<Region> rs) {
        List<String> n = new ArrayList<>();
        for (Region r : rs) {
            n.add(r.name());
        }
        return String.join(", ", n);
    }

    /** Whether a panel's lengths span enough to need a log scale. */
    static boolean logScale(FileLayout l) {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (FileLayout.Segment s : l.segments()) {
            min = Math.min(min, s.length());
            max = Math.max(max, s.length());
        }
        return max > 0 && min > 0 && max / min >= LOG_RATIO;
    }

    private static int height(long length, long max, long page, boolean log) {
        if (log) {
            double pages = Math.max(1.0, (double) length / page);
            return MIN_H + (int) Math.round(4.5 * (Math.log(pages) / Math.log(2)));
        }
        return MIN_H + (int) Math.round(160.0 * length / max);
    }

    private static String rect(int y, int h, String style) {
        return "<rect x=\"" + MAP_X + "\" y=\"" + y + "\" width=\"" + MAP_W + "\" height=\"" + h
                + "\" " + style + "/>\n";
    }

    private static String text(int x, int y, String s, String attrs) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\"%s>%s</text>", x, y,
                attrs.isEmpty() ? "" : " " + attrs, esc(s));
    }

    /** XML character data and attribute values. */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&':
                    sb.append("&amp;");
                    break;
                case '<':
                    sb.append("&lt;");
                    break;
                case '>':
                    sb.append("&gt;");
                    break;
                case '"':
                    sb.append("&quot;");
                    break;
                default:
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        sb.append('?');
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.toString();
    }
}
