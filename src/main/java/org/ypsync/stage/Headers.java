package org.ypsync.stage;

import java.util.List;
import org.slf4j.Logger;
import org.ypsync.netypareo.NetypareoInstance;

/** The per-instance header operators know from the original plugin. */
final class Headers {
    private Headers() {
    }

    static void runningOn(Logger report, NetypareoInstance instance) {
        lines(instance).forEach(report::info);
    }

    static List<String> lines(NetypareoInstance instance) {
        return List.of("Running on :", "Name : " + instance.name(), "Base URL : " + instance.baseUrl());
    }
}
