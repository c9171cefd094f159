package org.ypsync.sync;

/** A course category the courses need: CAT_SITE_&lt;abregeSite&gt; or CAT_FRM_&lt;codeFormation&gt; (n_ for instance n). */
public record DesiredCategory(String idnumber, String name) {
}
