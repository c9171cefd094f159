package org.ypsync.sync;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** E-mail checks close to Moodle's validate_email (PHPMailer "html5" pattern, no &lt; or &gt;) plus its 100-char column. */
public final class Emails {
    public static final int MAX_LENGTH = 100;
    private static final Pattern HTML5 = Pattern.compile(
            "^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
                    + "(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$");

    private Emails() {
    }

    /** Trimmed e-mail, or empty when null/blank. */
    public static Optional<String> trim(String email) {
        if (email == null || email.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(email.trim());
    }

    public static boolean isValid(String email) {
        return email != null && !email.isEmpty() && email.length() <= MAX_LENGTH && HTML5.matcher(email).matches();
    }

    /** Key for Moodle's uniqueness check, which is case-insensitive. */
    public static String uniquenessKey(String email) {
        return email.toLowerCase(Locale.ROOT);
    }
}
