package org.ypsync.moodle.emulator;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

import org.ypsync.moodle.emulator.HttpFront.Answer;
import org.ypsync.moodle.emulator.HttpFront.Request;

/**
 * What webservice/rest/server.php does with a parsed request, under the site lock: the token, the function's
 * lookup in the service, the parameters' validation, the call, and its answer (or error) in XML or JSON.
 */
final class RestServer {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Object lock;
    private final MoodleSite site;
    private final SiteConfig cfg;
    private volatile String token = newToken();
    private volatile boolean revoked;

    RestServer(Object lock, MoodleSite site) {
        this.lock = lock;
        this.site = site;
        this.cfg = site.cfg;
    }

    /** 32 random hex digits, as Moodle makes its tokens. */
    static String newToken() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    String token() {
        return token;
    }

    /** Makes {@code newToken} the valid token (no longer revoked). */
    void useToken(String newToken) {
        synchronized (lock) {
            token = newToken;
            revoked = false;
        }
    }

    void revokeToken() {
        synchronized (lock) {
            revoked = true;
        }
    }

    Answer process(Request req) {
        synchronized (lock) {
            State db = site.db;
            db.workItems = 0;
            try {
                if (!(req.token() instanceof String t) || revoked || !t.equals(token)) {
                    throw WsException.invalidToken();
                }
                Object fnObj = req.function();
                if (fnObj == null || (fnObj instanceof String s && WsValues.empty(s))) {
                    throw WsException.invalidParameter("Missing function name");
                }
                String fn = fnObj instanceof String s ? s : String.valueOf(fnObj);
                if (!site.functionExists(fn)) {
                    throw WsException.missingRecord("external_functions");
                }
                if (!cfg.serviceFunctions.contains(fn)) {
                    throw WsException.accessException();
                }
                MoodleSite.Fn def = site.functions.get(fn);
                if (def == null) {
                    throw WsException.coding("function " + fn + " is not emulated");
                }
                Map<String, Object> params = def.params().validate(req.params(), cfg);
                db.currentFunction = fn;
                Object result = def.handler().apply(params);
                String body;
                if (req.json()) {
                    body = def.isVoid() ? "null" : Output.json(result);
                } else {
                    body = Output.xmlResponse(result, def.isVoid());
                }
                return Answer.ws(req.json(), body, db.workItems);
            } catch (WsException e) {
                String body = req.json() ? Output.jsonError(e, cfg.debug) : Output.xmlError(e, cfg.debug);
                return Answer.ws(req.json(), body, db.workItems);
            } catch (RuntimeException e) {
                // An emulator bug: answer like a PHP fatal error rather than dropping the connection.
                return Answer.html(500, "<br />\n<b>Fatal error</b>:  " + Output.escape(String.valueOf(e))
                        + "<br />\n");
            } finally {
                db.currentFunction = "";
            }
        }
    }
}
