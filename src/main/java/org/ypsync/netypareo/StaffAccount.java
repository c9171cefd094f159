package org.ypsync.netypareo;

import java.util.List;

/**
 * A staff member's NetYpareo account, from {@code utilisateur/personnels}: a trainer when {@code trainer}
 * ({@code isFormateur}); {@code unused} is {@code plusUtilise}.
 */
public record StaffAccount(int code, String login, String lastName, String firstName, String email, boolean trainer,
                           boolean administrative, List<Integer> siteCodes, boolean unused) implements CacheRecord {
    public StaffAccount {
        siteCodes = siteCodes == null ? List.of() : List.copyOf(siteCodes);
    }

    @Override
    public String key() {
        return Integer.toString(code);
    }

    @Override
    public String contentHash() {
        return Canonical.of("StaffAccount").add("code", code).add("login", login).add("lastName", lastName)
                .add("firstName", firstName).add("email", email).add("trainer", trainer)
                .add("administrative", administrative).addCodes("siteCodes", siteCodes).add("unused", unused).hash();
    }
}
