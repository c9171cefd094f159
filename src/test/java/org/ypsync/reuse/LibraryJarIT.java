package org.ypsync.reuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ypsync.ClassFiles;

/**
 * The jars of the build (README, "Build"), read after {@code package}: the library that hosts depend on holds the
 * routes, the stages and their beans, no emulator, demo, bench or runnable-main class, and needs none of them (no
 * class of it refers to a class it leaves out, nor does a route or properties file name one); the runnable jar keeps
 * everything and answers {@code help} with the demo and bench commands.
 */
class LibraryJarIT {
    private static final Pattern LEFT_OUT = Pattern.compile("org/ypsync/(app|demo|bench|[a-z]+/emulator)/.*");
    private static final Pattern DOTTED_CLASS = Pattern.compile("org\\.ypsync(\\.[a-z]+)*\\.[A-Z][A-Za-z0-9_]*");

    private static Path jar(String property) {
        String path = System.getProperty(property);
        assertTrue(path != null, property + " is set by the pom");
        // -Dtest=... runs this class in the test phase too, before the jars exist: only the "jars" execution
        // (integration-test phase, after package) requires them
        assumeTrue(Boolean.getBoolean("ypsync.jars.built") || Files.exists(Path.of(path)),
                "the jars are built by package; this test runs after it");
        return Path.of(path);
    }

    private static Set<String> entries(JarFile jar) {
        Set<String> names = new TreeSet<>();
        jar.stream().map(JarEntry::getName).forEach(names::add);
        return names;
    }

    @Test
    void theLibraryHoldsTheRoutesAndStagesAndNoEmulatorDemoOrBench() throws IOException {
        try (JarFile jar = new JarFile(jar("ypsync.library.jar").toFile())) {
            Set<String> names = entries(jar);
            assertTrue(names.contains("routes/users.camel.yaml") && names.contains("application.properties"), names::toString);
            assertTrue(names.contains("org/ypsync/YpsyncConfiguration.class")
                    && names.contains("org/ypsync/stage/UserStage.class")
                    && names.contains("org/ypsync/moodle/MoodleClient.class"), names::toString);
            assertEquals(List.of(), names.stream().filter(n -> LEFT_OUT.matcher(n).matches()).toList());
        }
    }

    @Test
    void noClassOrResourceOfTheLibraryNeedsWhatItLeavesOut() throws IOException {
        List<String> missing = new ArrayList<>();
        try (JarFile jar = new JarFile(jar("ypsync.library.jar").toFile())) {
            Set<String> names = entries(jar);
            for (String name : names) {
                byte[] bytes = jar.getInputStream(jar.getEntry(name)).readAllBytes();
                if (name.endsWith(".class")) {
                    for (String ref : ClassFiles.ypsyncReferences(bytes)) {
                        if (!names.contains(ref + ".class")) {
                            missing.add(name + " -> " + ref);
                        }
                    }
                } else if (!name.startsWith("META-INF/") && (name.endsWith(".yaml") || name.endsWith(".properties")
                        || name.endsWith(".xml"))) {
                    // class names in routes (#class:, bean types), properties and the logging configuration
                    Matcher m = DOTTED_CLASS.matcher(new String(bytes, StandardCharsets.UTF_8));
                    while (m.find()) {
                        if (!names.contains(m.group().replace('.', '/') + ".class")) {
                            missing.add(name + " -> " + m.group());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), missing, "the library refers to classes it does not hold");
    }

    @Test
    void theRunnableJarKeepsDemoBenchAndTheEmulatorsAndRuns() throws Exception {
        Path runnable = jar("ypsync.runnable.jar");
        try (JarFile jar = new JarFile(runnable.toFile())) {
            Set<String> names = entries(jar);
            for (String name : List.of("org/ypsync/app/YpsyncMain.class", "org/ypsync/demo/Demo.class",
                    "org/ypsync/bench/Bench.class", "org/ypsync/moodle/emulator/MoodleEmulator.class",
                    "org/ypsync/netypareo/emulator/NetypareoEmulator.class", "org/ypsync/stage/UserStage.class",
                    "routes/users.camel.yaml", "org/apache/camel/main/Main.class")) {
                assertTrue(names.contains(name), name);
            }
            assertEquals("org.ypsync.app.YpsyncMain", jar.getManifest().getMainAttributes().getValue("Main-Class"));
        }
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                runnable.toString(), "help").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("java -jar ypsync.jar demo") && out.contains("java -jar ypsync.jar bench")
                && out.contains("dead-letters") && out.contains("stages: cache"), out);
    }
}
