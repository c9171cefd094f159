package org.ypsync.moodle.emulator;

import java.util.List;

/**
 * One section of an emulated course (number 0 is the general section) with its activities, in order: the little
 * of a course's content the emulator keeps, so a test can see that a copy of a template has the template's content.
 */
public record MoodleSection(int number, String name, List<Activity> activities) {
    public MoodleSection {
        activities = List.copyOf(activities);
    }

    /** A course module: its module type ({@code forum}, {@code assign}, {@code page}...) and its name. */
    public record Activity(String modname, String name) {
    }

    MoodleSection withActivity(Activity a) {
        List<Activity> l = new java.util.ArrayList<>(activities);
        l.add(a);
        return new MoodleSection(number, name, l);
    }

    MoodleSection withoutActivities() {
        return new MoodleSection(number, name, List.of());
    }
}
