package org.ypsync.netypareo;

import java.time.LocalDate;

/**
 * A learner's NetYpareo account, from {@code utilisateur/apprenants}. {@code active} is {@code isActif};
 * {@code leavingDate} is {@code dateDepart} (null while the learner stays). {@code email} is null when missing.
 */
public record StudentAccount(int code, String login, String lastName, String firstName, String email,
                             Integer siteCode, Integer statusCode, boolean active, LocalDate leavingDate)
        implements CodedRecord {
}
