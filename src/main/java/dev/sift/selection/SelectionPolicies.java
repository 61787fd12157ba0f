package dev.sift.selection;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The registry of selection policies, built from the classes that register with {@code @AutoService}. */
public final class SelectionPolicies {
    private static final Map<String, SelectionPolicy> BY_NAME = load();

    private SelectionPolicies() {
    }

    private static Map<String, SelectionPolicy> load() {
        Map<String, SelectionPolicy> out = new TreeMap<>();
        for (SelectionPolicy p : ServiceLoader.load(SelectionPolicy.class, SelectionPolicy.class.getClassLoader())) {
            if (out.put(p.name(), p) != null) {
                throw new IllegalStateException("two selection policies are named " + p.name());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    public static List<SelectionPolicy> all() {
        return List.copyOf(BY_NAME.values());
    }

    public static Optional<SelectionPolicy> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
