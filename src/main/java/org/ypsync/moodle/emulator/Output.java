package org.ypsync.moodle.emulator;

import java.util.List;
import java.util.Map;

/** Renders values as Moodle's REST server does: PHP json_encode, or the xmlize_result XML. */
final class Output {
    private Output() {
    }

    /** json_encode without flags: escapes '/' and every non-ASCII character, empty arrays print as []. */
    static String json(Object v) {
        StringBuilder sb = new StringBuilder();
        writeJson(sb, v);
        return sb.toString();
    }

    private static void writeJson(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            jsonString(sb, s);
        } else if (v instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (v instanceof Double d) {
            sb.append(d == Math.rint(d) && !Double.isInfinite(d) ? String.valueOf(d.longValue()) : d.toString());
        } else if (v instanceof Number n) {
            sb.append(n.longValue());
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                jsonString(sb, String.valueOf(e.getKey()));
                sb.append(':');
                writeJson(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) sb.append(',');
                writeJson(sb, l.get(i));
            }
            sb.append(']');
        } else {
            jsonString(sb, v.toString());
        }
    }

    private static void jsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '/' -> sb.append("\\/");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    static final String XML_HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n";

    static String xmlResponse(Object v, boolean voidFunction) {
        StringBuilder sb = new StringBuilder(XML_HEAD).append("<RESPONSE>\n");
        if (!voidFunction) {
            xmlize(sb, v);
        }
        return sb.append("</RESPONSE>\n").toString();
    }

    private static void xmlize(StringBuilder sb, Object v) {
        if (v instanceof Map<?, ?> m) {
            sb.append("<SINGLE>\n");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append("<KEY name=\"").append(e.getKey()).append("\">");
                xmlize(sb, e.getValue());
                sb.append("</KEY>\n");
            }
            sb.append("</SINGLE>\n");
        } else if (v instanceof List<?> l) {
            sb.append("<MULTIPLE>\n");
            for (Object o : l) {
                xmlize(sb, o);
            }
            sb.append("</MULTIPLE>\n");
        } else if (v == null) {
            sb.append("<VALUE null=\"null\"/>\n");
        } else {
            Object x = v instanceof Boolean b ? (b ? 1 : 0) : v;
            String s = x instanceof Double d && d == Math.rint(d) ? String.valueOf(d.longValue()) : x.toString();
            sb.append("<VALUE>").append(escape(s)).append("</VALUE>\n");
        }
    }

    static String xmlError(WsException e, boolean debug) {
        StringBuilder sb = new StringBuilder(XML_HEAD);
        sb.append("<EXCEPTION class=\"").append(e.phpClass).append("\">\n");
        sb.append("<ERRORCODE>").append(escape(e.errorcode)).append("</ERRORCODE>\n");
        sb.append("<MESSAGE>").append(escape(e.getMessage())).append("</MESSAGE>\n");
        if (debug && e.debuginfo != null) {
            sb.append("<DEBUGINFO>").append(escape(e.debuginfo)).append("</DEBUGINFO>\n");
        }
        return sb.append("</EXCEPTION>\n").toString();
    }

    static String jsonError(WsException e, boolean debug) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("exception", e.phpClass);
        m.put("errorcode", e.errorcode);
        m.put("message", e.getMessage());
        if (debug && e.debuginfo != null) {
            m.put("debuginfo", e.debuginfo);
        }
        return json(m);
    }

    /** htmlspecialchars with ENT_COMPAT. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
