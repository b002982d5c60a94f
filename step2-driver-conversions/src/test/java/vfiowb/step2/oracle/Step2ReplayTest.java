package vfiowb.step2.oracle;

import vfiowb.common.oracle.StageReplayTests;
import vfiowb.step2.Step2;

/** Stage 2 replays the Linux 6.12 transcripts. */
class Step2ReplayTest extends StageReplayTests {
    Step2ReplayTest() {
        super(new Step2());
    }
}
