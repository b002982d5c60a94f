package vfiowb.workbench.capacity;

import java.util.List;
import org.w3c.dom.Element;

/** {@link LayoutSvgTest}'s safe parsing for tests in other packages. */
public final class LayoutSvgTestAccess {
    private LayoutSvgTestAccess() {}

    /** The root of {@code xml}, parsed without DTDs or external entities, checked self-contained. */
    public static Element parse(String xml) throws Exception {
        Element root = LayoutSvgTest.parse(xml).getDocumentElement();
        LayoutSvgTest.assertSelfContained(root);
        return root;
    }

    /** Every SVG text node under {@code root}. */
    public static List<String> texts(Element root) {
        return LayoutSvgTest.texts(root);
    }
}
