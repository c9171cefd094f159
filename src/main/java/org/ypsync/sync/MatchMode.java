package org.ypsync.sync;

/** How an unlinked NetYpareo person is matched to an existing Moodle account. */
public enum MatchMode {
    /** by the normalised login (default) */
    USERNAME,
    /** by idnumber (the NetYpareo id, instance-prefixed), disambiguated by the user type */
    IDNUMBER
}
