/**
 * An in-memory Moodle 4.4 speaking the REST web-service protocol, for tests, the demo and the benchmark only.
 *
 * <p>{@link org.ypsync.moodle.emulator.MoodleEmulator} is the whole API: start it, point a client at
 * {@code url()} with {@code token()}, read or edit its state, inject faults, read its counters. Its behaviour is
 * pinned by {@code MoodleTranscriptReplayTest}, which replays the 91 calls recorded on a real Moodle 4.4.3+
 * ({@code shared/reference/moodle-4.4-transcripts.json}). Known simplifications: one site-wide lock (calls are
 * serialised; latency is simulated outside the lock), no capabilities (the token user is the site admin), no
 * multipart bodies, the front-page course is left out of course listings, XML answers omit optional keys that
 * real Moodle prints as null.
 */
package org.ypsync.moodle.emulator;
