package org.ypsync.netypareo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NetypareoEndpointTest {

    @Test
    void defaultTemplatesAndKeysFollowTheContract() {
        assertEquals("sites", NetypareoEndpoint.SITES.defaultTemplate());
        assertEquals("periodes", NetypareoEndpoint.PERIODS.defaultTemplate());
        assertEquals("utilisateur/apprenants", NetypareoEndpoint.STUDENTS.defaultTemplate());
        assertEquals("utilisateur/personnels", NetypareoEndpoint.STAFF.defaultTemplate());
        assertEquals("utilisateur/tuteurs", NetypareoEndpoint.TUTORS.defaultTemplate());
        assertEquals("formation-longue/groupes?codesPeriode={period}", NetypareoEndpoint.DIPLOMA_GROUPS.defaultTemplate());
        assertEquals("formation-courte/{from}/{to}/groupes", NetypareoEndpoint.FC_GROUPS.defaultTemplate());
        assertEquals("groupes/{group}/apprenants", NetypareoEndpoint.GROUP_MEMBERS.defaultTemplate());
        assertEquals("groupes-personnels/from-planning?codesPeriode={period}",
                NetypareoEndpoint.GROUP_TRAINERS.defaultTemplate());
        Set<String> keys = Arrays.stream(NetypareoEndpoint.values()).map(NetypareoEndpoint::configKey)
                .collect(Collectors.toSet());
        assertEquals(Set.of("netypareo.path.sites", "netypareo.path.periods", "netypareo.path.students",
                "netypareo.path.staff", "netypareo.path.tutors", "netypareo.path.diploma-groups",
                "netypareo.path.fc-groups", "netypareo.path.group-members", "netypareo.path.group-trainers"), keys);
    }

    @Test
    void resolvesPlaceholders() {
        assertEquals("formation-longue/groupes?codesPeriode=16",
                NetypareoEndpoint.DIPLOMA_GROUPS.path(Map.of("period", "16")));
        assertEquals("groupes/846000/apprenants", NetypareoEndpoint.GROUP_MEMBERS.path(Map.of("group", "846000")));
        assertEquals("formation-courte/26-10-2026/25-11-2027/groupes", NetypareoEndpoint.FC_GROUPS.path(
                NetypareoEndpoint.window(LocalDate.of(2026, 10, 26), LocalDate.of(2027, 11, 25))));
        assertEquals("sites", NetypareoEndpoint.SITES.path(Map.of()));
    }

    @Test
    void encodesValues() {
        assertEquals("x/a%20b%2Fc%26d%3De/%C3%A9", NetypareoEndpoint.resolve("x/{v}/{w}",
                Map.of("v", "a b/c&d=e", "w", "é")));
        assertEquals("formation-longue/groupes?codesPeriode=16%2C17",
                NetypareoEndpoint.resolve(NetypareoEndpoint.DIPLOMA_GROUPS.defaultTemplate(), Map.of("period", "16,17")));
    }

    @Test
    void missingVariableIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetypareoEndpoint.GROUP_MEMBERS.path(Map.of("grp", "1")));
        assertTrue(e.getMessage().contains("{group}"), e.getMessage());
    }

    @Test
    void pathDatesAreDayMonthYearWithDashes() {
        assertEquals("05-01-2027", NetypareoEndpoint.pathDate(LocalDate.of(2027, 1, 5)));
    }

    @Test
    void findsTheEndpointOfAResolvedPath() {
        assertEquals(Optional.of(NetypareoEndpoint.TUTORS), NetypareoEndpoint.matching("utilisateur/tuteurs"));
        assertEquals(Optional.of(NetypareoEndpoint.GROUP_MEMBERS), NetypareoEndpoint.matching("groupes/846000/apprenants"));
        assertEquals(Optional.of(NetypareoEndpoint.FC_GROUPS),
                NetypareoEndpoint.matching("formation-courte/01-01-2026/01-02-2026/groupes"));
        assertEquals(Optional.of(NetypareoEndpoint.DIPLOMA_GROUPS),
                NetypareoEndpoint.matching("formation-longue/groupes?codesPeriode=16"));
        assertEquals(Optional.empty(), NetypareoEndpoint.matching("utilisateur/formateurs"));
    }

    @Test
    void clientUrlAppendsTheApiPrefixOnce() {
        String t = "tok";
        assertEquals(URI.create("http://h/netypareo/index.php/r/v1/sites"),
                NetypareoHttp.uri(new NetypareoInstance(0, "a", null, "http://h/netypareo", t), "sites"));
        assertEquals(URI.create("https://x.ymag.cloud/index.php/r/v1/sites"),
                NetypareoHttp.uri(new NetypareoInstance(0, "a", null, "https://x.ymag.cloud/index.php", t), "sites"));
        assertEquals(URI.create("https://x.ymag.cloud/index.php/r/v1/sites"),
                NetypareoHttp.uri(new NetypareoInstance(0, "a", null, "https://x.ymag.cloud/index.php/r/v1/", t), "/sites"));
    }
}
