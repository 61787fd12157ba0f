package dev.sift.workflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * How stage outputs are stored: a record's components as snake_case keys, absent values left out. Reading
 * ignores keys a record no longer has and matches enums case-insensitively, so runs stored before a field was
 * added or renamed stay readable.
 */
public final class StageJson {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, true)
            .build();

    private StageJson() {
    }

    public static String write(Record output) {
        try {
            return JSON.writeValueAsString(output);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + output.getClass().getSimpleName(), e);
        }
    }

    /** Any value as a JSON tree in the same naming. */
    static com.fasterxml.jackson.databind.node.ObjectNode tree(Object value) {
        return JSON.valueToTree(value);
    }

    public static <O> O read(String json, Class<O> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " is not readable: "
                    + e.getOriginalMessage(), e);
        }
    }
}
