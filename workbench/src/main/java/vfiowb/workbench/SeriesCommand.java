package vfiowb.workbench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vfiowb.workbench.series.Repo;
import vfiowb.workbench.series.Series;

/** {@code series}: the series as data, {@code series/}, checked against or rewritten from the stage modules. */
@Command(name = "series", mixinStandardHelpOptions = true, versionProvider = Workbench.Version.class,
        description = {"The series as data: series/ holds, for each pair of adjacent stage modules "
                + "with sources, a directory stepK-to-stepM/ of git-style patches between their "
                + "src/ trees with the stage number normalised (vfiowb.stepK and StepK written "
                + "stepN, StepN): NNNN-UNIT.patch, one per part of the tree the stage changes "
                + "(core, pci, each driver, tests), each with a kernel-style Subject line. "
                + "See docs/series.md.",
            "--check compares series/ with what the modules produce; --update rewrites it."},
        footerHeading = "%n",
        footer = {"Exit code 1 when --check finds a stale, missing or extra patch."})
final class SeriesCommand extends AbstractCommand {
    @Option(names = "--check", description = "Say whether series/ matches the stage modules; "
            + "exit 1 naming each file that does not.")
    boolean check;

    @Option(names = "--update", description = "Rewrite series/ from the stage modules.")
    boolean update;

    @Option(names = "--repo", paramLabel = "DIR", description = "The repository root (default: "
            + "the nearest directory upward from here whose pom.xml lists the stage modules).")
    Path repo;

    @Override
    public Integer call() {
        if (check == update) {
            throw new UserError("name one of --check or --update");
        }
        Repo r = Repo.resolve(repo);
        PrintWriter out = out();
        if (update) {
            for (Series.Entry e : Series.update(r)) {
                String f = "series/" + e.fileName();
                switch (e.state()) {
                    case UP_TO_DATE:
                        out.println("unchanged " + f);
                        break;
                    case STALE:
                        out.println("rewrote   " + f);
                        break;
                    case MISSING:
                        out.println("wrote     " + f);
                        break;
                    default:
                        out.println("removed   " + f);
                }
            }
            return 0;
        }
        List<Series.Entry> entries = Series.check(r);
        boolean failed = false;
        for (Series.Entry e : entries) {
            boolean ok = e.state() == Series.State.UP_TO_DATE;
            failed |= !ok;
            out.println((ok ? style().pass("ok  ") : style().fail("FAIL")) + "  " + e.describe());
        }
        if (entries.isEmpty()) {
            out.println("no pair of adjacent stages has sources; series/ holds no patch");
        }
        if (failed) {
            out.println("run '" + Series.UPDATE_COMMAND + "' and commit series/ with the change");
            return Workbench.CHECK_FAILED;
        }
        return 0;
    }
}
