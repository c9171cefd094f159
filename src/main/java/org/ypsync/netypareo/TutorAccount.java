package org.ypsync.netypareo;

import java.util.List;

/** A tutor's (maître d'apprentissage) NetYpareo account, from {@code utilisateur/tuteurs}, with the learners tutored. */
public record TutorAccount(int code, String login, String lastName, String firstName, String email,
                           Integer companyCode, List<Integer> studentCodes) implements CodedRecord {
    public TutorAccount {
        studentCodes = studentCodes == null ? List.of() : List.copyOf(studentCodes);
    }
}
