package io.github.resquepool.job;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.util.Assert;

/**
 * The allow-list of jobs: Resque class name to {@link JobHandler}. A payload whose class
 * name is not registered here does not run; no class is ever loaded by a name from a
 * payload.
 * <p>
 * Handlers are registered while the application starts and looked up by workers without
 * locking.
 */
public final class JobRegistry {

	private final Object monitor = new Object();

	private volatile Map<String, JobHandler> handlers = Collections.emptyMap();

	/**
	 * Finds the handler of a Resque class name.
	 * @param className the class name from a payload, may be {@code null}
	 * @return the handler, or empty when the name is unknown
	 */
	public Optional<JobHandler> find(String className) {
		return (className != null) ? Optional.ofNullable(this.handlers.get(className)) : Optional.empty();
	}

	/**
	 * Returns the registered handlers.
	 * @return an unmodifiable snapshot, in registration order
	 */
	public Collection<JobHandler> handlers() {
		return this.handlers.values();
	}

	/**
	 * Returns the Resque class names that have a handler.
	 * @return an unmodifiable snapshot, in registration order
	 */
	public Set<String> names() {
		return this.handlers.keySet();
	}

	/**
	 * Registers a handler.
	 * @param handler the handler
	 * @throws DuplicateResqueJobException when its name already has a handler
	 */
	public void register(JobHandler handler) {
		Assert.notNull(handler, "'handler' must not be null");
		synchronized (this.monitor) {
			JobHandler existing = this.handlers.get(handler.name());
			if (existing != null) {
				throw new DuplicateResqueJobException(handler.name(), existing.source(), handler.source());
			}
			Map<String, JobHandler> updated = new LinkedHashMap<>(this.handlers);
			updated.put(handler.name(), handler);
			this.handlers = Collections.unmodifiableMap(updated);
		}
	}

}
