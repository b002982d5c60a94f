package vfiowb.rulefixture.bad.drivers.foo;

/** Rule fixture: a driver without @Models that reaches into another stage. */
public final class FooDriver {
    public int probe() {
        return vfiowb.step9.core.ForeignStageClass.answer();
    }
}
