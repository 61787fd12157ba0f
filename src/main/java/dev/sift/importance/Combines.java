package dev.sift.importance;

import java.util.List;

/** A method built from other methods (an ensemble): the workflow names its members. */
public interface Combines {
    /** The same method over these members. */
    ImportanceMethod over(List<String> members);
}
