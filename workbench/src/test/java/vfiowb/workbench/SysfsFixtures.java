package vfiowb.workbench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Copies the sysfs fixtures of the common test-jar to a directory, as a user would have them. */
final class SysfsFixtures {
    private SysfsFixtures() {}

    static Path copy(String name, Path into) throws IOException {
        Path dir = Files.createDirectories(into.resolve(name));
        for (String f : new String[] {"resource", "config", "rom", "physfn"}) {
            try (InputStream in = SysfsFixtures.class.getResourceAsStream(
                    "/vfiowb/common/hw/sysfs/" + name + "/" + f)) {
                if (in != null) {
                    Files.copy(in, dir.resolve(f));
                }
            }
        }
        return dir;
    }
}
