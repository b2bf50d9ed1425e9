package io.github.resquepool.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BoundedTagValuesTests {

	@Test
	void keepsTheFirstValuesAndFoldsLaterNewOnesIntoOther() {
		BoundedTagValues values = new BoundedTagValues(2);
		assertThat(values.of("a")).isEqualTo("a");
		assertThat(values.of("b")).isEqualTo("b");
		assertThat(values.of("c")).isEqualTo("other");
		assertThat(values.of("a")).isEqualTo("a");
		assertThat(values.of(null)).isEqualTo("other");
	}

	@Test
	void aKnownValueKeepsItsOwnTagWhateverCameBefore() {
		BoundedTagValues values = new BoundedTagValues(2);
		assertThat(values.of("junk-1")).isEqualTo("junk-1");
		assertThat(values.of("junk-2")).isEqualTo("junk-2");
		assertThat(values.of("junk-3")).isEqualTo("other");
		assertThat(values.of("Billing", true)).isEqualTo("Billing");
		assertThat(values.of("Billing", false)).isEqualTo("Billing");
		assertThat(values.of("junk-4")).isEqualTo("other");
	}

	@Test
	void needsRoomForOneValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> new BoundedTagValues(0));
	}

}
