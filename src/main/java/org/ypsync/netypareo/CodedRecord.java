package org.ypsync.netypareo;

/** A cache record whose key is its own NetYpareo code. */
public interface CodedRecord extends CacheRecord {
    int code();

    @Override
    default String key() {
        return Integer.toString(code());
    }
}
