package io.github.resquepool.autoconfigure;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import io.github.resquepool.scheduler.InvalidScheduleException;
import io.github.resquepool.scheduler.RecurringSchedules;
import io.github.resquepool.scheduler.ScheduleEntry;

/**
 * Turns {@code resque.scheduler.schedules.*} into the scheduler's recurring schedules,
 * validated with fugit's and rufus' rules. {@code args} is a JSON array in one string, or
 * a YAML list.
 */
final class ScheduleDefinitions {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ScheduleDefinitions() {
	}

	static RecurringSchedules create(ResqueSchedulerProperties properties, Environment environment) {
		Binder binder = Binder.get(environment);
		List<ScheduleEntry> entries = new ArrayList<>();
		Set<String> unpublished = new HashSet<>();
		for (Map.Entry<String, ResqueSchedulerProperties.Schedule> configured : properties.getSchedules().entrySet()) {
			String name = configured.getKey();
			ResqueSchedulerProperties.Schedule schedule = configured.getValue();
			JsonNode every = (schedule.getEvery() != null) ? every(name, schedule.getEvery()) : null;
			entries.add(ScheduleEntry.of(name, schedule.getCron(), every, schedule.getClassName(), schedule.getQueue(),
					args(binder, name), schedule.getDescription()));
			if (!schedule.isPublish()) {
				unpublished.add(name);
			}
		}
		return new RecurringSchedules(entries, unpublished, properties.isDynamic());
	}

	private static JsonNode every(String name, String every) {
		String text = every.strip();
		if (text.startsWith("[")) {
			return parse(name, "every", text);
		}
		return JsonNodeFactory.instance.stringNode(text);
	}

	private static JsonNode args(Binder binder, String name) {
		String prefix = "resque.scheduler.schedules." + name + ".args";
		Optional<String> text = Optional
			.ofNullable(binder.bind(prefix, Bindable.of(String.class)).map(String::strip).orElse(null));
		if (text.isPresent()) {
			return text.get().startsWith("[") ? parse(name, "args", text.get())
					: JsonNodeFactory.instance.arrayNode().add(text.get());
		}
		List<Object> list = binder.bind(prefix, Bindable.listOf(Object.class)).orElse(null);
		return (list != null) ? JSON.valueToTree(list) : null;
	}

	private static JsonNode parse(String name, String key, String text) {
		try {
			return JSON.readTree(text);
		}
		catch (JacksonException ex) {
			throw new InvalidScheduleException(name, key + " '" + text + "' is not valid JSON");
		}
	}

}
