package org.ypsync.moodle;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FormEncoderTest {

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static List<String> names(Map<String, ?> params) {
        return FormEncoder.flatten(params).stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    @Test
    void nestedListsAndObjectsUseZeroBasedBrackets() {
        Map<String, Object> user0 = map("username", "jdupont", "createpassword", true,
                "customfields", List.of(map("type", "apprenant", "value", "A1"), map("type", "site", "value", "PAR")));
        Map<String, Object> user1 = map("username", "amartin", "suspended", false, "idnumber", 42);
        assertEquals(List.of(
                        "users[0][username]=jdupont",
                        "users[0][createpassword]=1",
                        "users[0][customfields][0][type]=apprenant",
                        "users[0][customfields][0][value]=A1",
                        "users[0][customfields][1][type]=site",
                        "users[0][customfields][1][value]=PAR",
                        "users[1][username]=amartin",
                        "users[1][suspended]=0",
                        "users[1][idnumber]=42"),
                names(map("users", List.of(user0, user1))));
    }

    @Test
    void nestedObjectsAndScalarLists() {
        Map<String, Object> member = map("cohorttype", map("type", "idnumber", "value", "COH-1"),
                "usertype", map("type", "username", "value", "jdupont"));
        assertEquals(List.of(
                        "members[0][cohorttype][type]=idnumber",
                        "members[0][cohorttype][value]=COH-1",
                        "members[0][usertype][type]=username",
                        "members[0][usertype][value]=jdupont",
                        "cohortids[0]=12",
                        "cohortids[1]=13"),
                names(map("members", List.of(member), "cohortids", List.of(12L, 13L))));
    }

    @Test
    void nullsAreNotSentAndListsStayDense() {
        List<Object> withNull = new ArrayList<>(Arrays.asList("a", null, "b"));
        assertEquals(List.of("u[0][x]=1", "v[0]=a", "v[1]=b"),
                names(map("u", List.of(map("x", 1, "y", null)), "v", withNull, "w", null, "e", List.of(), "m", Map.of())));
    }

    @Test
    void numbersAreWrittenPlainly() {
        assertEquals(List.of("a=1.5", "b=10000000000", "c=3", "d=0.10"),
                names(map("a", 1.5d, "b", 1e10d, "c", 3L, "d", new BigDecimal("0.10"))));
    }

    @Test
    void encodesUtf8AndReservedCharacters() {
        String body = FormEncoder.encode(map("users", List.of(map("lastname", "O'Connor Lefèvre & Fils+1"))));
        assertEquals("users%5B0%5D%5Blastname%5D=O%27Connor+Lef%C3%A8vre+%26+Fils%2B1", body);
    }

    @Test
    void countsEveryLeafPlusTheFourCallFields() {
        Map<String, Object> user = map("username", "a", "email", "a@b.fr", "auth", null,
                "customfields", List.of(map("type", "t", "value", "v")), "preferences", List.of());
        assertEquals(4, FormEncoder.countLeaves(user));
        assertEquals(4 + 3 * 4, FormEncoder.countFields(map("users", List.of(user, user, user))));
        assertEquals(4, FormEncoder.countFields(Map.of()));
        // counting agrees with encoding
        Map<String, Object> params = map("users", List.of(user, user), "x", List.of(1, 2, 3));
        assertEquals(FormEncoder.countFields(params), FormEncoder.flatten(params).size() + FormEncoder.FIXED_FIELDS);
    }

    @Test
    void refusesUnsupportedValuesAndBadNames() {
        assertThrows(IllegalArgumentException.class, () -> FormEncoder.encode(map("a", new Object())));
        assertThrows(IllegalArgumentException.class, () -> FormEncoder.countLeaves(List.of(new Object())));
        assertThrows(IllegalArgumentException.class, () -> FormEncoder.encode(map("a[0]", "x")));
        assertThrows(IllegalArgumentException.class, () -> FormEncoder.encode(map("a", Double.NaN)));
    }

    @Test
    void jacksonTreesEncodeLikeMapsAndLists() throws Exception {
        com.fasterxml.jackson.databind.JsonNode user = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"username\":\"jdupont\",\"suspended\":true,\"city\":null,\"id\":12,\"score\":1.50,"
                        + "\"customfields\":[{\"type\":\"site\",\"value\":\"PAR\"}],\"preferences\":[]}");
        assertEquals(List.of("users[0][username]=jdupont", "users[0][suspended]=1", "users[0][id]=12",
                        "users[0][score]=1.5", "users[0][customfields][0][type]=site",
                        "users[0][customfields][0][value]=PAR"),
                names(map("users", List.of(user))));
        assertEquals(6, FormEncoder.countLeaves(user));
    }
}
