package org.ypsync.netypareo.emulator;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.ypsync.netypareo.Group;
import org.ypsync.netypareo.Period;
import org.ypsync.netypareo.Site;
import org.ypsync.netypareo.StaffAccount;
import org.ypsync.netypareo.StudentAccount;
import org.ypsync.netypareo.TutorAccount;

/**
 * Makes the data of one emulated instance, deterministically: the same seed, instance index, size and "today"
 * give the same data. Codes follow the samples in netypareo-samples.json: each instance has its own ranges
 * (students 1000000+ for instance 0, 2000000+ for instance 1, staff 510000+/520000+, tutors 310000+/320000+), but
 * site codes (10, 11, ...), period codes (instance 1's old period has the code of instance 0's current one) and
 * group codes (846000+) deliberately repeat across instances, so tests can show two instances stay apart.
 *
 * <p>Quirks of real CFA data, at fixed positions so small data sets have them too: names with accents and
 * apostrophes (D'Arc, Nguyễn, Müller, O'Neil...), upper-case and accented logins, siblings sharing a family
 * e-mail, missing e-mails (null or ""), deactivated accounts (isActif 0), leavers with a past dateDepart and one
 * with a future one, learners in no group, administrative non-trainer staff, unused staff (plusUtilise 1), an unused
 * site, tutors with 1 to 3 learners and a shared company e-mail, FC groups inside and outside the default window
 * (30 days back, 365 ahead), and a diploma group of the old period.
 */
public final class DataSetGenerator {
    private DataSetGenerator() {
    }

    /** Generates with today's date. */
    public static EmulatedData generate(long seed, int instanceIndex, DataSetSize size) {
        return generate(seed, instanceIndex, size, LocalDate.now());
    }

    public static EmulatedData generate(long seed, int instanceIndex, DataSetSize size, LocalDate today) {
        Random r = new Random(seed * 1_000_003L + instanceIndex);
        EmulatedData d = new EmulatedData(instanceIndex, today);
        int i = instanceIndex;

        // sites: the same codes in every instance; the last of three or more is no longer used
        List<Integer> activeSites = new ArrayList<>();
        for (int k = 0; k < size.sites(); k++) {
            int code = 10 + k;
            boolean unused = size.sites() >= 3 && k == size.sites() - 1;
            String name = i == 0 ? "SITE" + (k + 1) : k == 0 ? "CFPPH" : "CFPPH Antenne " + (k + 1);
            String abbrev = i == 0 ? "S" + (k + 1) : k == 0 ? "CFPPH" : "CFPPH" + (k + 1);
            d.putSite(new Site(code, name, abbrev, unused));
            if (!unused) {
                activeSites.add(code);
            }
        }

        // periods: an old one and the school year containing today
        int year = today.getMonthValue() >= 9 ? today.getYear() : today.getYear() - 1;
        Period old = new Period(15 + i, "2000-2001", LocalDate.of(2000, 9, 1), LocalDate.of(2001, 8, 31));
        Period current = new Period(16 + i, year + "-" + (year + 1), LocalDate.of(year, 9, 1),
                LocalDate.of(year + 1, 8, 31));
        d.putPeriod(old);
        d.putPeriod(current);

        // groups: 846000+ in every instance
        int groupCode = 846000;
        List<Integer> diploma = new ArrayList<>();
        for (int k = 0; k < size.diplomaGroups(); k++) {
            int code = groupCode++;
            String training = Names.TRAININGS.get(k % Names.TRAININGS.size());
            d.putDiplomaGroup(new Group(code, training + " " + k + " – " + year, "G" + k,
                    activeSites.get(k % activeSites.size()), current.code(), 100 + k % Names.TRAININGS.size(),
                    current.start().plusDays(k % 20), current.end().minusDays(k % 45)));
            diploma.add(code);
        }
        List<Integer> fc = new ArrayList<>();
        for (int k = 0; k < size.fcGroups(); k++) {
            int code = groupCode++;
            String training = Names.FC_TRAININGS.get(k % Names.FC_TRAININGS.size());
            LocalDate[] dates = switch (k % 5) {
                case 0 -> new LocalDate[] {today.minusDays(20), today.plusDays(30)};       // running
                case 1 -> new LocalDate[] {today.minusDays(200), today.minusDays(100)};    // ended long ago
                case 2 -> new LocalDate[] {today.plusDays(40), today.plusDays(100)};      // upcoming
                case 3 -> new LocalDate[] {today.minusDays(60), today.minusDays(10)};     // ended recently
                default -> new LocalDate[] {today.plusDays(400), today.plusDays(430)};    // beyond a year
            };
            d.putFcGroup(new Group(code, training + " " + (code - 846000), "G" + (code - 846000),
                    activeSites.get(k % activeSites.size()), current.code(), 200 + k % Names.FC_TRAININGS.size(),
                    dates[0], dates[1]));
            fc.add(code);
        }
        // a class of the old period: filtered out by codesPeriode
        d.putDiplomaGroup(new Group(groupCode, "BTS MCO ancien – 2000", "OLD", activeSites.get(0), old.code(), 100,
                old.start(), old.end()));

        // students
        String[][] fixed = i == 0
                ? new String[][] {{"D'Arc", "Jérôme"}, {"Nguyễn", "Chloé"}, {"Müller", "Gaëlle"}, {"O'Neil", "Noël"}}
                : new String[][] {{"Ferré", "Maëva"}, {"Dubois", "Jérôme"}, {"Besançon", "Élodie"}, {"N'Diaye", "Anaïs"}};
        int base = (i + 1) * 1_000_000;
        List<Integer> studentCodes = new ArrayList<>();
        String previousLast = null;
        for (int k = 0; k < size.students(); k++) {
            int code = base + 3 + 7 * k;
            String last = k < fixed.length ? fixed[k][0] : Names.pick(r, Names.LAST);
            String first = k < fixed.length ? fixed[k][1] : Names.pick(r, Names.FIRST);
            String login = "apprenant" + code;
            if (k % 11 == 5) {
                login = login.toUpperCase(Locale.ROOT);
            } else if (k % 13 == 7) {
                login = first.toLowerCase(Locale.ROOT) + "." + last.toLowerCase(Locale.ROOT) + k;
            }
            String email = "a" + code + "." + i + "@eleves.example.org";
            if (k % 17 == 9 && previousLast != null) {
                last = previousLast; // a sibling of the previous learner: same family address
            }
            if (k % 17 == 8 || k % 17 == 9) {
                String family = k % 17 == 8 ? last : previousLast;
                email = "famille." + Names.mailToken(family) + "@example.org";
            }
            if (k % 19 == 10) {
                email = null;
            }
            boolean active = k % 23 != 12;
            LocalDate leaving = k % 29 == 14 ? today.minusDays(15 + k % 30)
                    : k % 31 == 20 ? today.plusDays(60) : null;
            d.putStudent(new StudentAccount(code, login, last, first, email,
                    activeSites.get(k % activeSites.size()), 1 + r.nextInt(3) / 2, active, leaving));
            if (!diploma.isEmpty() && k % 37 != 36) {
                d.addMember(diploma.get(k % diploma.size()), code);
            }
            if (!fc.isEmpty() && k % 5 == 1) {
                d.addMember(fc.get((k / 5) % fc.size()), code);
            }
            studentCodes.add(code);
            previousLast = last;
        }

        // staff: trainers, then administrative staff, then unused accounts
        int staffCode = 510000 + i * 10000;
        for (int t = 0; t < size.trainers(); t++) {
            int code = staffCode++;
            List<Integer> siteCodes = new ArrayList<>();
            siteCodes.add(activeSites.get(t % activeSites.size()));
            if (t % 3 == 1 && activeSites.size() > 1) {
                siteCodes.add(activeSites.get((t + 1) % activeSites.size()));
            }
            String login = t % 7 == 2 ? ("FORMATEUR" + code) : "formateur" + code;
            d.putStaff(new StaffAccount(code, login, Names.pick(r, Names.LAST), Names.pick(r, Names.FIRST),
                    "p" + code + "." + i + "@cfa.example.org", true, t == 1, siteCodes, false));
        }
        // the timetable: one or two trainers per diploma group, without drawing from the random sequence (the rest of
        // the data stays as it was)
        int firstTrainer = 510000 + i * 10000;
        for (int g = 0; g < diploma.size() && size.trainers() > 0; g++) {
            d.addTrainer(diploma.get(g), firstTrainer + g % size.trainers());
            if (g % 2 == 0 && size.trainers() > 1) {
                d.addTrainer(diploma.get(g), firstTrainer + (g + 1) % size.trainers());
            }
        }
        int admins = Math.max(1, size.trainers() / 5);
        for (int a = 0; a < admins; a++) {
            int code = staffCode++;
            d.putStaff(new StaffAccount(code, "admin" + code, Names.pick(r, Names.LAST), Names.pick(r, Names.FIRST),
                    a == 0 ? null : "p" + code + "." + i + "@cfa.example.org", false, true,
                    List.of(activeSites.get(a % activeSites.size())), false));
        }
        int unused = Math.max(1, size.trainers() / 10);
        for (int u = 0; u < unused; u++) {
            int code = staffCode++;
            d.putStaff(new StaffAccount(code, "ancien" + code, Names.pick(r, Names.LAST), Names.pick(r, Names.FIRST),
                    "p" + code + "." + i + "@cfa.example.org", true, false,
                    List.of(activeSites.get(u % activeSites.size())), true));
        }

        // tutors: 1 to 3 learners each; two contacts of a company may share its address
        int tutorCode = 310000 + i * 10000;
        for (int t = 0; t < size.tutors(); t++) {
            int code = tutorCode++;
            int company = 9000 + t / 2;
            List<Integer> tutored = new ArrayList<>();
            int count = 1 + t % 3;
            for (int c = 0; c < count && !studentCodes.isEmpty(); c++) {
                int s = studentCodes.get(r.nextInt(studentCodes.size()));
                if (!tutored.contains(s)) {
                    tutored.add(s);
                }
            }
            String email = t % 7 == 3 ? "contact@entreprise" + company + ".example.org"
                    : t % 7 == 2 ? "contact@entreprise" + (9000 + (t + 1) / 2) + ".example.org"
                    : "t" + code + "." + i + "@entreprise.example.org";
            d.putTutor(new TutorAccount(code, (t % 2 == 0 ? "entreprise" : "interlocuteur") + code,
                    Names.pick(r, Names.LAST), Names.pick(r, Names.FIRST), email, company, tutored));
        }
        return d;
    }
}
