package org.ypsync.moodle;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Connection and batching settings of a {@link MoodleClient}.
 *
 * @param url                 site root (wwwroot), e.g. {@code https://moodle.example.org}; the client appends
 *                            {@code /webservice/rest/server.php}
 * @param token               the web-service token (secret: never printed, see {@link #toString()})
 * @param connectTimeout      TCP connect timeout
 * @param readTimeout         whole-request timeout (Moodle may take seconds for a batch of 500 users)
 * @param maxInputVars        PHP {@code max_input_vars} of the site (Moodle requires at least 5000 on PHP 8)
 * @param inputVarsMargin     safety margin kept below {@code maxInputVars}; a request never carries more than
 *                            {@code maxInputVars - inputVarsMargin} form fields, so PHP never drops any
 * @param maxRecordsPerBatch  upper bound on records per write call, whatever the field budget allows, for the write
 *                            functions without a cap of their own in {@code maxRecordsByFunction}
 * @param maxRecordsByFunction the caps of write functions that have their own (function name to records per call);
 *                            see {@link #DEFAULT_MAX_RECORDS_BY_FUNCTION}
 * @param retryMaxAttempts    attempts per call for transient failures (1 = no retry)
 * @param retryInitialBackoff pause before the 2nd attempt
 * @param retryMultiplier     backoff growth factor between attempts
 * @param retryMaxBackoff     cap of a single pause
 * @param passwordPolicy      the site's password policy, used by the pre-validation of created users
 * @param allowSharedEmail    mirror of the site's allowaccountssameemail: when false, two new users of one batch
 *                            may not share an e-mail (Moodle would refuse the whole batch)
 */
public record MoodleSettings(
        URI url,
        String token,
        Duration connectTimeout,
        Duration readTimeout,
        int maxInputVars,
        int inputVarsMargin,
        int maxRecordsPerBatch,
        Map<String, Integer> maxRecordsByFunction,
        int retryMaxAttempts,
        Duration retryInitialBackoff,
        double retryMultiplier,
        Duration retryMaxBackoff,
        PasswordPolicy passwordPolicy,
        boolean allowSharedEmail) {

    public static final int DEFAULT_MAX_INPUT_VARS = 5000;
    public static final int DEFAULT_INPUT_VARS_MARGIN = 200;
    public static final int DEFAULT_MAX_RECORDS_PER_BATCH = 100;

    /**
     * The write functions with a cap of their own by default: those that are not all-or-nothing in Moodle (user
     * updates since 4.0, member adds) or cheap to repeat (member deletes) go to 1,000 records a call, near the field
     * budget for their narrow records; the all-or-nothing creates and cohort updates keep
     * {@link #DEFAULT_MAX_RECORDS_PER_BATCH}, since a refused record is bisected. The reasons are documented with
     * the keys in application.properties.
     */
    public static final Map<String, Integer> DEFAULT_MAX_RECORDS_BY_FUNCTION = Map.of(
            MoodleClient.UPDATE_USERS, 1000,
            MoodleClient.ADD_COHORT_MEMBERS, 1000,
            MoodleClient.DELETE_COHORT_MEMBERS, 1000);

    public MoodleSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(retryInitialBackoff, "retryInitialBackoff");
        Objects.requireNonNull(retryMaxBackoff, "retryMaxBackoff");
        Objects.requireNonNull(passwordPolicy, "passwordPolicy");
        maxRecordsByFunction = Map.copyOf(Objects.requireNonNull(maxRecordsByFunction, "maxRecordsByFunction"));
        maxRecordsByFunction.forEach((function, max) -> {
            if (!MoodleClient.BATCHED_WRITES.contains(function)) {
                throw new IllegalArgumentException("not a batched Moodle write function: " + function
                        + " (one of " + MoodleClient.BATCHED_WRITES + ")");
            }
            if (max < 1) {
                throw new IllegalArgumentException("maxRecordsPerBatch of " + function + " < 1");
            }
        });
        if (token.isBlank()) {
            throw new IllegalArgumentException("token is blank");
        }
        String scheme = url.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new IllegalArgumentException("url must be http(s): " + url);
        }
        if (maxInputVars < 100) {
            throw new IllegalArgumentException("maxInputVars too small: " + maxInputVars);
        }
        if (inputVarsMargin < 0 || inputVarsMargin >= maxInputVars - 10) {
            throw new IllegalArgumentException("inputVarsMargin out of range: " + inputVarsMargin);
        }
        if (maxRecordsPerBatch < 1) {
            throw new IllegalArgumentException("maxRecordsPerBatch < 1");
        }
        if (retryMaxAttempts < 1) {
            throw new IllegalArgumentException("retryMaxAttempts < 1");
        }
        if (retryMultiplier < 1.0) {
            throw new IllegalArgumentException("retryMultiplier < 1");
        }
    }

    /**
     * Settings with the defaults: 10 s connect, 120 s read, 5000/200 input vars, 100 records a call
     * ({@link #DEFAULT_MAX_RECORDS_BY_FUNCTION}: 1,000 for user updates and member adds and deletes), 4 attempts
     * 500 ms x2 up to 10 s.
     */
    public static MoodleSettings of(String url, String token) {
        return new MoodleSettings(URI.create(stripSlash(url)), token, Duration.ofSeconds(10), Duration.ofSeconds(120),
                DEFAULT_MAX_INPUT_VARS, DEFAULT_INPUT_VARS_MARGIN, DEFAULT_MAX_RECORDS_PER_BATCH,
                DEFAULT_MAX_RECORDS_BY_FUNCTION, 4, Duration.ofMillis(500), 2.0, Duration.ofSeconds(10),
                PasswordPolicy.MOODLE_DEFAULT, false);
    }

    /**
     * Settings from configuration keys (missing keys take the defaults of {@link #of}):
     * {@code url}, {@code token} (required), {@code connect-timeout-ms} (10000), {@code read-timeout-ms} (120000),
     * {@code max-input-vars} (5000), {@code input-vars-margin} (200), {@code max-records-per-batch} (100, the cap of
     * the write functions without their own), {@code max-records-per-batch.<function>} (one per function of
     * {@link MoodleClient#BATCHED_WRITES}; defaults {@link #DEFAULT_MAX_RECORDS_BY_FUNCTION}),
     * {@code retry.max-attempts} (4), {@code retry.initial-backoff-ms} (500), {@code retry.multiplier} (2.0),
     * {@code retry.max-backoff-ms} (10000), {@code password-policy} (true: Moodle's default policy; false: none),
     * {@code allow-shared-email} (false, Moodle's default).
     */
    public static MoodleSettings fromConfig(Map<String, String> cfg) {
        String url = cfg.get("url");
        String token = cfg.get("token");
        if (url == null || url.isBlank() || token == null || token.isBlank()) {
            throw new IllegalArgumentException("Moodle url and token are required");
        }
        MoodleSettings d = of(url, token);
        return new MoodleSettings(d.url(), d.token(),
                Duration.ofMillis(num(cfg, "connect-timeout-ms", d.connectTimeout().toMillis())),
                Duration.ofMillis(num(cfg, "read-timeout-ms", d.readTimeout().toMillis())),
                (int) num(cfg, "max-input-vars", d.maxInputVars()),
                (int) num(cfg, "input-vars-margin", d.inputVarsMargin()),
                (int) num(cfg, "max-records-per-batch", d.maxRecordsPerBatch()),
                maxRecordsByFunction(cfg, d.maxRecordsByFunction()),
                (int) num(cfg, "retry.max-attempts", d.retryMaxAttempts()),
                Duration.ofMillis(num(cfg, "retry.initial-backoff-ms", d.retryInitialBackoff().toMillis())),
                Double.parseDouble(cfg.getOrDefault("retry.multiplier", Double.toString(d.retryMultiplier())).trim()),
                Duration.ofMillis(num(cfg, "retry.max-backoff-ms", d.retryMaxBackoff().toMillis())),
                Boolean.parseBoolean(cfg.getOrDefault("password-policy", "true").trim())
                        ? PasswordPolicy.MOODLE_DEFAULT : PasswordPolicy.NONE,
                Boolean.parseBoolean(cfg.getOrDefault("allow-shared-email", "false").trim()));
    }

    /** The {@code max-records-per-batch.<function>} keys over the defaults. */
    private static Map<String, Integer> maxRecordsByFunction(Map<String, String> cfg, Map<String, Integer> defaults) {
        Map<String, Integer> out = new HashMap<>(defaults);
        for (String function : MoodleClient.BATCHED_WRITES) {
            String key = "max-records-per-batch." + function;
            if (cfg.containsKey(key) && !cfg.get(key).isBlank()) {
                out.put(function, (int) num(cfg, key, 0));
            }
        }
        return out;
    }

    private static long num(Map<String, String> cfg, String key, long def) {
        String v = cfg.get(key);
        if (v == null || v.isBlank()) {
            return def;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Moodle setting " + key + " is not a number: " + v);
        }
    }

    private static String stripSlash(String url) {
        String u = Objects.requireNonNull(url, "url").trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    /**
     * Records one call of this write function may carry at most: its own cap, or {@link #maxRecordsPerBatch()}.
     * The field budget may allow fewer ({@link BatchLimit}).
     */
    public int maxRecordsPerBatch(String function) {
        return maxRecordsByFunction.getOrDefault(function, maxRecordsPerBatch);
    }

    /** Form fields one request may carry. */
    public int fieldBudget() {
        return maxInputVars - inputVarsMargin;
    }

    /** The REST endpoint. */
    public URI endpoint() {
        return URI.create(stripSlash(url.toString()) + "/webservice/rest/server.php");
    }

    public MoodleSettings withTimeouts(Duration connect, Duration read) {
        return new MoodleSettings(url, token, connect, read, maxInputVars, inputVarsMargin, maxRecordsPerBatch,
                maxRecordsByFunction, retryMaxAttempts, retryInitialBackoff, retryMultiplier, retryMaxBackoff,
                passwordPolicy, allowSharedEmail);
    }

    public MoodleSettings withInputVars(int max, int margin) {
        return new MoodleSettings(url, token, connectTimeout, readTimeout, max, margin, maxRecordsPerBatch,
                maxRecordsByFunction, retryMaxAttempts, retryInitialBackoff, retryMultiplier, retryMaxBackoff,
                passwordPolicy, allowSharedEmail);
    }

    public MoodleSettings withMaxRecordsPerBatch(int max) {
        return new MoodleSettings(url, token, connectTimeout, readTimeout, maxInputVars, inputVarsMargin, max,
                maxRecordsByFunction, retryMaxAttempts, retryInitialBackoff, retryMultiplier, retryMaxBackoff,
                passwordPolicy, allowSharedEmail);
    }

    /** The same settings with this write function's own cap. */
    public MoodleSettings withMaxRecordsPerBatch(String function, int max) {
        Map<String, Integer> caps = new HashMap<>(maxRecordsByFunction);
        caps.put(function, max);
        return new MoodleSettings(url, token, connectTimeout, readTimeout, maxInputVars, inputVarsMargin,
                maxRecordsPerBatch, caps, retryMaxAttempts, retryInitialBackoff, retryMultiplier, retryMaxBackoff,
                passwordPolicy, allowSharedEmail);
    }

    public MoodleSettings withRetry(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {
        return new MoodleSettings(url, token, connectTimeout, readTimeout, maxInputVars, inputVarsMargin,
                maxRecordsPerBatch, maxRecordsByFunction, maxAttempts, initialBackoff, multiplier, maxBackoff,
                passwordPolicy, allowSharedEmail);
    }

    public MoodleSettings withAllowSharedEmail(boolean allow) {
        return new MoodleSettings(url, token, connectTimeout, readTimeout, maxInputVars, inputVarsMargin,
                maxRecordsPerBatch, maxRecordsByFunction, retryMaxAttempts, retryInitialBackoff, retryMultiplier,
                retryMaxBackoff, passwordPolicy, allow);
    }

    /** Pause before attempt {@code attempt + 1} (attempt counts from 1). */
    public Duration backoff(int attempt) {
        double ms = retryInitialBackoff.toMillis() * Math.pow(retryMultiplier, Math.max(0, attempt - 1));
        return Duration.ofMillis((long) Math.min(ms, retryMaxBackoff.toMillis()));
    }

    /** The token is masked: settings get logged. */
    @Override
    public String toString() {
        return "MoodleSettings[url=" + url + ", token=****"
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                + ", maxInputVars=" + maxInputVars + ", inputVarsMargin=" + inputVarsMargin
                + ", maxRecordsPerBatch=" + maxRecordsPerBatch + ", maxRecordsByFunction=" + new TreeMap<>(maxRecordsByFunction)
                + ", retryMaxAttempts=" + retryMaxAttempts
                + ", retryInitialBackoff=" + retryInitialBackoff + ", retryMultiplier=" + retryMultiplier
                + ", retryMaxBackoff=" + retryMaxBackoff + ", passwordPolicy=" + passwordPolicy + "]";
    }

    /**
     * Moodle's password policy (Site administration > Security > Site security settings). The default is the
     * one observed on a fresh 4.4: 8 characters, 1 digit, 1 lower, 1 upper, 1 special character.
     */
    public record PasswordPolicy(boolean enabled, int minLength, int minDigits, int minLower, int minUpper,
                                 int minSpecial) {
        public static final PasswordPolicy MOODLE_DEFAULT = new PasswordPolicy(true, 8, 1, 1, 1, 1);
        public static final PasswordPolicy NONE = new PasswordPolicy(false, 0, 0, 0, 0, 0);
    }
}
