package io.github.resquepool.resque;

import java.math.BigDecimal;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Ruby's {@code Float#to_s} as its JSON generator writes floats; expected values are what
 * {@code ruby -e 'p 1e-05'} prints.
 */
class RubyFloatTests {

	@ParameterizedTest
	@CsvSource({ "0.1, 0.1", "1.5, 1.5", "100.0, 100.0", "1.0, 1.0", "-1.5, -1.5", "0.5, 0.5", "3.14159, 3.14159",
			"2.5e-3, 0.0025", "1.0E7, 10000000.0", "123456789012345.0, 123456789012345.0",
			"1.7976931348623157E308, 1.7976931348623157e+308", "4.9E-324, 5.0e-324",
			"2.2250738585072014E-308, 2.2250738585072014e-308", "1.0E20, 1.0e+20", "1.0E100, 1.0e+100",
			"1.5E300, 1.5e+300", "-2.5E-7, -2.5e-07", "0.30000000000000004, 0.30000000000000004", "12.25, 12.25",
			"1.0E-10, 1.0e-10", "1.2345E-5, 1.2345e-05" })
	void rubyFloatRendersAsFloatToS(double value, String expected) {
		assertThat(RubyFloat.rubyFloat(value)).isEqualTo(expected);
	}

	@Test
	void rubyFloatKeepsTheSignOfNegativeZero() {
		assertThat(RubyFloat.rubyFloat(-0.0)).isEqualTo("-0.0");
		assertThat(RubyFloat.rubyFloat(0.0)).isEqualTo("0.0");
	}

	@Test
	void rubyFloatSwitchesToAnExponentBelowOneTenThousandth() {
		assertThat(RubyFloat.rubyFloat(0.0001)).isEqualTo("0.0001");
		assertThat(RubyFloat.rubyFloat(0.00012)).isEqualTo("0.00012");
		assertThat(RubyFloat.rubyFloat(0.00001)).isEqualTo("1.0e-05");
		assertThat(RubyFloat.rubyFloat(0.000099)).isEqualTo("9.9e-05");
		assertThat(RubyFloat.rubyFloat(-0.00001)).isEqualTo("-1.0e-05");
	}

	@Test
	void rubyFloatSwitchesToAnExponentFromOneQuadrillionAsRealRubyDoes() {
		assertThat(RubyFloat.rubyFloat(123456789012345.0)).isEqualTo("123456789012345.0");
		assertThat(RubyFloat.rubyFloat(999999999999999.9)).isEqualTo("999999999999999.9");
		assertThat(RubyFloat.rubyFloat(1e15)).isEqualTo("1.0e+15");
		assertThat(RubyFloat.rubyFloat(9999999999999998.0)).isEqualTo("9.999999999999998e+15");
		assertThat(RubyFloat.rubyFloat(1e16)).isEqualTo("1.0e+16");
		assertThat(RubyFloat.rubyFloat(1.5e16)).isEqualTo("1.5e+16");
		assertThat(RubyFloat.rubyFloat(123456789012345680.0)).isEqualTo("1.2345678901234568e+17");
	}

	@Test
	void rubyFloatWritesTheDoubleNearestToAnUnrepresentableInteger() {
		assertThat(RubyFloat.rubyFloat(9007199254740993.0)).isEqualTo("9.007199254740992e+15");
		assertThat(RubyFloat.rubyFloat(9007199254740995.0)).isEqualTo("9.007199254740996e+15");
	}

	@Test
	void rubyFloatWritesTheShortestDigitsThatReadBackToTheSameDouble() {
		assertThat(RubyFloat.rubyFloat(0.1 + 0.2)).isEqualTo("0.30000000000000004");
		assertThat(RubyFloat.rubyFloat(1.0 / 3)).isEqualTo("0.3333333333333333");
		assertThat(RubyFloat.rubyFloat(2.0 / 3)).isEqualTo("0.6666666666666666");
		assertThat(RubyFloat.rubyFloat(100.0 / 3)).isEqualTo("33.333333333333336");
		assertThat(RubyFloat.rubyFloat(1e23)).isEqualTo("1.0e+23");
		assertThat(RubyFloat.rubyFloat(2e-3)).isEqualTo("0.002");
	}

	@Test
	void rubyFloatRoundTripsRandomDoubles() {
		SplittableRandom random = new SplittableRandom(42);
		for (int i = 0; i < 20000; i++) {
			double value = Double.longBitsToDouble(random.nextLong());
			if (!Double.isFinite(value)) {
				continue;
			}
			String text = RubyFloat.rubyFloat(value);
			assertThat(text).matches("-?(\\d+\\.\\d+|\\d\\.\\d+e[+-]\\d{2,3})");
			assertThat(new BigDecimal(text.replace("e", "E")).doubleValue()).isEqualTo(value);
		}
	}

	@ParameterizedTest
	@ValueSource(doubles = { Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY })
	void rubyFloatRefusesWhatRubysJsonGeneratorRefuses(double value) {
		assertThatIllegalArgumentException().isThrownBy(() -> RubyFloat.rubyFloat(value))
			.withMessageContaining("not allowed in JSON");
	}

	@Test
	void rubyFloatWritesWhatRealRubyWroteIntoAResquePayload() throws java.io.IOException {
		// interop/ruby/arg_cases.rb enqueued these floats with Resque 3.0 on Ruby 3.1.2
		double[] values = { 1.0e-05, 10000000.0, 0.1, 1.5, 0.0001, 0.001, 100.0, -0.0, 12345678.9, 1.0e15, 1.0e16,
				1.0 / 3, 2.5e-300, 1.7976931348623157e308, 5.0e-324 };
		String captured = java.nio.file.Files
			.readString(java.nio.file.Path.of("..", "interop", "captured", "resque", "enqueue", "floats.json"));
		String args = captured.substring(captured.indexOf("\"args\":[") + 8, captured.lastIndexOf(']'));
		String rendered = java.util.Arrays.stream(values)
			.mapToObj(RubyFloat::rubyFloat)
			.collect(java.util.stream.Collectors.joining(","));
		assertThat(rendered).isEqualTo(args);
	}

}
