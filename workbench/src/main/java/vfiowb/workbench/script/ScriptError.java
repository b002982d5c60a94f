package vfiowb.workbench.script;

/** A malformed script, or one that asks for something impossible: {@code file:line: message}. */
public final class ScriptError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int line;

    public ScriptError(int line, String message) {
        super(message, null, false, false);
        this.line = line;
    }

    /** 1-based line number in the script. */
    public int line() {
        return line;
    }
}
