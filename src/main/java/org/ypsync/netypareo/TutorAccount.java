package org.ypsync.netypareo;

import java.util.List;

/** A tutor's (maître d'apprentissage) NetYpareo account, from {@code utilisateur/tuteurs}, with the learners tutored. */
public record TutorAccount(int code, String login, String lastName, String firstName, String email,
                           Integer companyCode, List<Integer> studentCodes) implements CacheRecord {
    public TutorAccount {
        studentCodes = studentCodes == null ? List.of() : List.copyOf(studentCodes);
    }

    @Override
    public String key() {
        return Integer.toString(code);
    }

    @Override
    public String contentHash() {
        return Canonical.of("TutorAccount").add("code", code).add("login", login).add("lastName", lastName)
                .add("firstName", firstName).add("email", email).add("companyCode", companyCode)
                .addCodes("studentCodes", studentCodes).hash();
    }
}
