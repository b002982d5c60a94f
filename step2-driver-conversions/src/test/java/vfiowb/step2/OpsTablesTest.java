package vfiowb.step2;

import vfiowb.common.stagetests.OpsTablesTests;

/** Stage 2 is the tree as merged for v6.19: every table as kernel-facts §C lists it. */
class OpsTablesTest extends OpsTablesTests {
    OpsTablesTest() {
        super(new Step2Adapter(), (name, members) -> members);
    }
}
