package io.github.resquepool.sample.security;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * When {@link OpsPasswordEnvironmentPostProcessor} lets the application start.
 */
class OpsPasswordEnvironmentPostProcessorTests {

	private final OpsPasswordEnvironmentPostProcessor processor = new OpsPasswordEnvironmentPostProcessor();

	@Test
	void refusesAnEnvironmentWithoutAPassword() {
		assertThatExceptionOfType(MissingOpsPasswordException.class)
			.isThrownBy(() -> this.processor.postProcessEnvironment(new MockEnvironment(), null));
	}

	@Test
	void refusesAnUnsetOpsPasswordAsApplicationYmlReadsIt() {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.security.user.password",
				"${OPS_PASSWORD:}");
		assertThatExceptionOfType(MissingOpsPasswordException.class)
			.isThrownBy(() -> this.processor.postProcessEnvironment(environment, null));
		environment.setProperty("OPS_PASSWORD", "s3cret");
		assertThatNoException().isThrownBy(() -> this.processor.postProcessEnvironment(environment, null));
	}

	@Test
	void refusesABlankPassword() {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.security.user.password", " \t");
		assertThatExceptionOfType(MissingOpsPasswordException.class)
			.isThrownBy(() -> this.processor.postProcessEnvironment(environment, null));
	}

	@Test
	void acceptsAPasswordSetDirectly() {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.security.user.password", "s3cret");
		assertThatNoException().isThrownBy(() -> this.processor.postProcessEnvironment(environment, null));
	}

}
