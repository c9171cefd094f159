package org.ypsync.moodle.emulator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParamTest {
    private final SiteConfig site = new SiteConfig();

    private void rejects(Param p, String v) {
        WsException e = assertThrows(WsException.class, () -> p.validate(v, site), v);
        assertEquals("invalidparameter", e.errorcode);
    }

    @Test
    void usernamesMustAlreadyBeClean() {
        assertEquals("jean.dupont-2@x_y", Param.USERNAME.validate("jean.dupont-2@x_y", site));
        rejects(Param.USERNAME, "JDupont");
        rejects(Param.USERNAME, "josé");
        rejects(Param.USERNAME, "jean paul");
        rejects(Param.USERNAME, " jd");
    }

    @Test
    void intsAndBoolsAreStrict() {
        assertEquals(12L, Param.INT.validate("12", site));
        assertEquals(-3L, Param.INT.validate("-3", site));
        for (String bad : new String[]{"12abc", "012", "+1", " 1", "", "1.0"}) {
            rejects(Param.INT, bad);
        }
        assertEquals(true, Param.BOOL.validate("1", site));
        assertEquals(false, Param.BOOL.validate("0", site));
        for (String bad : new String[]{"true", "false", "yes", "", "2"}) {
            rejects(Param.BOOL, bad);
        }
    }

    @Test
    void trimmedTextAndTagsAndInstalledPlugins() {
        rejects(Param.RAW_TRIMMED, "a@b.org ");
        rejects(Param.NOTAGS, "Jean <b>Bold</b>");
        assertEquals("O'Connor Lefèvre", Param.NOTAGS.validate("O'Connor Lefèvre", site));
        rejects(Param.LANG, "fr");
        rejects(Param.AUTH, "netypareo");
        assertEquals("nologin", Param.AUTH.validate("nologin", site));
    }

    @Test
    void emailValidationFollowsMoodle() {
        assertTrue(Param.validEmail("jean.dupont@example.org"));
        assertTrue(Param.validEmail("a@b"));
        assertFalse(Param.validEmail("not-an-email"));
        assertFalse(Param.validEmail(""));
        assertFalse(Param.validEmail("jé@example.org"));
    }
}
