package org.ypsync.sync;

import java.util.List;
import java.util.Map;

/**
 * Course actions of one run. Updates and adoptions carry the desired course and the changed fields only
 * (core_course_update_courses is a patch). Courses of groups no longer synced are left as they are, or hidden
 * ({@code hides}, sync.courses.hide-gone); never deleted.
 */
public record CoursePlan(List<Create> creates, List<Adoption> adoptions, List<Update> updates, List<CourseLink> hides,
                         List<CourseLink> left, List<Rejection> rejections, int unchanged) {

    public CoursePlan {
        creates = List.copyOf(creates);
        adoptions = List.copyOf(adoptions);
        updates = List.copyOf(updates);
        hides = List.copyOf(hides);
        left = List.copyOf(left);
        rejections = List.copyOf(rejections);
    }

    public record Create(DesiredCourse course) {
    }

    /** An existing course with the desired idnumber, not linked yet: linked, and updated when changes is not empty. */
    public record Adoption(DesiredCourse course, long moodleId, Map<String, FieldChange> changes) {
        public Adoption {
            changes = Map.copyOf(changes);
        }
    }

    public record Update(DesiredCourse course, long moodleId, Map<String, FieldChange> changes) {
        public Update {
            changes = Map.copyOf(changes);
        }
    }

    public record Rejection(String idnumber, String shortname, String reason) {
    }

    /** Categories: those to create, those found in Moodle by idnumber (adopted), and how many were linked already. */
    public record Categories(List<DesiredCategory> creates, Map<DesiredCategory, Long> adoptions, int unchanged) {
        public Categories {
            creates = List.copyOf(creates);
            adoptions = Map.copyOf(adoptions);
        }
    }
}
