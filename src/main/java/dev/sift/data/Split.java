package dev.sift.data;

/**
 * Which part of a prepared dataset a sample belongs to: models train on TRAIN, pick their epoch on VALIDATION,
 * value methods measure samples against UTILITY, and TEST is only ever measured. No set does two of these jobs.
 */
public enum Split {
    TRAIN, VALIDATION, UTILITY, TEST;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
