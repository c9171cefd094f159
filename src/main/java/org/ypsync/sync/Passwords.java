package org.ypsync.sync;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Initial passwords that pass Moodle's default policy: at least 8 chars, a digit, a lower, an upper, a special. */
public final class Passwords {
    public static final int LENGTH = 16;
    private static final String LOWER = "abcdefghijkmnopqrstuvwxyz";
    private static final String UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private static final String DIGITS = "23456789";
    // no quotes, backslash, &, <, > or spaces: nothing a form encoder or a mail template could mangle
    private static final String SPECIAL = "!#%*+-=?@^_";
    private static final String ALL = LOWER + UPPER + DIGITS + SPECIAL;

    private Passwords() {
    }

    public static String generate(Random random) {
        List<Character> chars = new ArrayList<>(LENGTH);
        chars.add(pick(LOWER, random));
        chars.add(pick(UPPER, random));
        chars.add(pick(DIGITS, random));
        chars.add(pick(SPECIAL, random));
        while (chars.size() < LENGTH) {
            chars.add(pick(ALL, random));
        }
        Collections.shuffle(chars, random);
        StringBuilder sb = new StringBuilder(LENGTH);
        chars.forEach(sb::append);
        return sb.toString();
    }

    /** Moodle's default password policy (check_password_policy with the default settings). */
    public static boolean meetsDefaultPolicy(String p) {
        return p != null && p.length() >= 8 && p.chars().anyMatch(Character::isDigit)
                && p.chars().anyMatch(c -> c >= 'a' && c <= 'z') && p.chars().anyMatch(c -> c >= 'A' && c <= 'Z')
                && p.chars().anyMatch(c -> !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')));
    }

    private static char pick(String from, Random r) {
        return from.charAt(r.nextInt(from.length()));
    }
}
