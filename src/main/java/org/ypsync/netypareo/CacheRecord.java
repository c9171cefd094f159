package org.ypsync.netypareo;

/**
 * A NetYpareo record as the cache stores it: its key within its kind, and a digest of all its fields. Implemented by
 * records: the digest is that of every record component ({@link Canonical#hash}).
 */
public interface CacheRecord {
    /** The NetYpareo code of the record, as text. */
    String key();

    /** A stable hex digest of a canonical form of every field: equal digests mean "unchanged". */
    default String contentHash() {
        return Canonical.hash((Record) this);
    }
}
