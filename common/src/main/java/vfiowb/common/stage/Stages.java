package vfiowb.common.stage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The stages on the class path, found with {@link ServiceLoader}. */
public final class Stages {
    private Stages() {}

    /**
     * Every {@link Stage} provider on the class path (the thread's context class loader), sorted
     * by number.
     *
     * @throws IllegalStateException if two providers claim the same number
     */
    public static List<Stage> all() {
        return sorted(ServiceLoader.load(Stage.class));
    }

    /**
     * The stage with this number.
     *
     * @throws IllegalArgumentException if there is none
     */
    public static Stage byNumber(int number) {
        return byNumber(all(), number);
    }

    static List<Stage> sorted(Iterable<Stage> stages) {
        List<Stage> out = new ArrayList<>();
        stages.forEach(out::add);
        out.sort(Comparator.comparingInt(Stage::number));
        for (int i = 1; i < out.size(); i++) {
            if (out.get(i).number() == out.get(i - 1).number()) {
                throw new IllegalStateException("two stages claim number " + out.get(i).number()
                        + ": " + out.get(i - 1).module() + " and " + out.get(i).module());
            }
        }
        return Collections.unmodifiableList(out);
    }

    static Stage byNumber(List<Stage> stages, int number) {
        for (Stage s : stages) {
            if (s.number() == number) {
                return s;
            }
        }
        throw new IllegalArgumentException("no stage " + number + " (have "
                + stages.stream().map(s -> String.valueOf(s.number()))
                        .collect(Collectors.joining(", ")) + ")");
    }
}
