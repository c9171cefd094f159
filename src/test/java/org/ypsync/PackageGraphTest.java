package org.ypsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of the main classes depend on each other one way only (README, "Code map"): no circle such as
 * Launcher -> demo -> Launcher or ops -> stage -> ops, read from the compiled classes (target/classes).
 */
class PackageGraphTest {
    static Map<String, Set<String>> graph() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        Path root = Path.of("target", "classes");
        try (Stream<Path> files = Files.walk(root.resolve("org/ypsync"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String from = ClassFiles.packageOf(root.relativize(f).toString().replace('\\', '/'));
                Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
                ClassFiles.ypsyncReferences(Files.readAllBytes(f)).stream().map(ClassFiles::packageOf)
                        .filter(p -> !p.equals(from)).forEach(to::add);
            }
        }
        return graph;
    }

    @Test
    void noPackageCircle() throws IOException {
        Map<String, Set<String>> graph = graph();
        assertTrue(graph.containsKey("org.ypsync.stage") && graph.containsKey("org.ypsync.app"), graph.toString());
        List<String> circles = new ArrayList<>();
        for (String start : graph.keySet()) {
            circle(graph, start, new ArrayList<>(List.of(start)), circles);
        }
        assertEquals(List.of(), circles, "package graph: " + graph);
    }

    /** Adds to circles every path from the last package of path back to its first (each circle once per start). */
    private static void circle(Map<String, Set<String>> graph, String start, List<String> path, List<String> circles) {
        for (String next : graph.getOrDefault(path.get(path.size() - 1), Set.of())) {
            if (next.equals(start)) {
                circles.add(String.join(" -> ", path) + " -> " + start);
            } else if (!path.contains(next) && next.compareTo(start) > 0) {
                path.add(next);
                circle(graph, start, path, circles);
                path.remove(path.size() - 1);
            }
        }
    }

    @Test
    void onlyTheRunnableMainDemoAndBenchUseTheEmulators() throws IOException {
        Map<String, Set<String>> graph = graph();
        List<String> users = graph.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(PackageGraphTest::isEmulator))
                .map(Map.Entry::getKey).filter(p -> !isEmulator(p)).toList();
        assertEquals(List.of("org.ypsync.bench", "org.ypsync.demo"), users, "package graph: " + graph);
    }

    /** An emulator package or one of its subpackages (the library jar leaves them all out). */
    private static boolean isEmulator(String pkg) {
        return pkg.matches("org\\.ypsync\\.[a-z]+\\.emulator(\\..*)?");
    }
}
