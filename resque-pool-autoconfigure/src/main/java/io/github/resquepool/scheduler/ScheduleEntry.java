package io.github.resquepool.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.resquepool.resque.JobPayload;
import io.github.resquepool.resque.RubyJson;
import io.github.resquepool.scheduler.cron.FugitCron;

/**
 * One recurring schedule, as a resque-scheduler schedule entry: a {@code cron} line
 * (which wins) or an {@code every} interval, the job's class, queue and arguments, and a
 * description.
 *
 * @param name the entry's name
 * @param cronText the cron line, or {@code null}
 * @param cron the parsed cron line, or {@code null}
 * @param every the parsed interval, or {@code null} when {@code cron} is set
 * @param everyJson the {@code every} value as JSON, or {@code null}
 * @param className the Resque class name
 * @param queue the queue
 * @param argsJson the arguments, a JSON array as Ruby writes it
 * @param description the description, or {@code null}
 */
public record ScheduleEntry(String name, String cronText, FugitCron cron, EveryInterval every, String everyJson,
		String className, String queue, String argsJson, String description) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Validates and creates an entry with fugit's and rufus' rules, so that publishing it
	 * never stops a Ruby scheduler.
	 * @param name the name
	 * @param cron a cron line, or {@code null}
	 * @param every an interval ({@code "30s"}, {@code 90}, {@code ["30s", {"first_in":
	 * "5s"}]}) as JSON, or {@code null}
	 * @param className the Resque class name
	 * @param queue the queue
	 * @param args the arguments: an array, or a single value (as Ruby, which wraps it),
	 * or null
	 * @param description the description, or {@code null}
	 * @return the entry
	 * @throws InvalidScheduleException when the entry cannot run
	 */
	public static ScheduleEntry of(String name, String cron, JsonNode every, String className, String queue,
			JsonNode args, String description) {
		if (name == null || name.isBlank()) {
			throw new InvalidScheduleException(String.valueOf(name), "a schedule needs a name");
		}
		if (className == null || className.isBlank()) {
			throw new InvalidScheduleException(name, "\"class\" is required");
		}
		if (queue == null || queue.isBlank()) {
			throw new InvalidScheduleException(name,
					"\"queue\" is required (without it resque-web's Schedule tab fails for classes Ruby lacks)");
		}
		FugitCron parsedCron = null;
		EveryInterval parsedEvery = null;
		String everyJson = null;
		if (cron != null && !cron.isBlank()) {
			try {
				parsedCron = FugitCron.parse(cron);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidScheduleException(name, "cron '" + cron + "': " + ex.getMessage());
			}
		}
		else if (every != null && !every.isNull()) {
			try {
				parsedEvery = EveryInterval.parse(JSON.treeToValue(every, Object.class));
				everyJson = RubyJson.write(every);
			}
			catch (IllegalArgumentException | JacksonException ex) {
				throw new InvalidScheduleException(name, "every " + every + ": " + ex.getMessage());
			}
		}
		else {
			throw new InvalidScheduleException(name, "either \"cron\" or \"every\" is required");
		}
		String argsJson;
		try {
			argsJson = RubyJson.write(RubyJson.asArray(args));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidScheduleException(name, "args: " + ex.getMessage());
		}
		return new ScheduleEntry(name, (parsedCron != null) ? cron : null, parsedCron, parsedEvery, everyJson,
				className, queue, argsJson, description);
	}

	/**
	 * Reads an entry persisted in {@code persistent_schedules} (by Ruby or by a pool).
	 * @param name the name
	 * @param json the encoded config
	 * @return the entry
	 * @throws InvalidScheduleException when it cannot run
	 */
	public static ScheduleEntry fromJson(String name, String json) {
		JsonNode node;
		try {
			node = JSON.readTree(json);
		}
		catch (JacksonException ex) {
			throw new InvalidScheduleException(name, "the persisted config is not JSON");
		}
		if (node == null || !node.isObject()) {
			throw new InvalidScheduleException(name, "the persisted config is not a JSON object");
		}
		JsonNode cron = node.get("cron");
		JsonNode className = node.get("class");
		JsonNode queue = node.get("queue");
		JsonNode description = node.get("description");
		return of(name, (cron != null && cron.isString()) ? cron.asString() : null, node.get("every"),
				(className != null && className.isString()) ? className.asString() : null,
				(queue != null && queue.isString()) ? queue.asString() : null, node.get("args"),
				(description != null && description.isString()) ? description.asString() : null);
	}

	/**
	 * Renders the config as {@code Resque.set_schedule} persists it (without
	 * {@code persist}).
	 * @return {@code {"cron":..,"class":..,"queue":..,"args":[..],"description":..}}
	 */
	public String toJson() {
		StringBuilder json = new StringBuilder("{");
		if (this.cron != null) {
			json.append("\"cron\":").append(RubyJson.quote(this.cronText));
		}
		else {
			json.append("\"every\":").append(publishedEvery());
		}
		json.append(",\"class\":").append(RubyJson.quote(this.className));
		json.append(",\"queue\":").append(RubyJson.quote(this.queue));
		json.append(",\"args\":").append(this.argsJson);
		if (this.description != null) {
			json.append(",\"description\":").append(RubyJson.quote(this.description));
		}
		return json.append('}').toString();
	}

	/**
	 * The {@code every} value as published: without a {@code first_at} point in time
	 * (only the interval), because rufus refuses one in the past with an error that
	 * resque-scheduler does not rescue, so a Ruby scheduler that loaded it after that
	 * time would die. A {@code first_in} stays.
	 */
	private String publishedEvery() {
		if (this.every.firstAt().isEmpty()) {
			return this.everyJson;
		}
		JsonNode node = JSON.readTree(this.everyJson);
		return node.isArray() ? RubyJson.write(node.get(0)) : this.everyJson;
	}

	/**
	 * @return the job payload a firing enqueues
	 */
	public String payload() {
		return JobPayload.render(this.className, this.argsJson);
	}

	/**
	 * @param loaded when the schedule was loaded (an {@code every} counts from then)
	 * @return when it first fires
	 */
	Instant first(Instant loaded) {
		if (this.cron != null) {
			return this.cron.next(loaded);
		}
		return this.every.first(loaded, ZoneId.systemDefault());
	}

	/**
	 * @param fired the time of the firing that just happened, as planned
	 * @param now the current time
	 * @return the next firing after it, never one already past (missed firings are not
	 * caught up)
	 */
	Instant next(Instant fired, Instant now) {
		if (this.cron != null) {
			return this.cron.next(fired.isAfter(now) ? fired : now);
		}
		Duration interval = this.every.interval();
		Instant next = fired.plus(interval);
		if (!next.isAfter(now)) {
			long behind = Duration.between(next, now).toMillis() / Math.max(1, interval.toMillis()) + 1;
			next = next.plus(interval.multipliedBy(behind));
		}
		return next;
	}

}
