package org.ypsync.moodle.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mutable rows of the emulated tables; every change goes through a copy so a transaction can put the old row back.
 */
final class Records {
    private Records() {
    }

    /** A row's fields copied as they are; each row then copies its collections, so the two share nothing mutable. */
    abstract static class Row implements Cloneable {
        final Row shallowCopy() {
            try {
                return (Row) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }

    static final class UserRow extends Row {
        long id;
        long contextId;
        String username;
        boolean hasPassword;
        String auth = "manual";
        String firstname = "";
        String lastname = "";
        String email = "";
        String idnumber = "";
        String lang = "en";
        String theme = "";
        String timezone = "99";
        String calendartype = "gregorian";
        String department = "";
        String institution = "";
        String city = "";
        String country = "";
        String description = "";
        String phone1 = "";
        String phone2 = "";
        String address = "";
        String firstnamephonetic = "";
        String lastnamephonetic = "";
        String middlename = "";
        String alternatename = "";
        String interests = "";
        long mailformat = 1;
        long maildisplay = 2;
        boolean suspended;
        boolean deleted;
        boolean confirmed = true;
        boolean forcePasswordChange;
        long timecreated;
        long timemodified;
        Map<String, String> customfields = new LinkedHashMap<>();
        Map<String, String> preferences = new LinkedHashMap<>();

        UserRow copy() {
            UserRow c = (UserRow) shallowCopy();
            c.customfields = new LinkedHashMap<>(customfields);
            c.preferences = new LinkedHashMap<>(preferences);
            return c;
        }
    }

    static final class CohortRow extends Row {
        long id;
        long contextId;
        String name;
        String idnumber;
        String description = "";
        long descriptionformat = 1;
        boolean visible = true;
        String theme = "";
        String component = "";
        long timecreated;
        long timemodified;
        /** Position in the PostgreSQL heap: an UPDATE writes a new tuple at the end, so unordered reads move it last. */
        long heap;
        Map<String, String> customfields = new LinkedHashMap<>();

        CohortRow copy() {
            CohortRow c = (CohortRow) shallowCopy();
            c.customfields = new LinkedHashMap<>(customfields);
            return c;
        }
    }

    static final class CategoryRow {
        long id;
        long contextId;
        String name;
        String idnumber = "";
        String description = "";
        long descriptionformat = 1;
        long parent;
        long visible = 1;
        long visibleold = 1;
        long timemodified;
        long depth;
        String path;
        String theme = "";
    }

    static final class CourseRow extends Row {
        long id;
        long contextId;
        long category;
        String fullname;
        String shortname;
        String idnumber = "";
        String summary = "";
        long summaryformat = 1;
        String format = "topics";
        long showgrades = 1;
        long newsitems = 5;
        long startdate;
        long enddate;
        long maxbytes;
        long showreports;
        long visible = 1;
        long groupmode;
        long groupmodeforce;
        long defaultgroupingid;
        long enablecompletion = 1;
        long completionnotify;
        String lang = "";
        String theme = "";
        long timecreated;
        long timemodified;
        long cacherev;
        boolean manualEnrolEnabled = true;
        boolean hasManualInstance = true;
        Map<String, Object> formatOptions = new LinkedHashMap<>();
        /** Sections in order, each immutable: a new course has the general section (0) only. */
        List<MoodleSection> sections = new ArrayList<>(List.of(new MoodleSection(0, "", List.of())));

        CourseRow copy() {
            CourseRow c = (CourseRow) shallowCopy();
            c.formatOptions = new LinkedHashMap<>(formatOptions);
            c.sections = new ArrayList<>(sections);
            return c;
        }
    }

    static final class EnrolmentRow extends Row {
        long userId;
        long courseId;
        long timestart;
        long timeend;
        long status;
        long timecreated;
        Set<Long> roles = new LinkedHashSet<>();

        EnrolmentRow copy() {
            EnrolmentRow c = (EnrolmentRow) shallowCopy();
            c.roles = new LinkedHashSet<>(roles);
            return c;
        }
    }
}
