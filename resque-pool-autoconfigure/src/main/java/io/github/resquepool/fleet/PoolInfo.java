package io.github.resquepool.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A pool's self-description, which every beat writes into {@code resquepool:pool:<id>} as
 * {@code info} and the fleet reads back: who it is, its state, its groups, and which
 * fleet command it applied last with those that failed there. One record, written and
 * read by Jackson on both sides, so pools of different versions read each other: fields a
 * reader does not know are skipped, and fields a writer left out take their defaults.
 *
 * @param host the pool's host
 * @param pid the pool's process id
 * @param started when it started, in Ruby's {@code Time#to_s} form
 * @param workers how many of its workers' threads run
 * @param maxWorkers its {@code max-workers}, 0 when an older pool did not say
 * @param state {@code running}, {@code pausing}, {@code paused}, {@code stopping} or
 * {@code stopped}; {@code unknown} when not said
 * @param groups its groups
 * @param fleet the fleet commands it applied
 * @param jobs its running jobs that saved a checkpoint, reported progress or were
 * cancelled (at most {@value #MAX_JOBS})
 */
public record PoolInfo(String host, long pid, String started, int workers, int maxWorkers, String state,
		List<Group> groups, Fleet fleet, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<LongJob> jobs) {

	/** The most running jobs a pool describes in its beat. */
	public static final int MAX_JOBS = 100;

	/** The longest cursor or message a pool's beat carries, in characters. */
	public static final int MAX_TEXT = 1024;

	private static final JsonMapper JSON = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.build();

	private static final PoolInfo EMPTY = new PoolInfo(null, 0, null, 0, 0, null, null, null, null);

	/**
	 * Fills in what a writer left out.
	 * @param host the pool's host
	 * @param pid the pool's process id
	 * @param started when it started
	 * @param workers how many workers run
	 * @param maxWorkers its {@code max-workers}
	 * @param state its state
	 * @param groups its groups
	 * @param fleet the fleet commands it applied
	 * @param jobs its long jobs
	 */
	public PoolInfo {
		host = (host != null) ? host : "";
		started = (started != null) ? started : "";
		maxWorkers = Math.max(0, maxWorkers);
		state = (state != null) ? state : "unknown";
		groups = (groups != null) ? List.copyOf(groups) : List.of();
		fleet = (fleet != null) ? fleet : new Fleet(0, null, null);
		jobs = (jobs != null) ? List.copyOf(jobs.subList(0, Math.min(jobs.size(), MAX_JOBS))) : List.of();
	}

	/**
	 * Creates a description without long jobs.
	 * @param host the pool's host
	 * @param pid the pool's process id
	 * @param started when it started
	 * @param workers how many workers run
	 * @param maxWorkers its {@code max-workers}
	 * @param state its state
	 * @param groups its groups
	 * @param fleet the fleet commands it applied
	 */
	public PoolInfo(String host, long pid, String started, int workers, int maxWorkers, String state,
			List<Group> groups, Fleet fleet) {
		this(host, pid, started, workers, maxWorkers, state, groups, fleet, null);
	}

	/**
	 * @return this description as JSON
	 */
	public String toJson() {
		return JSON.writeValueAsString(this);
	}

	/**
	 * Reads a description; one that cannot be read (empty, not JSON, a field of the wrong
	 * type) reads as a pool that says nothing about itself.
	 * @param json the {@code info} field
	 * @return the description
	 */
	public static PoolInfo parse(String json) {
		if (json == null || json.isBlank()) {
			return EMPTY;
		}
		try {
			PoolInfo info = JSON.readValue(json, PoolInfo.class);
			return (info != null) ? info : EMPTY;
		}
		catch (RuntimeException ex) {
			return EMPTY;
		}
	}

	/**
	 * The beat interval of pools with a recovery timeout: a sixth of it, 1 to 5 s. Pools
	 * beat at it; the fleet takes a pool that missed three for offline.
	 * @param recoveryTimeout the time without a beat after which a pool is dead
	 * @return the beat interval
	 */
	public static Duration beatInterval(Duration recoveryTimeout) {
		return Duration.ofMillis(Math.max(1000, Math.min(5000, recoveryTimeout.toMillis() / 6)));
	}

	/**
	 * A running job that saved a checkpoint, reported progress or was cancelled.
	 *
	 * @param worker the worker running it
	 * @param className its class
	 * @param queue its queue
	 * @param cursor its last cursor, as JSON (cut at {@value #MAX_TEXT} characters), or
	 * {@code null}
	 * @param cursorSavedAt when the cursor was saved, or {@code null}
	 * @param done the units done it reported last, or {@code null}
	 * @param total the units in all it reported last, or {@code null}
	 * @param message the message it reported last, or {@code null}
	 * @param cancelledBy who cancelled it, or {@code null}
	 */
	public record LongJob(String worker, String className, String queue, String cursor, Instant cursorSavedAt,
			Long done, Long total, String message, String cancelledBy) {

		/**
		 * Cuts long texts.
		 * @param worker the worker running it
		 * @param className its class
		 * @param queue its queue
		 * @param cursor its last cursor
		 * @param cursorSavedAt when the cursor was saved
		 * @param done the units done
		 * @param total the units in all
		 * @param message the message
		 * @param cancelledBy who cancelled it
		 */
		public LongJob {
			cursor = cut(cursor);
			message = cut(message);
		}

		private static String cut(String text) {
			return (text != null && text.length() > MAX_TEXT) ? text.substring(0, MAX_TEXT) + "…" : text;
		}

	}

	/**
	 * One group of a pool.
	 *
	 * @param name its name
	 * @param queues its queue list
	 * @param count its desired number of workers
	 * @param live its workers that stay (not leaving, not stuck)
	 * @param busy its workers running a job
	 * @param state its state, as the pool's
	 */
	public record Group(String name, String queues, int count, int live, int busy, String state) {

		/**
		 * Fills in what a writer left out.
		 * @param name its name
		 * @param queues its queue list
		 * @param count its desired number of workers
		 * @param live its workers that stay
		 * @param busy its workers running a job
		 * @param state its state
		 */
		public Group {
			name = (name != null) ? name : "";
			queues = (queues != null) ? queues : "";
			state = (state != null) ? state : "";
		}

	}

	/**
	 * The fleet commands a pool applied.
	 *
	 * @param seq the highest sequence number applied
	 * @param version the fleet's version applied last, -1 before the first
	 * @param failures why commands failed there, by sequence number
	 */
	public record Fleet(long seq, Long version, Map<String, String> failures) {

		/**
		 * Fills in what a writer left out.
		 * @param seq the highest sequence number applied
		 * @param version the fleet's version applied last
		 * @param failures why commands failed there
		 */
		public Fleet {
			version = (version != null) ? version : -1L;
			failures = (failures != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(failures)) : Map.of();
		}

		/**
		 * @return why commands failed there, by sequence number; keys that are no number
		 * are skipped
		 */
		public Map<Long, String> failuresBySeq() {
			Map<Long, String> bySeq = new LinkedHashMap<>();
			this.failures.forEach((key, reason) -> {
				try {
					bySeq.put(Long.parseLong(key), (reason != null) ? reason : "");
				}
				catch (NumberFormatException ex) {
					// not ours
				}
			});
			return bySeq;
		}

	}

}
