package io.github.resquepool.job;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

/**
 * The {@link ResqueUnique unique} job classes of this process, filled by
 * {@link ResqueUniqueMethodProcessor}, and the keys of their jobs, made the same way
 * where a job is enqueued and where it runs: from the arguments bound to the handler's
 * parameters.
 */
public final class UniqueJobs {

	private final JobRegistry registry;

	private final Supplier<JsonMapper> mapper;

	private final Object monitor = new Object();

	private volatile Map<String, UniqueJob> jobs = Collections.emptyMap();

	/**
	 * Creates an empty registry.
	 * @param registry the handlers, which bind the arguments of an enqueue
	 * @param mapper the application's mapper
	 */
	public UniqueJobs(JobRegistry registry, Supplier<JsonMapper> mapper) {
		Assert.notNull(registry, "'registry' must not be null");
		Assert.notNull(mapper, "'mapper' must not be null");
		this.registry = registry;
		this.mapper = SingletonSupplier.of(mapper);
	}

	/**
	 * Registers a unique class.
	 * @param job its settings
	 */
	public void register(UniqueJob job) {
		synchronized (this.monitor) {
			Map<String, UniqueJob> updated = new LinkedHashMap<>(this.jobs);
			updated.put(job.className(), job);
			this.jobs = Collections.unmodifiableMap(updated);
		}
	}

	/**
	 * @param className a Resque class name, may be {@code null}
	 * @return its unique settings, or empty when it is not unique here
	 */
	public Optional<UniqueJob> find(String className) {
		return (className != null) ? Optional.ofNullable(this.jobs.get(className)) : Optional.empty();
	}

	/**
	 * @return whether no class is unique
	 */
	public boolean isEmpty() {
		return this.jobs.isEmpty();
	}

	/**
	 * Makes the key of a running job.
	 * @param job the class's settings
	 * @param args the bound arguments
	 * @return the key text
	 */
	public String keyOf(UniqueJob job, Object[] args) {
		return job.keyOf(args, this.mapper.get());
	}

	/**
	 * Makes the key of a job about to be enqueued, binding its arguments as the worker
	 * will.
	 * @param job the class's settings
	 * @param queue the queue
	 * @param argsJson the arguments as the payload holds them
	 * @return the key text
	 * @throws IllegalArgumentException when the arguments do not fit the handler, or the
	 * key cannot be evaluated
	 */
	public String keyOf(UniqueJob job, String queue, String argsJson) {
		JobHandler handler = this.registry.find(job.className())
			.orElseThrow(() -> new IllegalArgumentException("no handler of " + job.className()));
		JsonMapper mapper = this.mapper.get();
		ArrayNode args = (ArrayNode) mapper.readTree(argsJson);
		String payload = "{\"class\":\"\",\"args\":" + argsJson + "}";
		Object[] bound;
		try {
			bound = handler.bindArguments(args, JobContext.of(job.className(), queue, null, payload, args));
		}
		catch (JobArgumentException ex) {
			throw new IllegalArgumentException(ex.getMessage(), ex);
		}
		return job.keyOf(bound, mapper);
	}

}
