package vfiowb.workbench;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vfiowb.workbench.series.ForwardPort;
import vfiowb.workbench.series.Repo;

/** {@code forward-port}: carry a change of one stage module into the later ones, or start a stage. */
@Command(name = "forward-port", mixinStandardHelpOptions = true,
        versionProvider = Workbench.Version.class,
        description = {"Carry the change made in stage K's module (its src/ at git revision REV, "
                + "default HEAD, against the working tree, added, deleted and untracked files "
                + "included) to every later stage module with sources, by a three-way merge per "
                + "file of the normalised texts (git merge-file). Each stage merges the change the "
                + "stage before it actually received, as a rebase of the series would.",
            "All or nothing: on any conflict nothing is written and each conflicting file is "
                + "named with its stage (exit 1).",
            "--new-stage N creates stage N's sources as a copy of stage N-1's (the module "
                + "directory and pom must exist, with no sources yet).",
            "Variants (modules whose pom sets vfiowb.variant.of to the stage they sit on, such "
                + "as wc-cookie on stage 5) receive the change their stage received, as an RFC "
                + "rebased onto the new series; --new-variant NAME creates a variant's sources as "
                + "a copy of its stage's.",
            "Afterwards run 'series --update' and commit the stages and series/ together; see "
                + "docs/series.md."},
        footerHeading = "%n",
        footer = {"Exit code 1 on a merge conflict (nothing written)."})
final class ForwardPortCommand extends AbstractCommand {
    @Option(names = "--from", paramLabel = "K", description = "The stage whose change to carry.")
    Integer from;

    @Option(names = "--base", paramLabel = "REV", description = "The git revision holding stage "
            + "K before the change (default: HEAD).")
    String base;

    @Option(names = "--new-stage", paramLabel = "N", description = "Create stage N's sources "
            + "from stage N-1's.")
    Integer newStage;

    @Option(names = "--new-variant", paramLabel = "NAME", description = "Create variant NAME's "
            + "sources from the stage it sits on.")
    String newVariant;

    @Option(names = "--repo", paramLabel = "DIR", description = "The repository root (default: "
            + "the nearest directory upward from here whose pom.xml lists the stage modules).")
    Path repo;

    @Override
    public Integer call() {
        int given = (from == null ? 0 : 1) + (newStage == null ? 0 : 1) + (newVariant == null ? 0 : 1);
        if (given != 1) {
            throw new UserError("name one of --from K, --new-stage N or --new-variant NAME");
        }
        if (from == null && base != null) {
            throw new UserError("--base goes with --from");
        }
        Repo r = Repo.resolve(repo);
        PrintWriter out = out();
        if (newVariant != null) {
            ForwardPort.NewStage s = ForwardPort.newVariant(r, newVariant);
            out.println(s.stage().label() + ": created " + s.files().size() + " files from "
                    + s.from().label());
            out.println("now edit its " + s.stage().spelling().className() + " class (variant(), "
                    + "module, title, patch subjects), then run 'series --update'");
            return 0;
        }
        if (newStage != null) {
            ForwardPort.NewStage s = ForwardPort.newStage(r, newStage);
            out.println(s.stage().label() + ": created " + s.files().size() + " files from "
                    + s.from().label());
            out.println("now edit its Step" + newStage + " class (number, module, title, patch "
                    + "subjects), then run 'series --update'");
            return 0;
        }
        ForwardPort.Plan plan = ForwardPort.plan(r, from, base == null ? "HEAD" : base);
        String rev = base == null ? "HEAD" : base;
        if (plan.changedFiles() == 0) {
            out.println(plan.from().label() + " has no change against " + rev + "; nothing to carry");
            return 0;
        }
        if (!plan.clean()) {
            for (ForwardPort.Conflict c : plan.conflicts()) {
                out.println(style().fail("conflict") + "  " + c.describe());
            }
            out.println("nothing written: " + plan.conflicts().size() + " conflict"
                    + (plan.conflicts().size() == 1 ? "" : "s") + "; resolve by hand in the "
                    + "stages named, or make the change in a form that merges");
            return Workbench.CHECK_FAILED;
        }
        ForwardPort.apply(plan);
        out.println(plan.from().label() + ": " + plan.changedFiles() + " changed file"
                + (plan.changedFiles() == 1 ? "" : "s") + " against " + rev);
        for (ForwardPort.StageResult s : plan.stages()) {
            out.println(s.stage().label() + ": " + (s.changes().isEmpty() ? "no change"
                    : s.changes().size() + " file" + (s.changes().size() == 1 ? "" : "s")));
            for (ForwardPort.FileChange c : s.changes()) {
                out.println("  " + c.kind().letter() + " " + s.stage().name() + "/" + c.path());
            }
            for (ForwardPort.Skipped k : s.skipped()) {
                out.println("  ! " + s.stage().name() + "/" + k.path() + ": " + k.reason());
            }
        }
        out.println("next: run 'series --update' and commit the stages and series/ together");
        return 0;
    }
}
