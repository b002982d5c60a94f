package vfiowb.workbench.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stages;

/** The SVG picture: well-formed, self-contained, and saying what the table says. */
class LayoutSvgTest {
    static final String SVG_NS = "http://www.w3.org/2000/svg";

    /** Parses XML with DTDs and external entities refused, as an untrusted document. */
    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    /** Every text node of the picture, in order. */
    static List<String> texts(Element root) {
        List<String> out = new ArrayList<>();
        NodeList n = root.getElementsByTagNameNS(SVG_NS, "text");
        for (int i = 0; i < n.getLength(); i++) {
            out.add(n.item(i).getTextContent());
        }
        return out;
    }

    /**
     * Nothing the picture refers to lies outside it: the only URL is the SVG namespace, the
     * only references are fragment references to its own ids, and it has no scripts, images,
     * foreign objects or style sheets.
     */
    static void assertSelfContained(Element root) {
        for (String tag : List.of("script", "image", "foreignObject", "style", "use", "a")) {
            assertEquals(0, root.getElementsByTagNameNS("*", tag).getLength(), tag);
        }
        NodeList all = root.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            NamedNodeMap attrs = all.item(i).getAttributes();
            for (int j = 0; j < attrs.getLength(); j++) {
                String name = attrs.item(j).getNodeName();
                String v = attrs.item(j).getNodeValue();
                if (name.equals("xmlns")) {
                    continue;
                }
                assertFalse(v.contains("//") || v.contains("href") || name.contains("href"),
                        name + "=" + v);
                if (v.contains("url(")) {
                    assertTrue(v.matches("url\\(#[A-Za-z0-9-]+\\)"), v);
                }
            }
        }
    }

    @Test
    void theTwoTibBarAtStageTwoIsDrawnCutShortWithEveryNumberTheTableHas() throws Exception {
        FileLayout l = Layouts.probe(Stages.byNumber(2), Arch.X86_64, SeriesPolicy.DEFAULT,
                DeviceCatalogue.byName("cxl-2t").orElseThrow());
        String svg = LayoutSvg.document(List.of(l));
        Document d = parse(svg);
        Element root = d.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        assertEquals(SVG_NS, root.getNamespaceURI());
        assertSelfContained(root);
        List<String> texts = texts(root);
        String all = String.join("\n", texts);
        for (FileLayout.Segment s : l.segments()) {
            assertTrue(texts.contains(Bytes.hex(s.start())), Bytes.hex(s.start()));
            if (s.gap()) {
                assertTrue(texts.contains("gap " + Bytes.human(s.length())), s.toString());
            } else {
                Region r = l.region(s.index());
                assertTrue(texts.contains(r.name() + "  " + Bytes.human(r.size())), r.name());
            }
        }
        assertTrue(texts.contains(Bytes.hex(l.extent())));
        assertTrue(all.contains("BAR2 runs past BAR3's offset 0x30000000000 (by 1 TiB)"), all);
        assertTrue(all.contains("read/write reach only the first 1 TiB (EINVAL at 0x10000000000)"), all);
        assertTrue(all.contains("fixed layout: region i at i << 40"), all);
        assertTrue(all.contains("log scale"), "4 KiB to 3 TiB spans orders of magnitude");
        assertTrue(root.getElementsByTagNameNS(SVG_NS, "title").getLength() == 1);
    }

    @Test
    void aPanelWhoseLengthsAreAlikeIsDrawnLinearly() {
        FileLayout l = Layouts.probe(Stages.byNumber(1), Arch.X86_64, SeriesPolicy.DEFAULT,
                DeviceCatalogue.byName("nic-vf").orElseThrow());
        assertTrue(LayoutSvg.logScale(l));
        FileLayout alike = new FileLayout(l.stage(), l.module(), l.arch(), l.policy(),
                l.policyLabel(), l.device(), l.driver(), l.opsTable(), null, l.regions(),
                List.of(new FileLayout.Segment(false, 0, 65536, 0, "BAR0"),
                        new FileLayout.Segment(true, 65536, 32768, -1, "gap")),
                List.of(), -1);
        assertFalse(LayoutSvg.logScale(alike));
        assertTrue(LayoutSvg.document(List.of(alike)).contains("proportional to the length"));
    }

    @Test
    void markupInNamesIsEscaped() throws Exception {
        FileLayout l = FileLayout.failed(1, "m", Arch.X86_64, SeriesPolicy.DEFAULT, "default",
                "a<b>&\"c", "drv", "ops", "no driver for <x>");
        Document d = parse(LayoutSvg.document(List.of(l)));
        assertTrue(String.join("\n", texts(d.getDocumentElement())).contains("a<b>&\"c: stage 1"));
    }
}
