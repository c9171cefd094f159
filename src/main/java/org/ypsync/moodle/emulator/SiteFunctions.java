package org.ypsync.moodle.emulator;

/** The web-service functions of one Moodle subsystem, over the site's state. Callers hold the site lock. */
abstract class SiteFunctions {
    final MoodleSite site;
    final State db;
    final SiteConfig cfg;

    SiteFunctions(MoodleSite site) {
        this.site = site;
        this.db = site.db;
        this.cfg = site.cfg;
    }

    /** Adds this subsystem's functions to the site's registry. */
    abstract void register();
}
