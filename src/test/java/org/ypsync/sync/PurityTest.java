package org.ypsync.sync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The planning package stays pure: only the JDK's collections, text, math and time values, nothing of Camel, HTTP,
 * SQL, JSON or other packages.
 */
class PurityTest {
    @Test
    void mainSourcesImportOnlyTheJdkCollectionsAndText() throws IOException {
        Path dir = Path.of("src/main/java/org/ypsync/sync");
        List<String> bad = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    String l = line.trim();
                    if (l.startsWith("import ") && !(l.startsWith("import java.util") || l.startsWith("import java.text")
                            || l.startsWith("import java.math") || l.startsWith("import java.time"))) {
                        bad.add(f.getFileName() + ": " + l);
                    }
                    if (l.contains("org.ypsync.") && !l.startsWith("package org.ypsync.sync")) {
                        bad.add(f.getFileName() + ": " + l);
                    }
                }
            }
        }
        assertTrue(bad.isEmpty(), "impure imports: " + bad);
    }
}
