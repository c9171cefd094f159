package org.ypsync.sync;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A course as NetYpareo wants it: one per diploma group, idnumber CRS_&lt;codeGroupe&gt; (n_ prefix for instance n),
 * names from the templates, its category by idnumber, start and end as Unix times (0: none).
 */
public record DesiredCourse(String idnumber, String shortname, String fullname, String categoryIdnumber,
                            long startdate, long enddate) {
    public static final String IDNUMBER = "idnumber";
    public static final String SHORTNAME = "shortname";
    public static final String FULLNAME = "fullname";
    /** The category, by its idnumber (Moodle holds its id; the stage maps one to the other). */
    public static final String CATEGORY = "category";
    public static final String STARTDATE = "startdate";
    public static final String ENDDATE = "enddate";
    /** Only written when ypsync hid the course of a group gone from NetYpareo ("0"), or showed it again ("1"). */
    public static final String VISIBLE = "visible";

    public DesiredCourse {
        idnumber = idnumber == null ? "" : idnumber.strip();
        shortname = shortname == null ? "" : shortname.strip();
        fullname = fullname == null ? "" : fullname.strip();
        categoryIdnumber = categoryIdnumber == null ? "" : categoryIdnumber;
    }

    /** The fields ypsync writes and remembers in the course's link. */
    public Map<String, String> written() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(IDNUMBER, idnumber);
        m.put(SHORTNAME, shortname);
        m.put(FULLNAME, fullname);
        m.put(CATEGORY, categoryIdnumber);
        m.put(STARTDATE, String.valueOf(startdate));
        m.put(ENDDATE, String.valueOf(enddate));
        return m;
    }
}
