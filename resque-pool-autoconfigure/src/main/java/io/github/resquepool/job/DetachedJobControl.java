package io.github.resquepool.job;

import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The control of a job run outside a worker: its cursor lives in memory, as JSON, so that
 * what a handler reads back is what a worker would give it.
 */
final class DetachedJobControl implements JobControl {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private volatile JsonNode cursor;

	@Override
	public <T> Optional<T> cursor(Class<T> type) {
		JsonNode saved = this.cursor;
		return (saved != null) ? Optional.ofNullable(MAPPER.treeToValue(saved, type)) : Optional.empty();
	}

	@Override
	public void checkpoint(Object cursor) {
		this.cursor = MAPPER.valueToTree(cursor);
	}

	@Override
	public boolean isCancelled() {
		return false;
	}

	@Override
	public void progress(long done, long total, String message) {
	}

}
