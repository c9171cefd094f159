package org.ypsync.netypareo.emulator;

import java.util.List;
import java.util.Random;

/** Name pools with the characters real CFA data carries: accents, apostrophes, hyphens, non-French letters. */
final class Names {
    static final List<String> LAST = List.of("D'Arc", "Nguyễn", "Müller", "Garçon", "Bénard", "Château", "O'Neil",
            "Ferré", "Besançon", "Dubois", "Martin", "Moreau", "Lefèvre", "Éluard", "N'Diaye", "Le Goff",
            "Saint-Exupéry", "Bernard", "Petit", "Durand", "Leroy", "Rousseau", "Fournier", "Girard", "Mercier",
            "Da Silva", "Benoît", "Bouchard", "Lemaître", "Œuvray", "Nuñez", "Kowalczyk", "Traoré", "L'Hôte");
    static final List<String> FIRST = List.of("Jérôme", "Chloé", "Gaëlle", "Maëva", "Théo", "Élodie", "Aurélien",
            "Anne-Sophie", "Sébastien", "Yanis", "Camille", "Zoé", "Loïc", "Inès", "Noël", "François", "Hélène",
            "Jean-Baptiste", "Léa", "Noémie", "Mathéo", "Anaïs", "Benoît", "Céline", "Raphaël", "Clémence", "Joël");
    static final List<String> TRAININGS = List.of("BTS MCO", "CAP Cuisine", "BP Coiffure", "Bac Pro MELEC",
            "BTS NDRC", "CAP Pâtisserie", "Titre Pro Secrétaire", "Licence Pro RH");
    static final List<String> FC_TRAININGS = List.of("FC Habilitation", "FC SST", "FC Excel", "FC Anglais",
            "FC Management d'équipe", "FC CACES");

    private Names() {
    }

    static String pick(Random r, List<String> pool) {
        return pool.get(r.nextInt(pool.size()));
    }

    /** A lower-case ASCII token for e-mail local parts: "D'Arc" becomes "darc". */
    static String mailToken(String name) {
        String folded = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "").replace("œ", "oe").replace("Œ", "Oe");
        return folded.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
