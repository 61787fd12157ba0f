package dev.sift.selection;

import java.util.Locale;

/** Which end of a ranking a selection keeps. */
public enum Order {
    HIGHEST, LOWEST;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
