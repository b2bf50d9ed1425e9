package io.github.resquepool.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The raw results of a run ({@code results.json} in the work directory), from which
 * {@code --report-only} writes the report again without measuring.
 */
final class ResultsFile {

	/** The file's name in the work directory. */
	static final String NAME = "results.json";

	/**
	 * What a run saves.
	 *
	 * @param options the options of the run
	 * @param results its results
	 */
	record Saved(Options options, Results results) {
	}

	private ResultsFile() {
	}

	private static JsonMapper mapper() {
		return JsonMapper.builder()
			.changeDefaultVisibility((v) -> v.withVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY))
			.enable(SerializationFeature.INDENT_OUTPUT)
			.build();
	}

	static void write(Path file, Options options, Results results) throws IOException {
		Files.writeString(file, mapper().writeValueAsString(new Saved(options, results)));
	}

	static Saved read(Path file) throws IOException {
		return mapper().readValue(Files.readString(file), Saved.class);
	}

}
