package dev.sift.data;

import java.util.HashMap;

/**
 * One copy of each distinct text of one read. Shop logs repeat their texts: every pair of a query carries the query
 * (and its group, the same text), every pair of a product its title and description; read row by row, each is a
 * string of its own. A generated million-pair shop has 280 queries, 20,160 titles and 480 descriptions, and the heap
 * held 372 MB of strings while scoring; with one copy each, the rows share them. The pool lives for one read, so its
 * map (about 48 bytes per distinct text) is freed with it.
 */
final class TextPool {
    private final HashMap<String, String> seen = new HashMap<>();

    /** The pool's copy of {@code text}, which becomes the copy when it is the first of its kind; null stays null. */
    String of(String text) {
        if (text == null) {
            return null;
        }
        String first = seen.putIfAbsent(text, text);
        return first == null ? text : first;
    }

    /** {@code s} with its texts replaced by the pool's copies (the same values). */
    Sample of(Sample s) {
        return new Sample(s.index(), of(s.query()), of(s.title()), of(s.description()), s.label(), of(s.group()),
                of(s.user()), s.noisy(), s.split(), s.sourceLine(), of(s.item()));
    }
}
