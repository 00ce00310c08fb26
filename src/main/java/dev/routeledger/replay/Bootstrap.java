package dev.routeledger.replay;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/**
 * 95 % bootstrap intervals over traces, with a fixed seed (SPEC §6.2). The traces are split into blocks by the
 * hash of their id — a random split that does not depend on the policy — and the blocks' sums are resampled:
 * the sum over a resample of random blocks has the variance of the sum over a resample of traces, and a few
 * thousand resamples of a hundred block sums take milliseconds, where resampling millions of traces would not.
 */
final class Bootstrap {
    static final int RESAMPLES = 2000;
    static final long SEED = 20261124L;

    /** Per block: traces, actual cost, simulated cost, actual successes, simulated successes. */
    record Blocks(double[] n, double[] actualCost, double[] simCost, double[] actualS, double[] simS) {
        Blocks(int blocks) {
            this(new double[blocks], new double[blocks], new double[blocks], new double[blocks], new double[blocks]);
        }

        /**
         * Reads one block's sums from a query row: from column {@code at}, the block, then its traces, actual cost,
         * simulated cost, actual successes and simulated successes.
         */
        void read(java.sql.ResultSet rs, int at) throws java.sql.SQLException {
            int b = rs.getInt(at);
            n[b] = rs.getDouble(at + 1);
            actualCost[b] = rs.getDouble(at + 2);
            simCost[b] = rs.getDouble(at + 3);
            actualS[b] = rs.getDouble(at + 4);
            simS[b] = rs.getDouble(at + 5);
        }

        /** The sums over all blocks. */
        Totals totals() {
            return new Totals(total(n), total(actualCost), total(simCost), total(actualS), total(simS));
        }

        private static double total(double[] v) {
            double s = 0;
            for (double x : v) s += x;
            return s;
        }
    }

    /** Traces, actual cost, simulated cost, actual successes, simulated successes, over all blocks. */
    record Totals(double n, double actualCost, double simCost, double actualS, double simS) {
    }

    /** [low, high] of savings (actual − simulated cost), savings %, and simulated success rate. */
    record Intervals(double[] savings, double[] savingsPct, double[] success, double[] actualSuccess) {}

    static Intervals run(Blocks b) {
        int m = b.n().length;
        RandomGenerator rng = new Well19937c(SEED);
        double[] sav = new double[RESAMPLES], pct = new double[RESAMPLES], suc = new double[RESAMPLES], act = new double[RESAMPLES];
        for (int r = 0; r < RESAMPLES; r++) {
            double n = 0, ac = 0, sc = 0, as = 0, ss = 0;
            for (int i = 0; i < m; i++) {
                int j = rng.nextInt(m);
                n += b.n()[j];
                ac += b.actualCost()[j];
                sc += b.simCost()[j];
                as += b.actualS()[j];
                ss += b.simS()[j];
            }
            sav[r] = ac - sc;
            pct[r] = ac > 0 ? 100 * (ac - sc) / ac : Double.NaN;
            suc[r] = n > 0 ? ss / n : Double.NaN;
            act[r] = n > 0 ? as / n : Double.NaN;
        }
        return new Intervals(ci(sav), ci(pct), ci(suc), ci(act));
    }

    /** An interval around {@code point} widened by an independent normal error of standard deviation {@code sd}. */
    static double[] widen(double[] ci, double point, double sd) {
        double z = 1.959963984540054;
        double lo = point - Math.sqrt(Math.pow(point - ci[0], 2) + Math.pow(z * sd, 2));
        double hi = point + Math.sqrt(Math.pow(ci[1] - point, 2) + Math.pow(z * sd, 2));
        return new double[] {lo, hi};
    }

    private static double[] ci(double[] v) {
        Percentile p = new Percentile();
        p.setData(v);
        return new double[] {p.evaluate(2.5), p.evaluate(97.5)};
    }
}
