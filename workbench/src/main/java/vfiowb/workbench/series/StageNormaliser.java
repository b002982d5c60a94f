package vfiowb.workbench.series;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a stage module's source text and paths between stage {@code K} and the stage-neutral
 * form, so that the difference between two adjacent stage modules is the series and nothing else.
 *
 * <p>Exactly two kinds of occurrence of the stage number are rewritten, in file contents and in
 * paths relative to the module alike:
 * <ol>
 *   <li>the package segment: {@code vfiowb.stepK} or {@code vfiowb/stepK} becomes
 *       {@code vfiowb.stepN} / {@code vfiowb/stepN} when it stands as a whole name: the character
 *       before {@code vfiowb} is not a Java identifier character ({@code [A-Za-z0-9_$]}) and the
 *       character after {@code stepK} is not one either (so {@code vfiowb.step1.core},
 *       {@code vfiowb/step1/Step1.java} and {@code "vfiowb.step1"} change; {@code vfiowb.step10},
 *       {@code vfiowb.step1x} and {@code myvfiowb.step1} do not);</li>
 *   <li>the class-name prefix: {@code StepK} becomes {@code StepN} when it starts an identifier
 *       (the character before is not an identifier character) and the identifier ends there or
 *       goes on with an upper-case letter ({@code Step1}, {@code Step1RulesTest},
 *       {@code Step1ConformanceTest.java}); {@code MyStep1}, {@code Step10} and {@code Step1a}
 *       do not change.</li>
 * </ol>
 * Nothing else changes: a bare {@code step1} (the module name {@code step1-region-info-op}, a
 * word in prose) and the stage's {@code number()} stay as they are and show in the series as what
 * the stage changes. {@link #denormalise} is the exact inverse: it rewrites the neutral tokens
 * {@code vfiowb.stepN}, {@code vfiowb/stepN} and {@code StepN} under the same boundary rules to
 * stage {@code K}. Normalising text that already holds a neutral token is refused, because the
 * round trip could not restore it.
 *
 * <p>A variant built on a stage ({@code wc-cookie}, package {@code vfiowb.wccookie}, class
 * prefix {@code WcCookie}) is spelled the same way with its own segment and prefix
 * ({@link Spelling#variant}), so its difference from the stage it sits on is its patch.
 */
public final class StageNormaliser {
    /** The neutral package segment. */
    public static final String NEUTRAL_SEGMENT = "stepN";
    /** The neutral class-name prefix. */
    public static final String NEUTRAL_CLASS = "StepN";

    private static final String BEFORE = "(?<![A-Za-z0-9_$])";
    private static final String AFTER_SEGMENT = "(?![A-Za-z0-9_$])";
    private static final String AFTER_CLASS = "(?![a-z0-9_$])";
    private static final Pattern NEUTRAL = tokens(NEUTRAL_SEGMENT, NEUTRAL_CLASS);

    private StageNormaliser() {}

    /**
     * How a module spells its package segment and class-name prefix: {@code step3} and
     * {@code Step3} for stage 3, {@code wccookie} and {@code WcCookie} for variant
     * {@code wc-cookie}.
     */
    public record Spelling(String segment, String className) {
        private static final Pattern VARIANT = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

        /** Stage {@code n}'s. */
        public static Spelling stage(int n) {
            return new Spelling("step" + stageNumber(n), "Step" + n);
        }

        /**
         * Variant {@code name}'s: the name without its dashes, and its dash-separated words
         * capitalised ({@code wc-dmabuf}: {@code wcdmabuf}, {@code WcDmabuf}).
         */
        public static Spelling variant(String name) {
            if (!VARIANT.matcher(name).matches()) {
                throw new IllegalArgumentException("a variant name is lower-case words joined by "
                        + "dashes, not '" + name + "'");
            }
            StringBuilder cls = new StringBuilder();
            for (String w : name.split("-")) {
                cls.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
            }
            return new Spelling(name.replace("-", ""), cls.toString());
        }
    }

    /** {@code text} of stage {@code stage} in stage-neutral form. */
    public static String normalise(String text, int stage) {
        return normalise(text, Spelling.stage(stage));
    }

    /** {@code text} of the module spelled {@code spelling} in stage-neutral form. */
    public static String normalise(String text, Spelling spelling) {
        Matcher m = NEUTRAL.matcher(text);
        if (m.find()) {
            throw new IllegalArgumentException("already holds the stage-neutral token '" + m.group()
                    + "' at offset " + m.start() + "; a stage's sources must not use it");
        }
        return rewrite(text, tokens(spelling.segment(), spelling.className()), NEUTRAL_SEGMENT,
                NEUTRAL_CLASS);
    }

    /** Stage-neutral {@code text} as stage {@code stage} spells it. */
    public static String denormalise(String text, int stage) {
        return denormalise(text, Spelling.stage(stage));
    }

    /** Stage-neutral {@code text} as the module spelled {@code spelling} spells it. */
    public static String denormalise(String text, Spelling spelling) {
        return rewrite(text, NEUTRAL, spelling.segment(), spelling.className());
    }

    /** Whether {@code text} holds a stage-neutral token (and so cannot be normalised). */
    public static boolean holdsNeutralToken(String text) {
        return NEUTRAL.matcher(text).find();
    }

    private static Pattern tokens(String segment, String className) {
        return Pattern.compile(BEFORE + "(?:vfiowb([./])" + segment + AFTER_SEGMENT + "|"
                + className + AFTER_CLASS + ")");
    }

    private static String rewrite(String text, Pattern p, String segment, String className) {
        Matcher m = p.matcher(text);
        StringBuilder sb = new StringBuilder(text.length());
        while (m.find()) {
            String separator = m.group(1);
            m.appendReplacement(sb, Matcher.quoteReplacement(separator == null ? className
                    : "vfiowb" + separator + segment));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static int stageNumber(int stage) {
        if (stage < 1) {
            throw new IllegalArgumentException("stage numbers start at 1, not " + stage);
        }
        return stage;
    }
}
