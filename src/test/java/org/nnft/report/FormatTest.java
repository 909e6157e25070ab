package org.nnft.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;

import org.junit.jupiter.api.Test;

class FormatTest {

    @Test
    void numExamples() {
        assertEquals("0.5", Format.num(0.5));
        assertEquals("100", Format.num(100));
        assertEquals("1e-7", Format.num(1e-7));
        assertEquals("0.303265", Format.num(0.30326532985631671));
        assertEquals("NaN", Format.num(Double.NaN));
        assertEquals("inf", Format.num(Double.POSITIVE_INFINITY));
        assertEquals("-inf", Format.num(Double.NEGATIVE_INFINITY));
    }

    @Test
    void numEdgeCases() {
        assertEquals("0", Format.num(0.0));
        assertEquals("0", Format.num(-0.0));
        assertEquals("-0.5", Format.num(-0.5));
        assertEquals("1", Format.num(1.0));
        assertEquals("0.1", Format.num(0.1));
        assertEquals("0.3", Format.num(0.1 + 0.2));
        assertEquals("0.001", Format.num(0.001));
        assertEquals("9.99e-4", Format.num(0.000999));
        assertEquals("1.5e-7", Format.num(1.5e-7));
        assertEquals("-2.5e-12", Format.num(-2.5e-12));
        assertEquals("123457", Format.num(123456.7));
        assertEquals("999999", Format.num(999999.0));
        assertEquals("1e6", Format.num(999999.7)); // rounds up into scientific range
        assertEquals("1e6", Format.num(1e6));
        assertEquals("1.23457e6", Format.num(1234567));
        assertEquals("6.02214e23", Format.num(6.02214076e23));
        assertEquals("1.79769e308", Format.num(Double.MAX_VALUE));
        assertEquals("4.9e-324", Format.num(Double.MIN_VALUE));
        assertEquals("3.14159", Format.num(Math.PI));
        assertEquals("0.333333", Format.num(1.0 / 3));
        assertEquals("0.666667", Format.num(2.0 / 3));
        assertEquals("12.5", Format.num(12.5));
    }

    @Test
    void numWithDigits() {
        assertEquals("3.14", Format.num(Math.PI, 3));
        assertEquals("3", Format.num(Math.PI, 1));
        assertEquals("3.14159265359", Format.num(Math.PI, 12));
        assertEquals("1.0000000002", Format.num(1.0000000002, 12));
        assertThrows(IllegalArgumentException.class, () -> Format.num(1, 0));
    }

    @Test
    void numIgnoresDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("0.5", Format.num(0.5));
            assertEquals("0.3750 \u00b1 0.0037", Format.measured(0.375, 0.0037));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void measuredExamples() {
        // The brief's example (0.303265, 0.000312): 0.303265 stands for 0.30326532985631671.
        assertEquals("0.30327 \u00b1 0.00031", Format.measured(0.30326532985631671, 0.000312));
        assertEquals("0.3750 \u00b1 0.0037", Format.measured(0.375, 0.0037));
        assertEquals("1234 \u00b1 12", Format.measured(1234.5, 12.3));
        assertEquals("1.200e-5 \u00b1 3.4e-7", Format.measured(1.2e-5, 3.4e-7));
    }

    @Test
    void measuredTiesRoundToEven() {
        // exact decimal ties in the printed value go to the even digit
        assertEquals("0.30326 \u00b1 0.00031", Format.measured(0.303265, 0.000312));
        assertEquals("1236 \u00b1 12", Format.measured(1235.5, 12.3));
        assertEquals("0.12 \u00b1 0.25", Format.measured(0.125, 0.25));
    }

    @Test
    void measuredErrorZeroNegativeAndNonFinite() {
        assertEquals("0.303265 \u00b1 0", Format.measured(0.30326532985631671, 0.0));
        assertEquals("0.3750 \u00b1 0.0037", Format.measured(0.375, -0.0037));
        assertEquals("NaN \u00b1 0.1", Format.measured(Double.NaN, 0.1));
        assertEquals("0.5 \u00b1 NaN", Format.measured(0.5, Double.NaN));
        assertEquals("NaN \u00b1 NaN", Format.measured(Double.NaN, Double.NaN));
        assertEquals("inf \u00b1 1", Format.measured(Double.POSITIVE_INFINITY, 1));
        assertEquals("0.5 \u00b1 inf", Format.measured(0.5, Double.NEGATIVE_INFINITY));
    }

    @Test
    void measuredMoreCases() {
        assertEquals("-0.3750 \u00b1 0.0037", Format.measured(-0.375, 0.0037));
        assertEquals("0.10 \u00b1 0.10", Format.measured(0.1, 0.0999)); // error rounds up to 0.10
        assertEquals("12300 \u00b1 1200", Format.measured(12345, 1234));
        assertEquals("0 \u00b1 12", Format.measured(0.4, 12));
        assertEquals("0 \u00b1 12", Format.measured(-0.4, 12)); // no "-0"
        assertEquals("0.000 \u00b1 0.010", Format.measured(0.0, 0.01));
        assertEquals("1.00 \u00b1 0.10", Format.measured(0.999, 0.1));
        assertEquals("1.23456e7 \u00b1 1.2e3", Format.measured(1.23456e7, 1234));
        assertEquals("-1.200e-5 \u00b1 3.4e-7", Format.measured(-1.2e-5, 3.4e-7));
        assertEquals("1.00000e-5 \u00b1 1.2e-9", Format.measured(9.99996e-6, 1.2e-9)); // exponent after rounding
        assertEquals("0.0e-4 \u00b1 3.0e-4", Format.measured(1e-6, 3e-4)); // value rounds to zero
        assertEquals("0.00 \u00b1 0.30", Format.measured(1e-5, 0.3)); // error sets the notation
        assertEquals("0.0010 \u00b1 0.0012", Format.measured(0.001, 0.0012));
    }
}
