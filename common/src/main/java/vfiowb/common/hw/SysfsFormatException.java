package vfiowb.common.hw;

/**
 * A sysfs PCI device directory that cannot describe a function. The message is one line,
 * {@code file:where: problem}, where {@code where} is a 1-based line number for
 * {@code resource} and a hex byte offset for {@code config}, and is omitted for problems with
 * the whole file (missing, wrong length).
 */
public class SysfsFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String where;

    public SysfsFormatException(String file, String where, String problem) {
        super(file + (where.isEmpty() ? "" : ":" + where) + ": " + problem);
        this.file = file;
        this.where = where;
    }

    /** The file the problem is in: {@code resource}, {@code config} or {@code rom}. */
    public String file() {
        return file;
    }

    /** Line number or byte offset; empty when the problem concerns the whole file. */
    public String where() {
        return where;
    }
}
