package org.ypsync.moodle.emulator;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Mutable rows of the emulated tables; every change goes through a copy so a transaction can put the old row back. */
final class Records {
    private Records() {
    }

    static final class UserRow {
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
            UserRow c = new UserRow();
            c.id = id;
            c.contextId = contextId;
            c.username = username;
            c.hasPassword = hasPassword;
            c.auth = auth;
            c.firstname = firstname;
            c.lastname = lastname;
            c.email = email;
            c.idnumber = idnumber;
            c.lang = lang;
            c.theme = theme;
            c.timezone = timezone;
            c.calendartype = calendartype;
            c.department = department;
            c.institution = institution;
            c.city = city;
            c.country = country;
            c.description = description;
            c.phone1 = phone1;
            c.phone2 = phone2;
            c.address = address;
            c.firstnamephonetic = firstnamephonetic;
            c.lastnamephonetic = lastnamephonetic;
            c.middlename = middlename;
            c.alternatename = alternatename;
            c.interests = interests;
            c.mailformat = mailformat;
            c.maildisplay = maildisplay;
            c.suspended = suspended;
            c.deleted = deleted;
            c.confirmed = confirmed;
            c.forcePasswordChange = forcePasswordChange;
            c.timecreated = timecreated;
            c.timemodified = timemodified;
            c.customfields = new LinkedHashMap<>(customfields);
            c.preferences = new LinkedHashMap<>(preferences);
            return c;
        }
    }

    static final class CohortRow {
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
            CohortRow c = new CohortRow();
            c.id = id;
            c.contextId = contextId;
            c.name = name;
            c.idnumber = idnumber;
            c.description = description;
            c.descriptionformat = descriptionformat;
            c.visible = visible;
            c.theme = theme;
            c.component = component;
            c.timecreated = timecreated;
            c.timemodified = timemodified;
            c.heap = heap;
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

        CategoryRow copy() {
            CategoryRow c = new CategoryRow();
            c.id = id;
            c.contextId = contextId;
            c.name = name;
            c.idnumber = idnumber;
            c.description = description;
            c.descriptionformat = descriptionformat;
            c.parent = parent;
            c.visible = visible;
            c.visibleold = visibleold;
            c.timemodified = timemodified;
            c.depth = depth;
            c.path = path;
            c.theme = theme;
            return c;
        }
    }

    static final class CourseRow {
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

        CourseRow copy() {
            CourseRow c = new CourseRow();
            c.id = id;
            c.contextId = contextId;
            c.category = category;
            c.fullname = fullname;
            c.shortname = shortname;
            c.idnumber = idnumber;
            c.summary = summary;
            c.summaryformat = summaryformat;
            c.format = format;
            c.showgrades = showgrades;
            c.newsitems = newsitems;
            c.startdate = startdate;
            c.enddate = enddate;
            c.maxbytes = maxbytes;
            c.showreports = showreports;
            c.visible = visible;
            c.groupmode = groupmode;
            c.groupmodeforce = groupmodeforce;
            c.defaultgroupingid = defaultgroupingid;
            c.enablecompletion = enablecompletion;
            c.completionnotify = completionnotify;
            c.lang = lang;
            c.theme = theme;
            c.timecreated = timecreated;
            c.timemodified = timemodified;
            c.cacherev = cacherev;
            c.manualEnrolEnabled = manualEnrolEnabled;
            c.hasManualInstance = hasManualInstance;
            c.formatOptions = new LinkedHashMap<>(formatOptions);
            return c;
        }
    }

    static final class EnrolmentRow {
        long userId;
        long courseId;
        long timestart;
        long timeend;
        long status;
        long timecreated;
        Set<Long> roles = new LinkedHashSet<>();

        EnrolmentRow copy() {
            EnrolmentRow c = new EnrolmentRow();
            c.userId = userId;
            c.courseId = courseId;
            c.timestart = timestart;
            c.timeend = timeend;
            c.status = status;
            c.timecreated = timecreated;
            c.roles = new LinkedHashSet<>(roles);
            return c;
        }
    }
}
