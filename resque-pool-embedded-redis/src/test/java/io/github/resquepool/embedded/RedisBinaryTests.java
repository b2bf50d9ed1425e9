package io.github.resquepool.embedded;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisBinaryTests {

	@Test
	void binaryIsExtractedOnceAsAnExecutableFile() {
		Path binary = RedisBinary.path();
		assertThat(binary.getFileName().toString()).startsWith("redis-server-7.0.15-");
		assertThat(Files.isExecutable(binary)).isTrue();
		assertThat(RedisBinary.path()).isEqualTo(binary);
	}

	@Test
	void platformsMapToTheShippedBinaries() {
		assertThat(RedisBinary.platform("Linux", "amd64")).isEqualTo("linux-amd64");
		assertThat(RedisBinary.platform("Linux", "x86_64")).isEqualTo("linux-amd64");
		assertThat(RedisBinary.platform("Linux", "aarch64")).isEqualTo("linux-arm64");
		assertThat(RedisBinary.platform("Linux", "i686")).isEqualTo("linux-386");
		assertThat(RedisBinary.platform("Mac OS X", "aarch64")).isEqualTo("darwin-arm64");
		assertThat(RedisBinary.platform("Mac OS X", "x86_64")).isEqualTo("darwin-amd64");
		assertThat(RedisBinary.platform("Mac OS X", "x86")).isNull();
		assertThat(RedisBinary.platform("Linux", "s390x")).isNull();
		assertThat(RedisBinary.platform("Windows 11", "amd64")).isNull();
	}

	@Test
	void unsupportedPlatformFailsNamingThePlatform() {
		assertThatThrownBy(() -> RedisBinary.extractFor("Windows 11", "amd64"))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("os.name=Windows 11")
			.hasMessageContaining("os.arch=amd64");
	}

}
