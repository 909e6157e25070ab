package org.nnft.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Human-readable number formatting for reports and terminal output.
 *
 * <p>Conventions shared by both methods:
 * <ul>
 *   <li>Rounding works on the decimal form of the double as Java prints it
 *       ({@link Double#toString}), i.e. on the number a person sees, with exact ties rounded to even
 *       (ISO 80000-1, "banker's rounding"). So 1234.5 rounded to units is 1234, and 0.303265 rounded to
 *       5 decimals is 0.30326 (while 0.3032653 gives 0.30327).</li>
 *   <li>Scientific notation is used when the (rounded) magnitude is below 1e-3 or at least 1e6; it is
 *       written {@code 1.5e-7} / {@code 2e6}: lower-case {@code e}, no {@code +}, no leading zeros in the
 *       exponent.</li>
 *   <li>NaN prints as {@code NaN}; infinities as {@code inf} and {@code -inf}; negative zero as {@code 0}.</li>
 *   <li>Output never depends on the default locale.</li>
 * </ul>
 */
public final class Format {

    /** Significant digits used by {@link #num(double)}. */
    public static final int DEFAULT_DIGITS = 6;

    private static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;
    private static final BigDecimal SCI_LOW = new BigDecimal("1e-3");
    private static final BigDecimal SCI_HIGH = new BigDecimal("1e6");

    private Format() {
    }

    /**
     * Formats {@code x} with at most 6 significant digits, trailing zeros removed:
     * {@code 0.5 -> "0.5"}, {@code 100 -> "100"}, {@code 0.30326532985631671 -> "0.303265"},
     * {@code 1e-7 -> "1e-7"}, {@code 1234567 -> "1.23457e6"}, {@code NaN -> "NaN"},
     * {@code Infinity -> "inf"}.
     */
    public static String num(double x) {
        return num(x, DEFAULT_DIGITS);
    }

    /** Like {@link #num(double)} with at most {@code digits} (&ge; 1) significant digits. */
    public static String num(double x, int digits) {
        if (digits < 1) {
            throw new IllegalArgumentException("digits must be >= 1, got " + digits);
        }
        String special = special(x);
        if (special != null) {
            return special;
        }
        if (x == 0.0) {
            return "0";
        }
        BigDecimal r = BigDecimal.valueOf(x).round(new MathContext(digits, ROUNDING));
        if (useScientific(r.abs())) {
            return scientific(r.stripTrailingZeros(), Integer.MIN_VALUE, 0);
        }
        return plain(r.stripTrailingZeros());
    }

    /**
     * Formats a measurement {@code value ± error}: the error is rounded to 2 significant digits and
     * the value to the same decimal place, e.g. {@code (0.30326532985631671, 0.000312) -> "0.30327 ± 0.00031"},
     * {@code (0.375, 0.0037) -> "0.3750 ± 0.0037"}, {@code (1234.5, 12.3) -> "1234 ± 12"},
     * {@code (1.2e-5, 3.4e-7) -> "1.200e-5 ± 3.4e-7"}.
     *
     * <p>Scientific notation (value and error each with its own exponent) is used when the larger of the
     * rounded |value| and the rounded error is below 1e-3 or at least 1e6. A negative error is taken by its
     * absolute value. Error 0 gives {@code num(value) + " ± 0"}. A NaN or infinite error gives
     * {@code num(value) + " ± NaN"} (or {@code " ± inf"}); a NaN or infinite value gives
     * {@code "NaN ± " + num(error)} (or {@code "inf ± ..."}).
     */
    public static String measured(double value, double error) {
        final String pm = " \u00b1 ";
        double err = Math.abs(error);
        if (!Double.isFinite(value) || !Double.isFinite(err)) {
            return num(value) + pm + num(err);
        }
        if (err == 0.0) {
            return num(value) + pm + "0";
        }
        BigDecimal e = BigDecimal.valueOf(err).round(new MathContext(2, ROUNDING));
        if (e.precision() < 2) { // always show 2 significant digits: 0.1 -> 0.10
            e = e.setScale(e.scale() + 2 - e.precision());
        }
        int scale = e.scale(); // decimal place of the error's last significant digit
        BigDecimal v = BigDecimal.valueOf(value).setScale(scale, ROUNDING);
        BigDecimal magnitude = v.abs().max(e);
        if (useScientific(magnitude)) {
            int zeroExp = exponentOf(e); // a value that rounds to 0 is shown with the error's exponent
            return scientific(v, scale, zeroExp) + pm + scientific(e, scale, zeroExp);
        }
        return plain(v) + pm + plain(e);
    }

    // ------------------------------------------------------------------------------------------

    private static String special(double x) {
        if (Double.isNaN(x)) {
            return "NaN";
        }
        if (x == Double.POSITIVE_INFINITY) {
            return "inf";
        }
        if (x == Double.NEGATIVE_INFINITY) {
            return "-inf";
        }
        return null;
    }

    private static boolean useScientific(BigDecimal magnitude) {
        return magnitude.signum() != 0
                && (magnitude.compareTo(SCI_LOW) < 0 || magnitude.compareTo(SCI_HIGH) >= 0);
    }

    /** Plain decimal string; never an exponent, never "-0". */
    private static String plain(BigDecimal d) {
        if (d.signum() == 0) {
            d = d.abs();
            if (d.scale() < 0) {
                d = d.setScale(0);
            }
        }
        return d.toPlainString();
    }

    /** Power of ten of the leading digit of a nonzero decimal. */
    private static int exponentOf(BigDecimal d) {
        return d.precision() - d.scale() - 1;
    }

    /**
     * Scientific form {@code m e k} with 1 &le; |m| &lt; 10. If {@code lastDigitScale} is
     * {@link Integer#MIN_VALUE}, all digits of {@code d} are kept; otherwise the mantissa shows digits down
     * to the decimal place {@code 10^-lastDigitScale} (the number is assumed to be already rounded there).
     * A zero is written with exponent {@code zeroExp}.
     */
    private static String scientific(BigDecimal d, int lastDigitScale, int zeroExp) {
        int exp = d.signum() == 0 ? zeroExp : exponentOf(d);
        BigDecimal mantissa = d.movePointLeft(exp);
        if (lastDigitScale != Integer.MIN_VALUE) {
            int decimals = Math.max(0, exp + lastDigitScale);
            mantissa = mantissa.setScale(decimals, ROUNDING);
        } else {
            mantissa = mantissa.stripTrailingZeros();
        }
        return plain(mantissa) + "e" + exp;
    }
}
