package vfiowb.step1.oracle;

import vfiowb.common.oracle.StageReplayTests;
import vfiowb.step1.Step1;

/** Stage 1 replays the Linux 6.12 transcripts. */
class Step1ReplayTest extends StageReplayTests {
    Step1ReplayTest() {
        super(new Step1());
    }
}
