package dev.sift.data;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A synthetic e-commerce search dataset with known label noise. Queries name a product type and maybe an
 * attribute; products belong to a category. The true grade follows word overlap and category:
 * 3 = same product type and the query's attribute (or the query has none), 2 = same type, other attribute,
 * 1 = same category, other type, 0 = other category. A fraction {@code noise} of labels is then replaced by
 * another grade and marked in {@code is_noisy}, so label-noise detection can be scored against the truth.
 */
public final class SyntheticShop {
    public static final String HEADER = "query,product_title,product_description,relevance,user_id,is_noisy";

    private static final String[][] TYPES = {
        {"lighting", "lamp", "lights", "bulb", "lantern", "chandelier"},
        {"kitchen", "knife", "pan", "kettle", "blender", "toaster"},
        {"furniture", "sofa", "chair", "table", "desk", "bookshelf"},
        {"bedding", "pillow", "duvet", "blanket", "sheets", "mattress"},
        {"electronics", "headphones", "speaker", "charger", "camera", "monitor"},
        {"apparel", "jacket", "shoes", "dress", "jeans", "hat"},
        {"garden", "hose", "planter", "shovel", "grill", "sprinkler"},
        {"toys", "puzzle", "doll", "blocks", "robot", "kite"},
    };
    private static final String[][] ATTRIBUTES = {
        {"led", "christmas", "outdoor", "solar", "vintage", "dimmable"},
        {"stainless", "nonstick", "electric", "ceramic", "cast-iron", "compact"},
        {"wooden", "leather", "folding", "modern", "oak", "velvet"},
        {"cotton", "memory-foam", "king", "queen", "silk", "wool"},
        {"wireless", "bluetooth", "portable", "usb", "4k", "noise-cancelling"},
        {"waterproof", "running", "denim", "winter", "summer", "kids"},
        {"expandable", "terracotta", "steel", "charcoal", "raised", "automatic"},
        {"educational", "plush", "remote-control", "magnetic", "giant", "musical"},
    };
    private static final String[] BRANDS = {"Acme", "Nordhaus", "Brightline", "Kitchora", "Oakridge", "Luma",
        "Verda", "Sonique", "Pinecrest", "Tidewell", "Hearthly", "Zephyr"};
    private static final String[] COLOURS = {"black", "white", "red", "blue", "grey", "green", "natural"};

    private SyntheticShop() {
    }

    /** One generated row. {@code trueLabel} is the grade before noise. */
    public record Row(String query, String title, String description, int label, int trueLabel, String user,
            boolean noisy) {
    }

    public static List<Row> generate(int rows, double noise, long seed) {
        Random r = new Random(seed);
        int queries = Math.max(6, rows / 20);
        List<int[]> qs = new ArrayList<>(); // category, type, attribute or -1
        Set<String> seen = new LinkedHashSet<>();
        while (qs.size() < queries && seen.size() < 8 * 5 * 7) {
            int c = r.nextInt(TYPES.length);
            int t = 1 + r.nextInt(TYPES[c].length - 1);
            int a = r.nextDouble() < 0.7 ? r.nextInt(ATTRIBUTES[c].length) : -1;
            if (seen.add(c + ":" + t + ":" + a)) {
                qs.add(new int[] {c, t, a});
            }
        }
        List<Row> out = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            int[] q = qs.get(i % qs.size());
            String query = (q[2] >= 0 ? ATTRIBUTES[q[0]][q[2]].replace('-', ' ') + " " : "") + TYPES[q[0]][q[1]];
            // products skew towards the query's category so every grade is frequent
            double u = r.nextDouble();
            int c = u < 0.75 ? q[0] : r.nextInt(TYPES.length);
            int t = c == q[0] && u < 0.55 ? q[1] : 1 + r.nextInt(TYPES[c].length - 1);
            int a = c == q[0] && t == q[1] && q[2] >= 0 && r.nextDouble() < 0.5 ? q[2]
                    : r.nextInt(ATTRIBUTES[c].length);
            String attr = ATTRIBUTES[c][a].replace('-', ' ');
            String title = BRANDS[r.nextInt(BRANDS.length)] + " " + attr + " " + TYPES[c][t] + " - "
                    + COLOURS[r.nextInt(COLOURS.length)];
            String description = "A " + attr + " " + TYPES[c][t] + " for your " + TYPES[c][0] + " needs. "
                    + (r.nextBoolean() ? "Free shipping." : "Top rated by customers.");
            int grade;
            if (c != q[0]) {
                grade = 0;
            } else if (t != q[1]) {
                grade = 1;
            } else {
                grade = q[2] < 0 || a == q[2] ? 3 : 2;
            }
            int label = grade;
            boolean noisy = r.nextDouble() < noise;
            if (noisy) {
                label = (grade + 1 + r.nextInt(3)) % 4;
            }
            out.add(new Row(query, title, description, label, grade, "user-" + r.nextInt(Math.max(10, rows / 10)),
                    noisy));
        }
        return out;
    }

    public static void writeCsv(List<Row> rows, Writer w) throws IOException {
        w.write(HEADER);
        w.write('\n');
        for (Row row : rows) {
            w.write(Text.csv(row.query()) + "," + Text.csv(row.title()) + "," + Text.csv(row.description()) + ","
                    + row.label() + "," + row.user() + "," + (row.noisy() ? 1 : 0) + "\n");
        }
    }
}
