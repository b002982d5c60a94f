package vfiowb.workbench.trace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The modelled kernel functions one system call passed through: the union of the call paths
 * seen at the probe points it reached, each function once per caller, in the order first
 * entered.
 */
public final class CallTree {
    /** A function at a depth of the tree (0 = the system call's own entry). */
    public record Line(int depth, KernelFrame frame) {}

    private final Node root = new Node(null);

    private static final class Node {
        final KernelFrame frame;
        final Map<Object, Node> children = new LinkedHashMap<>();

        Node(KernelFrame frame) {
            this.frame = frame;
        }
    }

    /**
     * Adds one call path, outermost first; {@code keys} identify the functions, one per frame
     * (two Java methods modelling the same kernel function are one node).
     */
    void add(List<KernelFrame> path, List<Object> keys) {
        Node n = root;
        for (int i = 0; i < path.size(); i++) {
            KernelFrame f = path.get(i);
            n = n.children.computeIfAbsent(keys.get(i), k -> new Node(f));
        }
    }

    /** Whether no probe point was reached. */
    public boolean isEmpty() {
        return root.children.isEmpty();
    }

    /** The tree depth first, in the order functions were first entered. */
    public List<Line> lines() {
        List<Line> out = new ArrayList<>();
        walk(root, -1, out);
        return Collections.unmodifiableList(out);
    }

    private static void walk(Node n, int depth, List<Line> out) {
        if (n.frame != null) {
            out.add(new Line(depth, n.frame));
        }
        for (Node c : n.children.values()) {
            walk(c, depth + 1, out);
        }
    }

    /**
     * The first function (depth first) whose modelling class lies in the stage's
     * vfio-pci-core or driver packages: the driver code the core dispatched to; null if none.
     */
    public KernelFrame firstDriverFrame(String packageRoot) {
        for (Line l : lines()) {
            if (l.frame().inPackage(packageRoot, "pci") || l.frame().inPackage(packageRoot, "drivers")) {
                return l.frame();
            }
        }
        return null;
    }

    /**
     * The function that called {@link #firstDriverFrame}: the core's dispatch point (e.g.
     * {@code vfio_get_region_info} for {@code get_region_info_caps}); null if none.
     */
    public KernelFrame driverCaller(String packageRoot) {
        List<Line> lines = lines();
        for (int i = 0; i < lines.size(); i++) {
            KernelFrame f = lines.get(i).frame();
            if (f.inPackage(packageRoot, "pci") || f.inPackage(packageRoot, "drivers")) {
                for (int j = i - 1; j >= 0; j--) {
                    if (lines.get(j).depth() == lines.get(i).depth() - 1) {
                        return lines.get(j).frame();
                    }
                }
                return null;
            }
        }
        return null;
    }

    /** The function names depth first, for comparisons across stages. */
    public List<String> labels() {
        List<String> out = new ArrayList<>();
        for (Line l : lines()) {
            out.add(l.frame().label());
        }
        return out;
    }
}
