package vfiowb.common.stage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The stages on the class path, found with {@link ServiceLoader}: the stages of the series, and
 * apart from them the variants that sit on one of them ({@link Stage#variant()}).
 */
public final class Stages {
    private Stages() {}

    /**
     * Every stage of the series on the class path (the thread's context class loader), sorted by
     * number; variants are not among them.
     *
     * @throws IllegalStateException if two providers claim the same number
     */
    public static List<Stage> all() {
        return sorted(ServiceLoader.load(Stage.class));
    }

    /**
     * Every variant on the class path, by the number of the stage it sits on, then by name.
     *
     * @throws IllegalStateException if two providers claim the same name
     */
    public static List<Stage> variants() {
        return variants(ServiceLoader.load(Stage.class));
    }

    /**
     * The stage with this number.
     *
     * @throws IllegalArgumentException if there is none
     */
    public static Stage byNumber(int number) {
        return byNumber(all(), number);
    }

    /**
     * The stage or variant {@code --stage name} names: a number, or a variant's name
     * (case-insensitive).
     *
     * @throws IllegalArgumentException if there is none
     */
    public static Stage byName(String name) {
        String n = name.trim();
        if (!n.isEmpty() && n.chars().allMatch(Character::isDigit) && n.length() < 10) {
            return byNumber(Integer.parseInt(n));
        }
        for (Stage v : variants()) {
            if (v.variant().equals(n.toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new IllegalArgumentException("no stage or variant '" + name + "'");
    }

    static List<Stage> sorted(Iterable<Stage> stages) {
        List<Stage> out = new ArrayList<>();
        stages.forEach(s -> {
            if (s.variant() == null) {
                out.add(s);
            }
        });
        out.sort(Comparator.comparingInt(Stage::number));
        for (int i = 1; i < out.size(); i++) {
            if (out.get(i).number() == out.get(i - 1).number()) {
                throw new IllegalStateException("two stages claim number " + out.get(i).number()
                        + ": " + out.get(i - 1).module() + " and " + out.get(i).module());
            }
        }
        return Collections.unmodifiableList(out);
    }

    static List<Stage> variants(Iterable<Stage> stages) {
        List<Stage> out = new ArrayList<>();
        stages.forEach(s -> {
            if (s.variant() != null) {
                out.add(s);
            }
        });
        out.sort(Comparator.comparingInt(Stage::number).thenComparing(Stage::variant));
        for (int i = 1; i < out.size(); i++) {
            if (out.get(i).variant().equals(out.get(i - 1).variant())) {
                throw new IllegalStateException("two variants claim the name " + out.get(i).variant()
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
