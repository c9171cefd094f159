package org.ypsync.sync;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Plans cohort creates, adoptions and updates; cohorts no longer desired are reported as left, never deleted. */
public final class CohortPlanner {
    public static final int MAX_IDNUMBER = 100;
    public static final int MAX_NAME = 254;

    private CohortPlanner() {
    }

    /**
     * @param links              managed cohorts by idnumber
     * @param existingByIdnumber Moodle cohorts by idnumber (e.g. from core_cohort_get_cohorts)
     */
    public static CohortPlan plan(List<DesiredCohort> desired, Map<String, CohortLink> links,
            Map<String, MoodleCohort> existingByIdnumber) {
        Objects.requireNonNull(desired, "desired");
        Objects.requireNonNull(links, "links");
        Objects.requireNonNull(existingByIdnumber, "existingByIdnumber");
        List<CohortPlan.Create> creates = new ArrayList<>();
        List<CohortPlan.Adoption> adoptions = new ArrayList<>();
        List<CohortPlan.Update> updates = new ArrayList<>();
        List<CohortPlan.Rejection> rejections = new ArrayList<>();
        int unchanged = 0;
        Map<Long, String> linkedIds = new HashMap<>();
        links.values().forEach(l -> linkedIds.put(l.moodleId(), l.idnumber()));
        Set<String> seen = new HashSet<>();
        List<DesiredCohort> sorted = new ArrayList<>(desired);
        sorted.sort(Comparator.comparing(DesiredCohort::idnumber));
        for (DesiredCohort c : sorted) {
            String why = validate(c);
            if (why == null && !seen.add(c.idnumber())) {
                why = "duplicate cohort idnumber in NetYpareo data: only the first one is used";
            }
            if (why != null) {
                rejections.add(new CohortPlan.Rejection(c.idnumber(), c.name(), c.family(), why));
                continue;
            }
            CohortLink link = links.get(c.idnumber());
            if (link != null) {
                Map<String, FieldChange> changes = UserPlanner.diff(link.written(), c.written());
                if (changes.isEmpty()) {
                    unchanged++;
                } else {
                    updates.add(new CohortPlan.Update(c, link.moodleId(), changes));
                }
                continue;
            }
            MoodleCohort existing = existingByIdnumber.get(c.idnumber());
            if (existing != null) {
                String owner = linkedIds.get(existing.id());
                if (owner != null) {
                    rejections.add(new CohortPlan.Rejection(c.idnumber(), c.name(), c.family(),
                            "Moodle cohort id " + existing.id() + " is already linked to [" + owner + "]"));
                    continue;
                }
                adoptions.add(new CohortPlan.Adoption(c, existing.id(), UserPlanner.diff(existing.fields(), c.written())));
            } else {
                creates.add(new CohortPlan.Create(c));
            }
        }
        List<CohortLink> left = new ArrayList<>();
        links.values().stream().filter(l -> !seen.contains(l.idnumber()))
                .sorted(Comparator.comparing(CohortLink::idnumber)).forEach(left::add);
        return new CohortPlan(creates, adoptions, updates, left, rejections, unchanged);
    }

    /**
     * Repairs hand edits of managed cohorts: for each desired cohort that is linked, a Moodle cohort (read back by id)
     * whose idnumber, name or description differs from what ypsync wrote gets an update with the full record (before =
     * Moodle's value). A linked cohort not found in Moodle (deleted by hand) is reported as a rejection; the glue may
     * drop its link so the next run recreates it. Cohorts no longer desired are not repaired.
     */
    public static CohortPlan drift(List<DesiredCohort> desired, Map<String, CohortLink> links,
            Map<Long, MoodleCohort> moodleById) {
        List<CohortPlan.Update> updates = new ArrayList<>();
        List<CohortPlan.Rejection> missing = new ArrayList<>();
        int unchanged = 0;
        List<DesiredCohort> sorted = new ArrayList<>(desired);
        sorted.sort(Comparator.comparing(DesiredCohort::idnumber));
        Set<String> seen = new HashSet<>();
        for (DesiredCohort c : sorted) {
            CohortLink l = links.get(c.idnumber());
            if (l == null || !seen.add(c.idnumber())) {
                continue;
            }
            MoodleCohort m = moodleById.get(l.moodleId());
            if (m == null) {
                missing.add(new CohortPlan.Rejection(c.idnumber(), c.name(), c.family(),
                        "linked Moodle cohort id " + l.moodleId() + " not found (deleted by hand?)"));
                continue;
            }
            Map<String, FieldChange> changes = UserPlanner.diff(m.fields(), l.written());
            if (changes.isEmpty()) {
                unchanged++;
            } else {
                DesiredCohort record = new DesiredCohort(l.written().getOrDefault(DesiredCohort.IDNUMBER, c.idnumber()),
                        l.written().getOrDefault(DesiredCohort.NAME, c.name()),
                        l.written().getOrDefault(DesiredCohort.DESCRIPTION, c.description()), c.family());
                updates.add(new CohortPlan.Update(record, l.moodleId(), changes));
            }
        }
        return new CohortPlan(List.of(), List.of(), updates, List.of(), missing, unchanged);
    }

    private static String validate(DesiredCohort c) {
        if (c.idnumber().isEmpty()) {
            return "missing idnumber";
        }
        if (c.idnumber().length() > MAX_IDNUMBER) {
            return "idnumber longer than " + MAX_IDNUMBER + " characters";
        }
        if (c.name().isEmpty()) {
            return "missing name";
        }
        if (c.name().length() > MAX_NAME) {
            return "name longer than " + MAX_NAME + " characters";
        }
        return null;
    }
}
