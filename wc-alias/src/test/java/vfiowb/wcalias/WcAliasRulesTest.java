package vfiowb.wcalias;

import vfiowb.common.rules.StageRulesTests;

/** Stage 2 keeps every promise of stages 1 to 2. */
class WcAliasRulesTest extends StageRulesTests {
    WcAliasRulesTest() {
        super(new WcAlias());
    }
}
