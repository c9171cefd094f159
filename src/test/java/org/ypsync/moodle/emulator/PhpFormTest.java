package org.ypsync.moodle.emulator;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhpFormTest {
    private static Map<String, Object> parse(String s) {
        return PhpForm.parse(s, 5000, PhpForm.Source.POST_BODY).vars();
    }

    @Test
    void bracketNotationBuildsNestedOrderedArrays() {
        Map<String, Object> v = parse("users%5B0%5D%5Busername%5D=jd&users[0][customfields][0][type]=t"
                + "&users[0][customfields][0][value]=v+w&users[1][username]=x");
        assertEquals(Map.of("0", Map.of("username", "jd", "customfields", Map.of("0", Map.of("type", "t", "value",
                "v w"))), "1", Map.of("username", "x")), v.get("users"));
        assertEquals(List.of("0", "1"), List.copyOf(((Map<?, ?>) v.get("users")).keySet()));
    }

    @Test
    void emptyBracketsAppendAndDuplicatesOverwriteInPlace() {
        Map<String, Object> v = parse("values[]=a&values[]=b&a=1&b=2&a=3");
        assertEquals(Map.of("0", "a", "1", "b"), v.get("values"));
        assertEquals(List.of("values", "a", "b"), List.copyOf(v.keySet()));
        assertEquals("3", v.get("a"));
    }

    @Test
    void topLevelDotsAndSpacesBecomeUnderscoresAndUnclosedBracketToo() {
        Map<String, Object> v = parse("a.b=1&c d=2&e[f=3");
        assertEquals("1", v.get("a_b"));
        assertEquals("2", v.get("c_d"));
        assertEquals("3", v.get("e_f"));
    }

    @Test
    void scalarIsReplacedByArrayAndMalformedEscapesAreKept() {
        Map<String, Object> v = parse("x=1&x[k]=2&p=100%&q=%C3%A9");
        assertEquals(Map.of("k", "2"), v.get("x"));
        assertEquals("100%", v.get("p"));
        assertEquals("é", v.get("q"));
    }

    @Test
    void postBodyKeepsMaxPlusOneVariablesQueryKeepsMax() {
        String five = "a=1&b=2&c=3&d=4&e=5";
        PhpForm.Parsed post = PhpForm.parse(five, 3, PhpForm.Source.POST_BODY);
        assertEquals(List.of("a", "b", "c", "d"), List.copyOf(post.vars().keySet()));
        assertTrue(post.truncated());
        PhpForm.Parsed get = PhpForm.parse(five, 3, PhpForm.Source.QUERY);
        assertEquals(List.of("a", "b", "c"), List.copyOf(get.vars().keySet()));
        assertTrue(get.truncated());
        assertFalse(PhpForm.parse(five, 5, PhpForm.Source.QUERY).truncated());
    }
}
