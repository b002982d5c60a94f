package vfiowb.wccookie;

import java.util.Set;

/** The converted tables, for tests in other packages of this stage. */
public final class OpsTablesTestAccess {
    private OpsTablesTestAccess() {}

    public static Set<String> converted() {
        return OpsTablesTest.CONVERTED;
    }
}
