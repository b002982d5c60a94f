package vfiowb.workbench;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** What every subcommand has: picocli's writers, the colour style, standard input. */
abstract class AbstractCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    Style style() {
        return root().style();
    }

    InputStream in() {
        return root().in();
    }

    private Workbench root() {
        return (Workbench) spec.root().userObject();
    }
}
