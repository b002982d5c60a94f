package vfiowb.workbench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vfiowb.workbench.mbox.SeriesMbox;
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
            "--check compares series/ with what the modules produce; --update rewrites it.",
            "--out DIR writes the series as a kernel reviewer receives it: DIR/stepK-to-stepM.mbox, "
                + "a cover letter [PATCH vN 0/T] whose every number a workbench command prints "
                + "(cited in the letter) and one mail per patch of series/ from stage K to M "
                + "(--from, --to; default the whole series), each with a generated message, the "
                + "diffstat of the model's files and of the kernel files they model, and the diff. "
                + "It applies with 'git am --empty=drop' in a repository holding stage K's "
                + "normalised tree (--base DIR writes one)."},
        footerHeading = "%n",
        footer = {"Exit code 1 when --check finds a stale, missing or extra patch. --out refuses "
                + "(exit 2) while series/ is out of date for the stages it covers."})
final class SeriesCommand extends AbstractCommand {
    @Option(names = "--check", description = "Say whether series/ matches the stage modules; "
            + "exit 1 naming each file that does not.")
    boolean check;

    @Option(names = "--update", description = "Rewrite series/ from the stage modules.")
    boolean update;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the mbox (cover letter and "
            + "patches) into DIR, created if missing.")
    Path outDir;

    @Option(names = "--from", paramLabel = "K", description = "With --out: the stage the mbox applies "
            + "to (default: the first stage with sources).")
    Integer from;

    @Option(names = "--to", paramLabel = "M", description = "With --out: the stage the mbox ends at "
            + "(default: the last stage with sources).")
    Integer to;

    @Option(names = {"-v", "--reroll-count"}, paramLabel = "N", description = "With --out: the "
            + "version in every subject, [PATCH vN M/T] (default 1).")
    int version = 1;

    @Option(names = "--author", paramLabel = "'NAME <EMAIL>'", description = "With --out: the From "
            + "of every mail (default: " + SeriesMbox.DEFAULT_AUTHOR + ").")
    String author;

    @Option(names = "--date", paramLabel = "SECONDS", description = "With --out: the Date of the cover "
            + "letter in seconds since the epoch, each patch one second later (default: "
            + "SOURCE_DATE_EPOCH, else the commit time of HEAD, else 0).")
    Long date;

    @Option(names = "--base", paramLabel = "DIR", description = "With --out: also create a git "
            + "repository in DIR (absent or empty) holding stage K's normalised tree, committed, "
            + "for 'git -C DIR am --empty=drop MBOX'.")
    Path base;

    @Option(names = "--repo", paramLabel = "DIR", description = "The repository root (default: "
            + "the nearest directory upward from here whose pom.xml lists the stage modules).")
    Path repo;

    @Override
    public Integer call() {
        int modes = (check ? 1 : 0) + (update ? 1 : 0) + (outDir != null ? 1 : 0);
        if (modes != 1) {
            throw new UserError("name one of --check, --update or --out DIR");
        }
        if (outDir == null && (from != null || to != null || base != null || author != null
                || date != null || version != 1)) {
            throw new UserError("--from, --to, --reroll-count, --author, --date and --base go with --out");
        }
        Repo r = Repo.resolve(repo);
        PrintWriter out = out();
        if (outDir != null) {
            SeriesMbox.Written w = SeriesMbox.write(r, outDir, from, to, version, author, date, base);
            out.println("wrote " + w.mbox() + ": " + w.mails() + " mails (cover letter and " + (w.mails() - 1)
                    + " patches), stage " + w.from() + " to stage " + w.to());
            if (w.base() != null) {
                out.println("base  " + w.base() + ": stage " + w.from() + "'s normalised tree; apply with");
                out.println("      git -C " + w.base() + " am --empty=drop " + w.mbox().toAbsolutePath());
            }
            return 0;
        }
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
