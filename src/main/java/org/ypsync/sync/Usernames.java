package org.ypsync.sync;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/** Moodle usernames from NetYpareo logins: what PARAM_USERNAME accepts without extendedusernamechars. */
public final class Usernames {
    public static final int MAX_LENGTH = 100;

    private Usernames() {
    }

    /**
     * Lower-case, fold accents and ligatures to ASCII, drop every character outside a-z 0-9 . _ - @, cut at 100.
     * Empty when nothing usable is left (the user is then rejected, never created with a made-up name).
     */
    public static Optional<String> normalise(String login) {
        if (login == null) {
            return Optional.empty();
        }
        String s = login.trim().toLowerCase(Locale.ROOT);
        // letters NFD does not decompose
        s = s.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss").replace("ø", "o").replace("đ", "d")
                .replace("ł", "l").replace("þ", "th").replace("ð", "d").replace("ı", "i");
        s = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && out.length() < MAX_LENGTH; i++) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '@') {
                out.append(c);
            }
        }
        return out.length() == 0 ? Optional.empty() : Optional.of(out.toString());
    }
}
