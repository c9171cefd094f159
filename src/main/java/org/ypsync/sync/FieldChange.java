package org.ypsync.sync;

/** One field's value before (null = never written / unset) and after an action. */
public record FieldChange(String before, String after) {
    @Override
    public String toString() {
        return (before == null ? "(none)" : "'" + before + "'") + " -> '" + after + "'";
    }
}
