package org.ypsync.moodle.emulator;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Moodle's PARAM_* cleaning (lib/classes/param.php), reduced to the types the emulated functions use. Validation
 * in web services is strict: a value is accepted only if cleaning leaves it unchanged.
 */
enum Param {
    INT, BOOL, FLOAT, RAW, RAW_TRIMMED, TEXT, NOTAGS, ALPHA, ALPHAEXT, ALPHANUM, ALPHANUMEXT, USERNAME, EMAIL, LANG, AUTH,
    PLUGIN, THEME, TIMEZONE, SAFEDIR, SEQUENCE;

    private static final Pattern EMAIL_HTML5 = Pattern.compile(
            "^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
                    + "(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$");
    private static final Pattern TIMEZONE_RE = Pattern.compile(
            "^(([+-]?(0?[0-9](\\.[5|0])?|1[0-3](\\.0)?|1[0-2]\\.5))|(99)|[A-Za-z0-9]+(/?[A-Za-z_-])+)$");
    private static final Pattern PLUGIN_RE = Pattern.compile("^[a-z](?:[a-z0-9_](?!__))*[a-z0-9]+$");

    /** What the site has installed, needed by the LANG, AUTH and THEME types. */
    interface Site {
        Set<String> languages();

        Set<String> authPlugins();

        Set<String> themes();
    }

    /** clean_param: returns the cleaned value as a string (PHP compares (string) values). */
    String clean(String v, Site site) {
        return switch (this) {
            case INT -> String.valueOf(phpInt(v));
            case BOOL -> {
                String t = v.toLowerCase(Locale.ROOT);
                if (t.equals("on") || t.equals("yes") || t.equals("true")) yield "1";
                if (t.equals("off") || t.equals("no") || t.equals("false")) yield "0";
                yield (v.isEmpty() || v.equals("0")) ? "0" : "1";
            }
            case FLOAT -> v;
            case RAW -> v;
            case RAW_TRIMMED -> phpTrim(v);
            case TEXT, NOTAGS -> stripTags(v);
            case ALPHA -> v.replaceAll("[^a-zA-Z]", "");
            case ALPHAEXT -> v.replaceAll("[^a-zA-Z_-]", "");
            case ALPHANUM -> v.replaceAll("[^A-Za-z0-9]", "");
            case ALPHANUMEXT -> v.replaceAll("[^A-Za-z0-9_-]", "");
            case SAFEDIR -> v.replaceAll("[^a-zA-Z0-9_-]", "");
            case SEQUENCE -> v.replaceAll("[^0-9,]", "");
            case USERNAME -> phpTrim(v).toLowerCase(Locale.ROOT).replaceAll("[^-.@_a-z0-9]", "");
            case EMAIL -> validEmail(v) ? v : "";
            case LANG -> site.languages().contains(v) ? v : "";
            case PLUGIN -> PLUGIN_RE.matcher(v).matches() ? v : "";
            case AUTH -> PLUGIN_RE.matcher(v).matches() && site.authPlugins().contains(v) ? v : "";
            case THEME -> site.themes().contains(v) ? v : "";
            case TIMEZONE -> TIMEZONE_RE.matcher(v).matches() ? v : "";
        };
    }

    /** validate_param: the typed, cleaned value, or invalidparameter if cleaning changed it. */
    Object validate(String v, Site site) {
        if (this == FLOAT) {
            if (!v.matches("^[+-]?[0-9]*\\.?[0-9]*([eE][-+]?[0-9]+)?$") || v.isEmpty() || v.equals(".")) {
                throw WsException.invalidParameter("Invalid external api parameter: the value is \"" + v + "\"");
            }
            return Double.parseDouble(v);
        }
        if (this == BOOL && (v.equals("0") || v.equals("1"))) {
            return v.equals("1");
        }
        String cleaned = clean(v, site);
        if (!cleaned.equals(v)) {
            throw WsException.invalidParameter("Invalid external api parameter: the value is \"" + v
                    + "\", the server was expecting \"" + name().toLowerCase(Locale.ROOT) + "\" type");
        }
        return this == INT ? (Object) Long.parseLong(cleaned) : cleaned;
    }

    /** PHP (int) cast of a string: optional whitespace and sign, then digits; anything else stops the number. */
    static long phpInt(String v) {
        int i = 0;
        int n = v.length();
        while (i < n && " \t\n\r\u000B\f".indexOf(v.charAt(i)) >= 0) i++;
        boolean neg = false;
        if (i < n && (v.charAt(i) == '+' || v.charAt(i) == '-')) {
            neg = v.charAt(i) == '-';
            i++;
        }
        long r = 0;
        boolean overflow = false;
        while (i < n && v.charAt(i) >= '0' && v.charAt(i) <= '9') {
            int d = v.charAt(i) - '0';
            if (r > (Long.MAX_VALUE - d) / 10) {
                overflow = true;
                break;
            }
            r = r * 10 + d;
            i++;
        }
        if (overflow) return neg ? Long.MIN_VALUE : Long.MAX_VALUE;
        return neg ? -r : r;
    }

    static String phpTrim(String v) {
        int a = 0;
        int b = v.length();
        while (a < b && " \t\n\r\0\u000B".indexOf(v.charAt(a)) >= 0) a++;
        while (b > a && " \t\n\r\0\u000B".indexOf(v.charAt(b - 1)) >= 0) b--;
        return v.substring(a, b);
    }

    /** strip_tags approximation: a '<' followed by a non-space character opens a tag that is removed. */
    static String stripTags(String v) {
        StringBuilder sb = new StringBuilder(v.length());
        int i = 0;
        while (i < v.length()) {
            char c = v.charAt(i);
            if (c == '<' && i + 1 < v.length() && !Character.isWhitespace(v.charAt(i + 1))) {
                int close = v.indexOf('>', i);
                i = close < 0 ? v.length() : close + 1;
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }

    /** Moodle's validate_email (PHPMailer html5 pattern, and no angle brackets). */
    static boolean validEmail(String v) {
        return v != null && !v.isEmpty() && EMAIL_HTML5.matcher(v).matches() && v.indexOf('<') < 0
                && v.indexOf('>') < 0;
    }
}
