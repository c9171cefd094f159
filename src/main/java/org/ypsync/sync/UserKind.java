package org.ypsync.sync;

/** The NetYpareo population a user comes from; value() is the netypareo_usertype profile value and the log word. */
public enum UserKind {
    STUDENT("student"), TEACHER("teacher"), TUTOR("tutor");

    private final String value;

    UserKind(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
