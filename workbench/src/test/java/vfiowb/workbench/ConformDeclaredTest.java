package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vfiowb.workbench.conform.Declared;

/** {@code conform --declared}: the declarations as data, with where each applies; nothing runs. */
class ConformDeclaredTest {
    @Test
    void listsEveryDeclarationWithWhereItAppliesInTextAndJson() {
        Cli.Result text = Cli.run("conform", "--declared");
        assertEquals(0, text.code(), text.err());
        for (Declared.Difference d : Declared.all()) {
            assertTrue(text.out().contains("\n    " + d.reason() + "\n") || text.out().contains(d.reason()),
                    d.reason());
        }
        Cli.Result json = Cli.run("conform", "--declared", "--format", "json");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> all = (List<Map<String, Object>>) json.json().get("declared");
        assertEquals(Declared.all().size(), all.size());
        for (Map<String, Object> d : all) {
            assertTrue(d.keySet().containsAll(List.of("from", "to", "patch", "patches", "where", "reason",
                    "explainsFailures")), d.toString());
        }
        assertTrue(text.out().contains("[arch i386, layout=packed]"), "a condition on arch and layout reads back");
        assertTrue(text.out().contains("[every arch and policy]"));
    }

    @Test
    void whereReadsAConjunctionBackAndRunOptionsAreRefused() {
        Declared.Difference packed = Declared.all().stream()
                .filter(d -> d.reason().startsWith("keys=bytes with layout=legacy on a 32-bit kernel: byte"))
                .findFirst().orElseThrow();
        assertEquals("arch i386, layout=legacy, keys=bytes", Declared.where(packed));
        Cli.Result r = Cli.run("conform", "--declared", "--stage", "3");
        assertEquals(2, r.code());
        assertTrue(r.oneErrorLine() && r.err().contains("--declared"), r.err());
    }
}
