package org.ypsync.netypareo;

/** A NetYpareo record as the cache stores it: its key within its kind, and a digest of all its fields. */
public interface CacheRecord {
    /** The NetYpareo code of the record, as text. */
    String key();

    /** A stable hex digest of a canonical form of every field: equal digests mean "unchanged". */
    String contentHash();
}
