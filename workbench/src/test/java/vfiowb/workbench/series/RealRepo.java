package vfiowb.workbench.series;

import java.nio.file.Path;

/** The repository the tests run in: {@code vfiowb.repo.root} (set by surefire) or upward from here. */
final class RealRepo {
    private RealRepo() {}

    static Repo get() {
        String root = System.getProperty("vfiowb.repo.root");
        return root != null ? Repo.at(Path.of(root)) : Repo.find(Path.of(System.getProperty("user.dir")));
    }
}
