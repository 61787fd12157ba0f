package dev.sift.data;

/** Which part of a prepared dataset a sample belongs to. */
public enum Split {
    TRAIN, VALIDATION, TEST;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
