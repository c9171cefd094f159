package org.ypsync.netypareo;

import java.util.List;

/**
 * A staff member's NetYpareo account, from {@code utilisateur/personnels}: a trainer when {@code trainer}
 * ({@code isFormateur}); {@code unused} is {@code plusUtilise}.
 */
public record StaffAccount(int code, String login, String lastName, String firstName, String email, boolean trainer,
                           boolean administrative, List<Integer> siteCodes, boolean unused) implements CodedRecord {
    public StaffAccount {
        siteCodes = siteCodes == null ? List.of() : List.copyOf(siteCodes);
    }
}
