package org.ypsync.demo;

import java.io.PrintStream;
import org.ypsync.Launcher;
import org.ypsync.netypareo.emulator.DataSetSize;

/**
 * {@code java -jar ypsync.jar demo}: the built-in emulators on loopback, an H2 store under ./data, every stage once.
 * Needs no network and no configuration.
 */
public final class Demo {
    static final String STORE = "jdbc:h2:file:./data/demo;AUTO_SERVER=TRUE";

    private Demo() {
    }

    public static int run(PrintStream out) throws Exception {
        try (DemoEnvironment env = DemoEnvironment.start(20261125L, DataSetSize.DEMO, STORE)) {
            out.println("ypsync demo: NetYpareo emulator on 127.0.0.1:" + env.netypareo().port()
                    + " (instances '" + DemoEnvironment.FIRST + "' and '" + DemoEnvironment.SECOND + "'), store " + STORE);
            return Launcher.once(env.properties(), runner -> runner.run("all", false, false), out);
        }
    }
}
