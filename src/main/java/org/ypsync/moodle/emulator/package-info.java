/**
 * An in-memory Moodle 4.4 speaking the REST web-service protocol, for tests, the demo and the benchmark only.
 *
 * <pre>{@code
 * MoodleEmulator moodle = new MoodleEmulator()
 *         .profileField("netypareo_usertype")      // a user profile field that exists
 *         .authPlugin("oidc", false)               // an extra, non-internal auth plugin
 *         .start();                                // 127.0.0.1, free port
 * client = new MoodleClient(moodle.url(), moodle.token(), ...);
 * ... run the sync ...
 * assertEquals(12, moodle.itemsWritten("created"));
 * moodle.stop();
 * }</pre>
 *
 * <p>{@link org.ypsync.moodle.emulator.MoodleEmulator} is the whole API: settings, state reads and hand edits,
 * fault injection, counters. Behaviour is pinned by {@code MoodleTranscriptReplayTest}, which replays the 91 calls
 * recorded on a real Moodle 4.4.3+ ({@code shared/reference/moodle-4.4-transcripts.json}). Known simplifications:
 * one site-wide lock (calls are serialised; latency is simulated outside it, bounded by {@code workers(n)}), no
 * capabilities (the token user is the site admin), no multipart bodies, the front-page course is left out of
 * course listings, a course's content is only its sections and their activities' names, XML answers omit the optional keys real Moodle prints as null, and cohort-sync enrolments
 * (enrol_cohort) and course groups (core_group_*, which ypsync never calls) are not simulated.
 */
package org.ypsync.moodle.emulator;
