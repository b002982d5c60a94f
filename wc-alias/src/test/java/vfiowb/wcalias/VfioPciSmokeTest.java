package vfiowb.wcalias;

import vfiowb.common.stagetests.VfioPciSmokeTests;

class VfioPciSmokeTest extends VfioPciSmokeTests {
    VfioPciSmokeTest() {
        super(new WcAliasAdapter());
    }
}
