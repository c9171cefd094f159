package org.ypsync.netypareo;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure functions from a NetYpareo JSON record to a ypsync record. Field names are those of the contract in
 * netypareo-api.md. Rules:
 * <ul>
 *   <li>codes are integers; a number or a string of digits is accepted;</li>
 *   <li>dates are {@code DD/MM/YYYY}; null, missing or empty means null; anything else is malformed;</li>
 *   <li>booleans are 0/1 (also JSON true/false, or "0"/"1"); anything else is malformed; a missing flag takes
 *       the harmless default ({@code isActif} true, the others false);</li>
 *   <li>strings are trimmed, otherwise kept as sent; optional strings that are null or blank become null;</li>
 *   <li>lists of codes ({@code codesSite}, {@code codesApprenant}) are arrays; a single code is accepted too.</li>
 * </ul>
 * A record that cannot be used throws {@link MalformedRecordException} with a reason such as
 * "codeApprenant missing".
 */
public final class NetypareoMapper {
    /** Payload dates. */
    public static final DateTimeFormatter PAYLOAD_DATE = DateTimeFormatter.ofPattern("dd/MM/uuuu")
            .withResolverStyle(ResolverStyle.STRICT);

    private NetypareoMapper() {
    }

    public static Site site(JsonNode n) {
        int code = requiredCode(n, "codeSite");
        String ctx = "codeSite " + code + ": ";
        return new Site(code, requiredText(n, "nomSite", ctx), requiredText(n, "abregeSite", ctx),
                flag(n, "plusUtilise", false, ctx));
    }

    public static Period period(JsonNode n) {
        int code = requiredCode(n, "codePeriode");
        String ctx = "codePeriode " + code + ": ";
        LocalDate start = requiredDate(n, "dateDeb", ctx);
        LocalDate end = requiredDate(n, "dateFin", ctx);
        if (end.isBefore(start)) {
            throw new MalformedRecordException(ctx + "dateFin " + PAYLOAD_DATE.format(end) + " is before dateDeb "
                    + PAYLOAD_DATE.format(start));
        }
        return new Period(code, text(n, "nomPeriode"), start, end);
    }

    public static StudentAccount student(JsonNode n) {
        int code = requiredCode(n, "codeApprenant");
        String ctx = "codeApprenant " + code + ": ";
        return new StudentAccount(code, requiredText(n, "login", ctx), text(n, "nom"), text(n, "prenom"),
                text(n, "email"), code(n, "codeSite", ctx), code(n, "codeStatut", ctx),
                flag(n, "isActif", true, ctx), date(n, "dateDepart", ctx));
    }

    public static StaffAccount staff(JsonNode n) {
        int code = requiredCode(n, "codePersonnel");
        String ctx = "codePersonnel " + code + ": ";
        return new StaffAccount(code, requiredText(n, "login", ctx), text(n, "nom"), text(n, "prenom"),
                text(n, "email"), flag(n, "isFormateur", false, ctx), flag(n, "isAdministratif", false, ctx),
                codes(n, "codesSite", ctx), flag(n, "plusUtilise", false, ctx));
    }

    public static TutorAccount tutor(JsonNode n) {
        int code = requiredCode(n, "codeTuteur");
        String ctx = "codeTuteur " + code + ": ";
        return new TutorAccount(code, requiredText(n, "login", ctx), text(n, "nom"), text(n, "prenom"),
                text(n, "email"), code(n, "codeEntreprise", ctx), codes(n, "codesApprenant", ctx));
    }

    /** A diploma or continuing-education group (same shape). */
    public static Group group(JsonNode n) {
        int code = requiredCode(n, "codeGroupe");
        String ctx = "codeGroupe " + code + ": ";
        return new Group(code, requiredText(n, "nomGroupe", ctx), text(n, "abregeGroupe"), code(n, "codeSite", ctx),
                code(n, "codePeriode", ctx), code(n, "codeFormation", ctx), date(n, "dateDebut", ctx),
                date(n, "dateFin", ctx));
    }

    public static GroupMember groupMember(JsonNode n) {
        return new GroupMember(requiredCode(n, "codeApprenant"));
    }

    /** A group and its trainers: {@code codePersonnel} and/or {@code codesPersonnel}; at least one is required. */
    public static GroupTrainer groupTrainer(JsonNode n) {
        int group = requiredCode(n, "codeGroupe");
        String ctx = "codeGroupe " + group + ": ";
        java.util.LinkedHashSet<Integer> staff = new java.util.LinkedHashSet<>();
        Integer one = code(n, "codePersonnel", ctx);
        if (one != null) {
            staff.add(one);
        }
        List<Integer> many = codes(n, "codesPersonnel", ctx);
        if (many != null) {
            staff.addAll(many);
        }
        if (staff.isEmpty()) {
            throw new MalformedRecordException(ctx + "codePersonnel missing");
        }
        return new GroupTrainer(group, List.copyOf(staff));
    }

    // ---- field readers (package-private for tests) ----

    static int requiredCode(JsonNode n, String field) {
        if (n == null || !n.isObject()) {
            throw new MalformedRecordException("the record is not a JSON object");
        }
        Integer code = code(n, field, "");
        if (code == null) {
            throw new MalformedRecordException(field + " missing");
        }
        return code;
    }

    static Integer code(JsonNode n, String field, String ctx) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        Integer code = asInt(v);
        if (code == null) {
            if (v.isTextual() && v.asText().isBlank()) {
                return null;
            }
            throw new MalformedRecordException(ctx + field + " " + v + " is not an integer code");
        }
        return code;
    }

    private static Integer asInt(JsonNode v) {
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return v.intValue();
        }
        if (v.isTextual()) {
            String s = v.asText().trim();
            if (s.matches("-?\\d{1,9}")) {
                return Integer.parseInt(s);
            }
        }
        return null;
    }

    static List<Integer> codes(JsonNode n, String field, String ctx) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            Integer single = asInt(v);
            if (single == null) {
                throw new MalformedRecordException(ctx + field + " " + v + " is not a list of codes");
            }
            return List.of(single);
        }
        List<Integer> codes = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            Integer c = asInt(e);
            if (c == null) {
                throw new MalformedRecordException(ctx + field + " holds " + e + ", not an integer code");
            }
            codes.add(c);
        }
        return codes;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        String s = v.asText().trim();
        return s.isEmpty() ? null : s;
    }

    static String requiredText(JsonNode n, String field, String ctx) {
        String s = text(n, field);
        if (s == null) {
            throw new MalformedRecordException(ctx + field + " missing");
        }
        return s;
    }

    static boolean flag(JsonNode n, String field, boolean absent, String ctx) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber()) {
            if (v.canConvertToInt() && (v.intValue() == 0 || v.intValue() == 1)) {
                return v.intValue() == 1;
            }
        } else if (v.isTextual()) {
            switch (v.asText().trim()) {
                case "0", "false" -> {
                    return false;
                }
                case "1", "true" -> {
                    return true;
                }
                default -> {
                }
            }
        }
        throw new MalformedRecordException(ctx + field + " " + v + " is not 0 or 1");
    }

    static LocalDate date(JsonNode n, String field, String ctx) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new MalformedRecordException(ctx + field + " " + v + " is not a DD/MM/YYYY date");
        }
        String s = v.asText().trim();
        if (s.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(s, PAYLOAD_DATE);
        } catch (DateTimeParseException e) {
            throw new MalformedRecordException(ctx + field + " '" + s + "' is not a DD/MM/YYYY date");
        }
    }

    static LocalDate requiredDate(JsonNode n, String field, String ctx) {
        LocalDate d = date(n, field, ctx);
        if (d == null) {
            throw new MalformedRecordException(ctx + field + " missing");
        }
        return d;
    }
}
