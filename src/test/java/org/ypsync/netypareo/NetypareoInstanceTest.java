package org.ypsync.netypareo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NetypareoInstanceTest {
    private static final String TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.secret-part";

    @Test
    void baseUrlEndsWithSlash() {
        assertEquals("https://cfa.ymag.cloud/",
                new NetypareoInstance(0, "demo", "Test", " https://cfa.ymag.cloud ", TOKEN).baseUrl());
        assertEquals("https://cfa.example.org/netypareo/",
                new NetypareoInstance(0, "demo", "Test", "https://cfa.example.org/netypareo/", TOKEN).baseUrl());
    }

    @Test
    void toStringMasksTheToken() {
        NetypareoInstance i = new NetypareoInstance(1, "demo", "Test Ymag", "https://cfa.ymag.cloud", TOKEN);
        assertFalse(i.toString().contains(TOKEN), i.toString());
        assertFalse(i.toString().contains("secret"), i.toString());
        assertTrue(i.toString().contains("****"));
        assertTrue(i.toString().contains("demo"));
        assertEquals(TOKEN, i.token());
    }

    @Test
    void idPrefixDependsOnThePosition() {
        assertEquals("", new NetypareoInstance(0, "a", null, "http://x", TOKEN).idPrefix());
        assertEquals("1_", new NetypareoInstance(1, "b", null, "http://x", TOKEN).idPrefix());
        assertEquals("12_", new NetypareoInstance(12, "c", null, "http://x", TOKEN).idPrefix());
    }

    @Test
    void labelNamesIdAndName() {
        assertEquals("'demo' (Test Ymag)", new NetypareoInstance(0, "demo", "Test Ymag", "http://x", TOKEN).label());
        assertEquals("'demo'", new NetypareoInstance(0, "demo", null, "http://x", TOKEN).label());
    }

    @Test
    void rejectsMissingParts() {
        assertThrows(IllegalArgumentException.class, () -> new NetypareoInstance(-1, "a", null, "http://x", TOKEN));
        assertThrows(IllegalArgumentException.class, () -> new NetypareoInstance(0, " ", null, "http://x", TOKEN));
        assertThrows(IllegalArgumentException.class, () -> new NetypareoInstance(0, "a", null, "", TOKEN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NetypareoInstance(0, "a", null, "http://x", " "));
        assertTrue(e.getMessage().contains("token is missing"));
    }
}
