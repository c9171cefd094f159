package org.ypsync.netypareo;

/** A learner in a group, from {@code groupes/<code>/apprenants}. */
public record GroupMember(int studentCode) implements CacheRecord {
    @Override
    public String key() {
        return Integer.toString(studentCode);
    }

    @Override
    public String contentHash() {
        return Canonical.of("GroupMember").add("studentCode", studentCode).hash();
    }
}
