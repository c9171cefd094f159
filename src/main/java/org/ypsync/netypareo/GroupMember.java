package org.ypsync.netypareo;

/** A learner in a group, from {@code groupes/<code>/apprenants}. */
public record GroupMember(int studentCode) implements CacheRecord {
    @Override
    public String key() {
        return Integer.toString(studentCode);
    }
}
