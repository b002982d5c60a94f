package vfiowb.workbench;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The launcher's entry point: runs the command line and exits with its code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // ArchUnit logs through SLF4J; without a provider SLF4J warns on stderr on first use.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        boolean colour = System.console() != null
                && !Style.noColorRequested(System.getenv("NO_COLOR"));
        System.exit(Workbench.run(System.in, out, err, colour, args));
    }
}
