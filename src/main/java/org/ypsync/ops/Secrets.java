package org.ypsync.ops;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secrets of this process (NetYpareo tokens, the Moodle token, passwords), registered once read from the
 * configuration, so that every text leaving the process (log lines, dead letters, run history, JMX answers) can be
 * masked. Masking is the last line of defence: code should not put secrets in messages in the first place.
 */
public final class Secrets {
    static final String MASK = "****";
    // Shorter values would mask ordinary words; real tokens are long.
    private static final int MIN_LENGTH = 6;
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    private Secrets() {
    }

    public static void register(String secret) {
        if (secret != null && secret.strip().length() >= MIN_LENGTH) {
            SECRETS.add(secret.strip());
        }
    }

    public static String mask(String text) {
        if (text == null || SECRETS.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : SECRETS) {
            if (out.contains(s)) {
                out = out.replace(s, MASK);
            }
        }
        return out;
    }
}
