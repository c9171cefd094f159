package org.ypsync.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.ypsync.Launcher;

/** The runnable jar's main adds demo and bench to the library's command line, which knows neither. */
class YpsyncMainTest {
    private static String capture(int[] code, boolean runnable, String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        code[0] = runnable ? YpsyncMain.run(args, out) : Launcher.run(args, out);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpOfTheRunnableJarListsDemoAndBenchAndTheLibraryNeither() throws Exception {
        int[] code = new int[1];
        String runnable = capture(code, true, "help");
        assertEquals(0, code[0]);
        assertTrue(runnable.contains("ypsync.jar demo") && runnable.contains("ypsync.jar bench")
                && runnable.contains("ypsync.jar check") && runnable.contains("stages: cache"), runnable);

        String library = capture(code, false, "demo");
        assertEquals(2, code[0], "the library has no demo: usage, exit 2");
        assertTrue(library.contains("ypsync.jar check"), library);
        assertFalse(library.contains("ypsync.jar demo") || library.contains("ypsync.jar bench"), library);
    }

    @Test
    void anUnknownCommandOfTheRunnableJarPrintsItsUsage() throws Exception {
        int[] code = new int[1];
        String out = capture(code, true, "frobnicate");
        assertEquals(2, code[0]);
        assertTrue(out.contains("ypsync.jar demo"), out);
    }
}
