package vfiowb.common.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;

class StagesTest {

    /** Providers are not registered in common's test resources: other modules see its test jar. */
    private static Stage stage(int number, String module) {
        return variant(number, null, module);
    }

    private static Stage variant(int number, String variant, String module) {
        return new Stage() {
            @Override
            public String variant() {
                return variant;
            }

            @Override
            public int number() {
                return number;
            }

            @Override
            public String module() {
                return module;
            }

            @Override
            public String title() {
                return module;
            }

            @Override
            public List<String> patchSubjects() {
                return List.of();
            }

            @Override
            public String packageRoot() {
                return "vfiowb.step" + number;
            }

            @Override
            public VfioHost boot(Arch arch, List<DeviceSpec> devices) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Nested
    class Discovery {
        @Test
        void sortsByNumber() {
            Stage three = stage(3, "step3");
            Stage one = stage(1, "step1");
            assertEquals(List.of(one, three), Stages.sorted(List.of(three, one)));
        }

        @Test
        void refusesDuplicateNumbers() {
            assertThrows(IllegalStateException.class,
                    () -> Stages.sorted(List.of(stage(2, "a"), stage(2, "b"))));
        }

        @Test
        void commonAloneProvidesNoStage() {
            assertTrue(Stages.all().isEmpty());
            assertTrue(Stages.variants().isEmpty());
        }

        @Test
        void variantsStandApartFromTheSeries() {
            Stage five = stage(5, "step5");
            Stage b = variant(5, "wc-b", "wc-b");
            Stage a = variant(5, "wc-a", "wc-a");
            List<Stage> found = List.of(b, five, a);
            assertEquals(List.of(five), Stages.sorted(found), "a variant shares its stage's number");
            assertEquals(List.of(a, b), Stages.variants(found));
            assertThrows(IllegalStateException.class,
                    () -> Stages.variants(List.of(a, variant(4, "wc-a", "other"))));
        }

        @Test
        void namesAndLabels() {
            assertEquals("3", stage(3, "step3").name());
            assertEquals("stage 3", stage(3, "step3").label());
            Stage v = variant(5, "wc-cookie", "wc-cookie");
            assertEquals("wc-cookie", v.name());
            assertEquals("wc-cookie (RFC on stage 5)", v.label());
            assertEquals("wc-cookie", new PolicyStage(v, SeriesPolicy.DEFAULT).variant());
        }
    }

    @Nested
    class ByNumber {
        @Test
        void findsOrNamesWhatThereIs() {
            Stage two = stage(2, "step2");
            List<Stage> stages = List.of(stage(1, "step1"), two);
            assertSame(two, Stages.byNumber(stages, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Stages.byNumber(stages, 7));
            assertEquals("no stage 7 (have 1, 2)", e.getMessage());
        }
    }
}
