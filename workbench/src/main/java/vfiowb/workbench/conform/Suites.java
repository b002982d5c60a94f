package vfiowb.workbench.conform;

/** The suite {@code conform} runs. */
public final class Suites {
    private Suites() {}

    public static Suite current() {
        return new ClientSuite();
    }
}
