package org.ypsync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.ypsync.moodle.MoodleClient;
import org.ypsync.moodle.MoodleSettings;
import org.ypsync.ops.Settings;

/** The moodle.max-records-per-batch keys as ypsync reads them from its configuration. */
class MoodleBatchKeysTest {

    static Map<String, String> applicationProperties() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("application.properties"))) {
            p.load(in);
        }
        Map<String, String> m = new HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }

    static MoodleSettings read(Map<String, String> keys) {
        return YpsyncConfiguration.moodleSettings(new Settings(k -> Optional.ofNullable(keys.get(k))));
    }

    @Test
    void applicationPropertiesSetsTheCapOfEachFunction() throws IOException {
        MoodleSettings s = read(applicationProperties());
        assertEquals(100, s.maxRecordsPerBatch(MoodleClient.CREATE_USERS));
        assertEquals(1000, s.maxRecordsPerBatch(MoodleClient.ADD_COHORT_MEMBERS));
        // the file and the code agree: a host that leaves the keys out gets the same caps
        MoodleSettings code = MoodleSettings.of("https://m.example.org", "t");
        for (String function : MoodleClient.BATCHED_WRITES) {
            assertEquals(code.maxRecordsPerBatch(function), s.maxRecordsPerBatch(function), function);
        }
    }

    @Test
    void aFunctionsKeyOverridesAndTheOldKeyIsTheDefaultOfTheOthers() throws IOException {
        Map<String, String> keys = applicationProperties();
        keys.put("moodle.max-records-per-batch", "50");
        keys.put("moodle.max-records-per-batch.core_cohort_add_cohort_members", "600");
        keys.put("moodle.max-records-per-batch.core_user_create_users", "200");
        MoodleSettings s = read(keys);
        assertEquals(600, s.maxRecordsPerBatch(MoodleClient.ADD_COHORT_MEMBERS));
        assertEquals(200, s.maxRecordsPerBatch(MoodleClient.CREATE_USERS));
        assertEquals(50, s.maxRecordsPerBatch(MoodleClient.CREATE_COHORTS));
        assertEquals(50, s.maxRecordsPerBatch(MoodleClient.UPDATE_COHORTS));
        assertEquals(1000, s.maxRecordsPerBatch(MoodleClient.DELETE_COHORT_MEMBERS));
    }
}
