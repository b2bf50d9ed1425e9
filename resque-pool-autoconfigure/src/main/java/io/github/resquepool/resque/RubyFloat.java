package io.github.resquepool.resque;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Ruby's {@code Float#to_s}, which Ruby's JSON generator uses for every float: the
 * shortest digits that read back to the same double, in plain form ({@code 0.0001},
 * {@code 100.0}, {@code 123456789012345.0}) while the decimal exponent is from -4 to 14,
 * else in exponent form with a signed exponent of at least two digits ({@code 1.0e-05},
 * {@code 1.0e+15}). The upper bound is the one real Ruby 3.1 showed (its JSON wrote
 * {@code 1.0e15} as {@code 1.0e+15}; see
 * {@code interop/captured/resque/enqueue/floats.json}).
 */
public final class RubyFloat {

	/** The most integer digits Ruby writes without an exponent ({@code DBL_DIG}). */
	private static final int MAX_PLAIN_INTEGER_DIGITS = 15;

	private RubyFloat() {
	}

	/**
	 * Renders a double as Ruby's {@code Float#to_s} does.
	 * @param value a finite double
	 * @return for example {@code 1.5}, {@code -0.0}, {@code 10000000.0} or
	 * {@code 1.0e-05}
	 * @throws IllegalArgumentException for NaN and the infinities, which Ruby's JSON
	 * generator refuses ({@code GeneratorError})
	 */
	public static String rubyFloat(double value) {
		if (!Double.isFinite(value)) {
			throw new IllegalArgumentException(
					value + " not allowed in JSON: Ruby's JSON generator refuses NaN and Infinity");
		}
		if (value == 0) {
			return (Double.doubleToRawLongBits(value) < 0) ? "-0.0" : "0.0";
		}
		// Since JDK 19 Double.toString yields the shortest digits that round-trip, as
		// dtoa mode 0
		BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
		if (shortest.precision() == 2) {
			// Java writes two digits where one would do (4.9E-324); dtoa, and so Ruby,
			// writes one
			BigDecimal one = shortest.round(new MathContext(1, RoundingMode.HALF_EVEN));
			shortest = (one.doubleValue() == Math.abs(value)) ? one.stripTrailingZeros() : shortest;
		}
		String digits = shortest.unscaledValue().toString();
		// value = 0.<digits> x 10^decimalPoint
		int decimalPoint = digits.length() - shortest.scale();
		StringBuilder out = new StringBuilder((value < 0) ? "-" : "");
		if (decimalPoint > 0 && decimalPoint <= MAX_PLAIN_INTEGER_DIGITS) {
			if (decimalPoint >= digits.length()) {
				out.append(digits).append("0".repeat(decimalPoint - digits.length())).append(".0");
			}
			else {
				out.append(digits, 0, decimalPoint).append('.').append(digits, decimalPoint, digits.length());
			}
		}
		else if (decimalPoint <= 0 && decimalPoint > -4) {
			out.append("0.").append("0".repeat(-decimalPoint)).append(digits);
		}
		else {
			out.append(digits.charAt(0)).append('.');
			out.append((digits.length() > 1) ? digits.substring(1) : "0");
			int exponent = decimalPoint - 1;
			out.append('e').append((exponent < 0) ? '-' : '+');
			out.append((Math.abs(exponent) < 10) ? "0" : "").append(Math.abs(exponent));
		}
		return out.toString();
	}

}
