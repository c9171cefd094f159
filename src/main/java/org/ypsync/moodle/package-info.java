/**
 * Moodle web-service client (REST, form-encoded, JSON answers).
 *
 * <ul>
 *   <li>{@link org.ypsync.moodle.MoodleClient}: raw {@code call} plus typed batch operations answering a
 *       {@link org.ypsync.moodle.BatchResult} per batch (pre-validation, cutting to the form-field budget,
 *       bisection of all-or-nothing failures, look-up before re-sending a create that may have happened).</li>
 *   <li>{@link org.ypsync.moodle.MoodleException} and its three classes: fatal (stop the stage), record (the data),
 *       transient (retry later).</li>
 *   <li>{@link org.ypsync.moodle.MoodleBatchStrategy}: Camel aggregation strategy building batches under the
 *       budget; {@link org.ypsync.moodle.MoodlePreflight}: site info and missing functions before a run.</li>
 * </ul>
 * This package never imports {@code org.ypsync.netypareo}; only tests use the emulator.
 */
package org.ypsync.moodle;
