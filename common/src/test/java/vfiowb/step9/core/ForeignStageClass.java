package vfiowb.step9.core;

/** Rule fixture: stands for a class of some other stage. */
public final class ForeignStageClass {
    public static int answer() {
        return 9;
    }
}
