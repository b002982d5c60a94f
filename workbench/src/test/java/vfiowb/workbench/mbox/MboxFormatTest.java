package vfiowb.workbench.mbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The mail format: separators, folded and encoded headers, From-escaping, generated messages. */
class MboxFormatTest {
    @Test
    void aMailHasGitsSeparatorHeadersAndAnEscapedBody() {
        Mbox.Mail m = new Mbox.Mail("0123456789abcdef0123456789abcdef01234567",
                "[PATCH v1 2/3] vfio/pci: Take offsets from the cookie in vma_to_pfn, device regions and ioeventfd_obj",
                "<a.v1.2@x>", "<a.v1.0@x>", Instant.ofEpochSecond(0), "From here on\n>From there\nbody\n");
        String text = Mbox.format(m, "Zoë Example <zoe@example.invalid>");
        assertTrue(text.startsWith("From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n"), text);
        assertTrue(text.contains("\nFrom: =?UTF-8?b?"), "a non-ASCII name is an encoded word: " + text);
        assertTrue(text.contains("\nDate: Thu, 1 Jan 1970 00:00:00 +0000\n"), text);
        assertTrue(text.lines().allMatch(l -> l.length() <= 78 || l.startsWith("From: ")), text);
        assertTrue(text.contains("\n>From here on\n>>From there\nbody\n\n"), text);
        MboxFile.Mail back = MboxFile.parse(text).get(0);
        assertEquals(m.subject(), back.subject(), "the folded subject unfolds to itself");
        assertEquals("<a.v1.0@x>", back.headers().get("In-Reply-To"));
        assertEquals("From here on\n>From there\nbody\n\n", back.body());
    }

    @Test
    void opsTablesAndJavadocAreReadFromSource() {
        Map<String, Set<String>> ops = PatchBody.opsTables(ModelIndexTest.SRC);
        assertEquals(Map.of("a_ops", Set.of("read", "mmap")), ops);
        assertEquals("get_region_info_caps", PatchBody.snake("getRegionInfoCaps"));
        assertEquals("ioeventfd_obj", PatchBody.snake("ioeventfdObj"));
        assertEquals("The ops.", PatchBody.classDoc(ModelIndexTest.SRC, "A"));
        assertEquals("Uses x and y.", PatchBody.javadocText("\n * Uses {@code x} and <b>y</b>.\n *\n * @param z\n "));
        assertEquals("pci", PatchBody.unitOf("vfiowb.step3.pci.VfioPciCore", "vfiowb.step3"));
        assertEquals("mlx5", PatchBody.unitOf("vfiowb.step3.drivers.mlx5.Mlx5VfioPci", "vfiowb.step3"));
        assertEquals("core", PatchBody.unitOf("vfiowb.step3.Step3", "vfiowb.step3"));
    }
}
