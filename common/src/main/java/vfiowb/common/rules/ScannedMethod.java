package vfiowb.common.rules;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Type;

/**
 * The instructions of interest of one method, constructor or static initialiser, in code order.
 *
 * @param owner the class in Java form ({@code vfiowb.step1.drivers.mtty.Mtty})
 * @param name the method name ({@code <init>}, {@code <clinit>}, {@code lambda$mttyIoctl$0}...)
 * @param descriptor the JVM descriptor
 * @param sourceFile the source file the class was compiled from, null when not recorded
 * @param instructions the facts the scan found
 */
public record ScannedMethod(String owner, String name, String descriptor, String sourceFile,
        List<Insn> instructions) {
    public ScannedMethod {
        instructions = List.copyOf(instructions);
    }

    /** The instructions of one kind, e.g. {@code all(Insn.Shift.class)}. */
    public <T extends Insn> List<T> all(Class<T> kind) {
        List<T> out = new ArrayList<>();
        for (Insn i : instructions) {
            if (kind.isInstance(i)) {
                out.add(kind.cast(i));
            }
        }
        return out;
    }

    /**
     * ArchUnit's way of naming the code unit, e.g.
     * {@code Method <a.B.c(int, byte[])>}, {@code Constructor <a.B.<init>()>}.
     */
    public String description() {
        String kind = name.equals("<init>") ? "Constructor"
                : name.equals("<clinit>") ? "Static Initializer" : "Method";
        List<String> params = new ArrayList<>();
        for (Type t : Type.getArgumentTypes(descriptor)) {
            params.add(t.getClassName());
        }
        return kind + " <" + owner + "." + name + "(" + String.join(", ", params) + ")>";
    }

    /** {@code (File.java:42)}, as ArchUnit places an access. */
    public String location(int line) {
        String file = sourceFile == null ? owner.substring(owner.lastIndexOf('.') + 1) + ".class"
                : sourceFile;
        return "(" + file + (line < 0 ? "" : ":" + line) + ")";
    }
}
