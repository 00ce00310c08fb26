package dev.routeledger.analytics;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * A month-end forecast from daily costs (SPEC §5): a least-squares line through the complete days so far
 * (Commons Math), extended over the days left, with a 95 % prediction interval for their sum. The interval
 * holds both the uncertainty of the line (intercept, slope and their covariance) and each day's own scatter.
 *
 * @param completeDays   days of the month with a full day of data
 * @param toDateUsd      spend over those complete days
 * @param remainingUsd   predicted spend of the days left
 * @param forecastUsd    toDate + remaining
 */
public record MonthForecast(int completeDays, int daysInMonth, double toDateUsd, double remainingUsd, double forecastUsd,
                            double lowUsd, double highUsd, double slopeUsdPerDay) {
    /** Fewer complete days than this and there is no line worth drawing. */
    public static final int MIN_DAYS = 3;

    /** @param daily cost of day 1..n of the month (complete days only) */
    public static MonthForecast fit(double[] daily, int daysInMonth) {
        int n = daily.length;
        if (n < MIN_DAYS || n >= daysInMonth) return null;
        SimpleRegression reg = new SimpleRegression(true);
        double toDate = 0;
        for (int d = 1; d <= n; d++) {
            reg.addData(d, daily[d - 1]);
            toDate += daily[d - 1];
        }
        double a = reg.getIntercept(), b = reg.getSlope();
        int k = daysInMonth - n;
        double sumX = 0;
        for (int d = n + 1; d <= daysInMonth; d++) sumX += d;
        double remaining = k * a + b * sumX;
        double mse = n > 2 ? reg.getMeanSquareError() : 0;
        double meanX = (n + 1) / 2.0;
        double sxx = reg.getXSumSquares();
        // Var(k·a + b·Σx) + k·σ² for k new days
        double varA = mse * (1.0 / n + meanX * meanX / sxx);
        double varB = mse / sxx;
        double covAB = -meanX * mse / sxx;
        double var = k * k * varA + sumX * sumX * varB + 2 * k * sumX * covAB + k * mse;
        double t = new TDistribution(n - 2).inverseCumulativeProbability(0.975);
        double half = t * Math.sqrt(Math.max(0, var));
        double forecast = toDate + remaining;
        return new MonthForecast(n, daysInMonth, toDate, remaining, forecast, Math.max(toDate, forecast - half), forecast + half, b);
    }
}
