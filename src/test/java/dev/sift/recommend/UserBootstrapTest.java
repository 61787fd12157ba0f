package dev.sift.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.evaluation.Protocol;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UserBootstrapTest {
    private static final int USERS = 200;

    /** Per-user hit values (0 or 1) at hit rate p, from a seeded stream. */
    private static double[] hits(double p, long seed) {
        Random r = new Random(seed);
        double[] v = new double[USERS];
        for (int u = 0; u < USERS; u++) {
            v[u] = r.nextDouble() < p ? 1 : 0;
        }
        return v;
    }

    @Test
    void theDifferenceIsThatOfTheSeedMeansAndAModelAgainstItselfIsExactlyZero() {
        double[][] a = {hits(0.6, 1), hits(0.2, 2)};
        double[][] b = {hits(0.4, 3), hits(0.4, 4)};
        Protocol.Interval i = UserBootstrap.compare(a, b, 500, 7, true);
        double byHand = 0;
        for (int u = 0; u < USERS; u++) {
            byHand += (a[0][u] + a[1][u]) / 2 - (b[0][u] + b[1][u]) / 2;
        }
        assertEquals(byHand / USERS, i.delta(), 1e-12);
        assertEquals(USERS, i.queries());
        Protocol.Interval self = UserBootstrap.compare(a, a, 500, 7, true);
        assertEquals(0.0, self.lo(), 1e-12);
        assertEquals(0.0, self.hi(), 1e-12);
    }

    @Test
    void drawingTheSeedsTooWidensTheIntervalBySeedSpread() {
        double[][] spread = {hits(0.9, 1), hits(0.1, 2)};
        double[][] steady = {hits(0.5, 3), hits(0.5, 4)};
        Protocol.Interval users = UserBootstrap.compare(spread, steady, 1000, 7, false);
        Protocol.Interval both = UserBootstrap.compare(spread, steady, 1000, 7, true);
        assertEquals(users.delta(), both.delta(), 1e-12, "the same difference of seed means");
        assertTrue(both.hi() - both.lo() > 2 * (users.hi() - users.lo()), users + " against " + both);
        double[][] one = {hits(0.6, 5)};
        double[][] other = {hits(0.4, 6)};
        Protocol.Interval drawn = UserBootstrap.compare(one, other, 500, 7, true);
        Protocol.Interval not = UserBootstrap.compare(one, other, 500, 7, false);
        assertEquals(not.lo(), drawn.lo(), 1e-12, "one seed a side: nothing to draw");
        assertEquals(not.hi(), drawn.hi(), 1e-12);
        // a side with one seed (popularity) against three: the three are drawn, the one is not
        Protocol.Interval unequal = UserBootstrap.compare(new double[][] {hits(0.9, 1), hits(0.1, 2), hits(0.5, 8)},
                one, 500, 7, true);
        assertTrue(unequal.lo() < unequal.delta() && unequal.delta() < unequal.hi(), unequal.toString());
    }

    @Test
    void fewerThanFiveUsersGetTheDifferenceAloneAndMismatchedUsersAreRefused() {
        Protocol.Interval few = UserBootstrap.compare(new double[][] {{1, 0, 1, 1}}, new double[][] {{0, 0, 1, 0}}, 500,
                7, true);
        assertEquals(0.5, few.delta(), 1e-12);
        assertTrue(Double.isNaN(few.lo()) && Double.isNaN(few.hi()));
        assertThrows(IllegalArgumentException.class, () -> UserBootstrap.compare(new double[][] {{1, 0}},
                new double[][] {{1, 0, 1}}, 100, 7, true));
    }
}
