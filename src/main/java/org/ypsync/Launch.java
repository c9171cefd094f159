package org.ypsync;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.ypsync.ops.Secrets;
import org.ypsync.ops.StageRun;
import org.ypsync.ops.StageRunner;

/**
 * One run of ypsync inside this JVM: Camel Main started with the schedules off, some work done once it has started,
 * then stopped. The one-shot commands of {@link Launcher}, the demo and the benchmark all start ypsync this way; it
 * imports none of them.
 */
public final class Launch {
    private Launch() {
    }

    /**
     * Starts Camel Main with the schedules off, runs {@code work} once it has started, and stops. A failure to start
     * or an exception of {@code work} is one line on {@code out} (secrets masked) and exit code 2.
     */
    public static int onceWith(Map<String, String> overrides, Function<CamelContext, Integer> work, PrintStream out)
            throws Exception {
        Main main = new Main(Launcher.class);
        Properties props = new Properties();
        props.put("ypsync.schedule.enabled", "false");
        // a one-shot command next to a running daemon: no second management server on its port, and no Quartz
        // scheduler of its own (with a clustered job store it would take the daemon's triggers)
        props.put("camel.management.enabled", "false");
        props.put("camel.component.quartz.auto-start-scheduler", "false");
        props.putAll(overrides);
        main.setOverrideProperties(props);
        int[] code = {2};
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport m) {
                try {
                    code[0] = work.apply(m.getCamelContext());
                } catch (RuntimeException e) {
                    out.println("ypsync: " + Secrets.mask(e.getMessage()));
                    code[0] = 2;
                } finally {
                    main.completed();
                }
            }
        });
        try {
            main.run();
        } catch (Exception e) {
            out.println("ypsync: could not start: " + Secrets.mask(rootMessage(e)));
            return 2;
        }
        return code[0];
    }

    /** {@link #onceWith} with the stage runner: returns the exit code of the worst outcome of the runs of work. */
    public static int once(Map<String, String> overrides, Function<StageRunner, List<StageRun>> work, PrintStream out)
            throws Exception {
        return onceWith(overrides, context -> StageRunner.outcome(work.apply(
                context.getRegistry().lookupByNameAndType("stageRunner", StageRunner.class))).exitCode(), out);
    }

    /** The message of e, with that of its root cause when it has one. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return e == t ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }
}
