package io.llmc4j.compress.recipe;

import java.util.Collection;
import java.util.Optional;

/** The candidate nearest to a misspelt name by Levenshtein distance, for "did you mean" hints. */
final class ClosestMatch {
    private ClosestMatch() {
    }

    /** The candidate with the smallest edit distance to {@code name} (the first one on ties), if any. */
    static Optional<String> of(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(name, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** " Did you mean 'x'?" or "" when there is no candidate. */
    static String hint(String name, Collection<String> candidates) {
        return of(name, candidates).map(c -> " Did you mean '" + c + "'?").orElse("");
    }

    /** Insertions, deletions and substitutions needed to turn {@code a} into {@code b}. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
