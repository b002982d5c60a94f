package vfiowb.workbench;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;

/**
 * {@code vfio-workbench}: the command line kernel reviewers use to walk through the series.
 * {@link #run} is the testable entry: it prints only through the given writers and returns the
 * exit code.
 */
@Command(name = "vfio-workbench", mixinStandardHelpOptions = true,
        versionProvider = Workbench.Version.class,
        description = {
            "Prototype, check and explain the VFIO region-info / mmap-cookie series, stage by stage.",
            "",
            "Without a command: a walk of the NIC VF (nic-vf) by the QEMU-style client at the last stage."},
        subcommands = {StagesCommand.class, UapiCommand.class, DevicesCommand.class,
            WalkCommand.class, RunCommand.class, ConformCommand.class, RulesCommand.class,
            LayoutCommand.class, CapacityCommand.class, ReportCommand.class,
            ServeCommand.class, FuzzCommand.class, MeasureCommand.class, ErrnosCommand.class,
            SeriesCommand.class, ForwardPortCommand.class, WcCommand.class,
            MutationScoreCommand.class,
            AutoComplete.GenerateCompletion.class,
            CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  success",
            "  1  a check failed: a rule is violated, a conformance scenario failed, a script",
            "     expectation failed, a package's mutation score is below the goal",
            "  2  a usage or input error (one line on stderr)",
            "  3  an internal error: a bug in the model or the workbench (with its stack trace)",
            "  4  nothing failed, but the run reached an upstream kernel bug the model",
            "     reproduces (walk, run, conform; each named on stderr; docs/kernel-bugs.md)",
            "",
            "Colour only on a terminal, never when NO_COLOR is set. Shell completion:",
            "  source <(vfio-workbench generate-completion)"})
public final class Workbench implements Callable<Integer> {
    /** Exit code: a check failed. */
    public static final int CHECK_FAILED = 1;
    /** Exit code: usage or input error. */
    public static final int USAGE = 2;
    /** Exit code: a bug. */
    public static final int INTERNAL = 3;
    /**
     * Exit code: no check failed and the model did not break, but an upstream kernel bug was
     * reached: not a failure of the model (1) nor a bug in it (3), and not a clean pass (0).
     */
    public static final int KERNEL_BUG = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Style style;
    private final InputStream in;

    Workbench(Style style, InputStream in) {
        this.style = style;
        this.in = in;
    }

    /** Runs the command line with {@code args}: no colour, standard input for {@code serve}. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(System.in, out, err, false, args);
    }

    /**
     * Runs the command line with {@code args}, reading {@code in} where a command reads input
     * and colouring text reports when {@code colour}.
     */
    public static int run(InputStream in, PrintWriter out, PrintWriter err, boolean colour,
            String... args) {
        Workbench root = new Workbench(new Style(colour), in);
        CommandLine cl = new CommandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(colour ? Ansi.ON : Ansi.OFF));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, argv) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + oneLine(ex.getMessage())
                    + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof UserError) {
                line.getErr().println(line.getCommandSpec().qualifiedName() + ": "
                        + oneLine(ex.getMessage()));
                return USAGE;
            }
            StringWriter trace = new StringWriter();
            ex.printStackTrace(new PrintWriter(trace));
            line.getErr().println(line.getCommandSpec().qualifiedName()
                    + ": internal error (a bug; please report it with this trace): " + ex);
            line.getErr().print(trace);
            return INTERNAL;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    /** Without a command: the walk the README promises. */
    @Override
    public Integer call() {
        CommandLine walk = spec.commandLine().getSubcommands().get("walk");
        return walk.execute();
    }

    Style style() {
        return style;
    }

    InputStream in() {
        return in;
    }

    /** Version from the jar manifest, or the development version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Workbench.class.getPackage().getImplementationVersion();
            return new String[] {"vfio-workbench " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
