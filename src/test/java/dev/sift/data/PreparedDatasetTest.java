package dev.sift.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sift.Sha256;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreparedDatasetTest {
    private static final List<Sample> SAMPLES = List.of(
            new Sample(0, "red lamp", "Lamp, red", "a lamp", 3, "red lamp", null, false, Split.TRAIN, 2, null),
            new Sample(1, "red lamp", "Chair \"oak\"", "", 0, "red lamp", "u1", true, Split.TEST, 3, "sku-9"));

    @Test
    void theStreamedFormIsTheBytesOfTheInMemoryForm() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        PreparedDataset.write(SAMPLES, out);
        assertArrayEquals(PreparedDataset.write(SAMPLES), out.toByteArray());
    }

    @Test
    void readingAStreamHashesAllOfItAndParsesOnlyWhatIsIntact() throws Exception {
        byte[] bytes = PreparedDataset.write(SAMPLES);
        PreparedDataset.Hashed read = PreparedDataset.readHashed(new ByteArrayInputStream(bytes));
        assertEquals(SAMPLES, read.samples());
        assertEquals(Sha256.hex(bytes), read.sha256());
        // equal texts are one string: the query of both rows, and each row's group
        assertSame(read.samples().get(0).query(), read.samples().get(1).query());
        assertSame(read.samples().get(0).query(), read.samples().get(1).group());
        // a line cut short: no samples, and the hash of what was there, so the caller reports a corrupt object
        byte[] cut = new String(bytes, StandardCharsets.UTF_8).replaceFirst("\"title\"", "\"ti").getBytes(
                StandardCharsets.UTF_8);
        PreparedDataset.Hashed bad = PreparedDataset.readHashed(new ByteArrayInputStream(cut));
        assertNull(bad.samples());
        assertEquals(Sha256.hex(cut), bad.sha256());
        // a valid JSON line without a field a sample needs: the same
        byte[] missing = (new String(bytes, StandardCharsets.UTF_8) + "{\"i\":2}\n").getBytes(StandardCharsets.UTF_8);
        PreparedDataset.Hashed partial = PreparedDataset.readHashed(new ByteArrayInputStream(missing));
        assertNull(partial.samples());
        assertEquals(Sha256.hex(missing), partial.sha256());
    }
}
