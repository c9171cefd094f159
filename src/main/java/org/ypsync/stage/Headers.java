package org.ypsync.stage;

import org.slf4j.Logger;
import org.ypsync.netypareo.NetypareoInstance;

/** The per-instance header operators know from the original plugin. */
final class Headers {
    private Headers() {
    }

    static void runningOn(Logger report, NetypareoInstance instance) {
        report.info("Running on :");
        report.info("Name : {}", instance.name());
        report.info("Base URL : {}", instance.baseUrl());
    }
}
