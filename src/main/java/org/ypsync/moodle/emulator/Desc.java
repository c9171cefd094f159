package org.ypsync.moodle.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * External-function parameter descriptions (external_value, external_single_structure,
 * external_multiple_structure) and Moodle's validate_parameters over PHP-parsed input.
 */
abstract sealed class Desc permits Desc.Value, Desc.Single, Desc.Multiple {
    enum Req { REQUIRED, OPTIONAL, DEFAULT }

    final Req req;
    final Object def;

    private Desc(Req req, Object def) {
        this.req = req;
        this.def = def;
    }

    abstract Object validate(Object input, Param.Site site);

    static Value value(Param type) {
        return new Value(type, Req.REQUIRED, null);
    }

    static Value optional(Param type) {
        return new Value(type, Req.OPTIONAL, null);
    }

    static Value withDefault(Param type, Object def) {
        return new Value(type, Req.DEFAULT, def);
    }

    static Builder single() {
        return new Builder();
    }

    static Multiple multiple(Desc content) {
        return new Multiple(content, Req.REQUIRED, null);
    }

    static Multiple multipleOptional(Desc content) {
        return new Multiple(content, Req.OPTIONAL, null);
    }

    static Multiple multipleDefaultEmpty(Desc content) {
        return new Multiple(content, Req.DEFAULT, List.of());
    }

    static final class Value extends Desc {
        final Param type;

        Value(Param type, Req req, Object def) {
            super(req, def);
            this.type = type;
        }

        @Override
        Object validate(Object input, Param.Site site) {
            if (input instanceof Map || input instanceof List) {
                throw WsException.invalidParameter("Scalar type expected, array or object received.");
            }
            if (input == null) {
                throw WsException.invalidParameter("Null not allowed");
            }
            if (input instanceof String s) {
                return type.validate(s, site);
            }
            // defaults are already typed
            return input;
        }
    }

    static final class Single extends Desc {
        final LinkedHashMap<String, Desc> keys;

        Single(LinkedHashMap<String, Desc> keys, Req req, Object def) {
            super(req, def);
            this.keys = keys;
        }

        @Override
        Map<String, Object> validate(Object input, Param.Site site) {
            if (!(input instanceof Map<?, ?> in)) {
                throw WsException.invalidParameter("Only arrays accepted. The bad value is: '" + input + "'");
            }
            Map<String, Object> result = new LinkedHashMap<>();
            Map<Object, Object> rest = new LinkedHashMap<>(in);
            for (Map.Entry<String, Desc> e : keys.entrySet()) {
                String key = e.getKey();
                Desc sub = e.getValue();
                if (!rest.containsKey(key)) {
                    if (sub.req == Req.REQUIRED) {
                        throw WsException.invalidParameter("Missing required key in single structure: " + key);
                    }
                    if (sub.req == Req.DEFAULT) {
                        result.put(key, sub.def);
                    }
                } else {
                    try {
                        result.put(key, sub.validate(rest.get(key), site));
                    } catch (WsException ex) {
                        throw WsException.invalidParameter(key + " => " + ex.getMessage() + ": " + ex.debuginfo);
                    }
                }
                rest.remove(key);
            }
            if (!rest.isEmpty()) {
                throw WsException.invalidParameter("Unexpected keys (" + String.join(", ",
                        rest.keySet().stream().map(String::valueOf).toList()) + ") detected in parameter array.");
            }
            return result;
        }
    }

    static final class Multiple extends Desc {
        final Desc content;

        Multiple(Desc content, Req req, Object def) {
            super(req, def);
            this.content = content;
        }

        @Override
        List<Object> validate(Object input, Param.Site site) {
            if (!(input instanceof Map<?, ?> in)) {
                throw WsException.invalidParameter("Only arrays accepted. The bad value is: '" + input + "'");
            }
            List<Object> result = new ArrayList<>();
            for (Object v : in.values()) {
                result.add(content.validate(v, site));
            }
            return result;
        }
    }

    static final class Builder {
        private final LinkedHashMap<String, Desc> keys = new LinkedHashMap<>();

        Builder key(String name, Desc d) {
            keys.put(name, d);
            return this;
        }

        Single build() {
            return new Single(keys, Req.REQUIRED, null);
        }

        Single optional() {
            return new Single(keys, Req.OPTIONAL, null);
        }
    }
}
