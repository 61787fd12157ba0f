package dev.sift.model;

/**
 * Model outputs for a list of samples, in the order asked for.
 *
 * @param probs class probabilities [n][K] (classification) or the scaled prediction [n][1] (regression)
 * @param hidden last hidden activations [n][H], the input of the output layer
 */
public record Predictions(float[][] probs, float[][] hidden, boolean regression) {
    public int size() {
        return probs.length;
    }

    /** Ranking score: expected grade (classification) or the prediction (regression), both in class units. */
    public double rankScore(int i) {
        if (regression) {
            return probs[i][0];
        }
        double e = 0;
        for (int k = 0; k < probs[i].length; k++) {
            e += k * probs[i][k];
        }
        return e;
    }

    /** Most probable class (classification). */
    public int argmax(int i) {
        int best = 0;
        for (int k = 1; k < probs[i].length; k++) {
            if (probs[i][k] > probs[i][best]) {
                best = k;
            }
        }
        return best;
    }
}
