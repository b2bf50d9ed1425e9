package io.github.resquepool.resque;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A worker's queue list in Resque's syntax ({@code lib/resque/worker.rb}
 * {@code queues=}): comma-separated entries in priority order, {@code !} entries exclude,
 * globs match names in the {@code queues} set. A list is dynamic when it has an exclusion
 * or a glob; a dynamic list is expanded against the {@code queues} set (the fetch keeps a
 * copy of it, read again when its size changes), a static one is used as written.
 */
public final class QueueSpec {

	private final List<String> inclusions;

	private final List<QueuePattern> inclusionPatterns;

	private final List<QueuePattern> exclusions;

	private final boolean dynamic;

	private final List<String> scriptArguments;

	private QueueSpec(List<String> inclusions, List<String> exclusions) {
		this.inclusions = List.copyOf(inclusions);
		this.inclusionPatterns = inclusions.stream().map(QueuePattern::compile).toList();
		this.exclusions = exclusions.stream().map(QueuePattern::compile).toList();
		this.dynamic = !exclusions.isEmpty() || inclusions.stream().anyMatch(QueuePattern::isGlob);
		this.scriptArguments = List.copyOf(renderScriptArguments());
	}

	/**
	 * Parses a queue list.
	 * @param entries the entries as configured, each may itself hold commas
	 * @return the list
	 * @throws IllegalArgumentException with a message fit for an operator when the list
	 * is invalid: no inclusion entry, an empty entry, or a name with a character that
	 * breaks Resque worker ids or resque-web links ({@code :}, white space, {@code /},
	 * {@code #}, {@code %}, {@code ,})
	 */
	public static QueueSpec parse(Collection<String> entries) {
		List<String> inclusions = new ArrayList<>();
		List<String> exclusions = new ArrayList<>();
		if (entries == null || entries.isEmpty()) {
			throw new IllegalArgumentException("the queue list is empty; name at least one queue or \"*\"");
		}
		for (String raw : entries) {
			for (String part : (raw != null) ? raw.split(",", -1) : new String[] { "" }) {
				String entry = part.strip();
				boolean exclusion = entry.startsWith("!");
				String name = exclusion ? entry.substring(1).strip() : entry;
				checkName(name, String.join(",", entries));
				(exclusion ? exclusions : inclusions).add(name);
			}
		}
		if (inclusions.isEmpty()) {
			throw new IllegalArgumentException("the queue list " + String.join(",", entries)
					+ " has only exclusions; add at least one queue or \"*\"");
		}
		return new QueueSpec(inclusions, exclusions);
	}

	/**
	 * Parses a comma-separated queue list.
	 * @param list the list, for example {@code high,normal} or {@code *,!low}
	 * @return the parsed list
	 */
	public static QueueSpec parse(String list) {
		return parse(List.of(list));
	}

	private static void checkName(String name, String list) {
		if (name.isEmpty()) {
			throw new IllegalArgumentException("the queue list \"" + list + "\" has an empty entry");
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c == ':' || Character.isWhitespace(c) || c == '/' || c == '#' || c == '%'
					|| Character.isISOControl(c)) {
				throw new IllegalArgumentException("the queue name \"" + name + "\" holds '" + c
						+ "', which breaks Resque worker ids and resque-web links; use letters, digits, '.', '_' and '-'");
			}
		}
	}

	/**
	 * @return the inclusion entries in priority order, unexpanded
	 */
	public List<String> inclusions() {
		return this.inclusions;
	}

	/**
	 * @return whether the list is expanded against the {@code queues} set
	 */
	public boolean isDynamic() {
		return this.dynamic;
	}

	/**
	 * Returns the queue part of a worker id: the inclusion entries joined with commas,
	 * exclusions left out, as Ruby's {@code Worker#to_s} writes it.
	 * @return for example {@code high,normal} or {@code *}
	 */
	public String idPart() {
		return String.join(",", this.inclusions);
	}

	/**
	 * Expands the list as Ruby does: for each inclusion entry in order the names of the
	 * {@code queues} set that match it and no exclusion, sorted, then repeats dropped
	 * (the first place wins). A static list is returned as written.
	 * @param known the members of the {@code queues} set
	 * @return the queues to look at, in priority order
	 */
	public List<String> expand(Collection<String> known) {
		if (!this.dynamic) {
			return this.inclusions;
		}
		Set<String> result = new LinkedHashSet<>();
		for (QueuePattern inclusion : this.inclusionPatterns) {
			List<String> matches = new ArrayList<>();
			for (String name : known) {
				if (inclusion.matches(name) && this.exclusions.stream().noneMatch((ex) -> ex.matches(name))) {
					matches.add(name);
				}
			}
			Collections.sort(matches);
			result.addAll(matches);
		}
		return List.copyOf(result);
	}

	/**
	 * Tells whether a queue may be in this list's expansion.
	 * @param queue a queue name
	 * @return whether the queue matches an inclusion entry and no exclusion
	 */
	public boolean mayWatch(String queue) {
		return this.inclusionPatterns.stream().anyMatch((p) -> p.matches(queue))
				&& this.exclusions.stream().noneMatch((p) -> p.matches(queue));
	}

	/**
	 * Renders the list as the fetch script took it before lists were expanded in Java:
	 * {@code S} and the names for a static list; {@code D}, the number of inclusions,
	 * then the inclusion and exclusion patterns (as Lua patterns) for a dynamic one. The
	 * fetch no longer uses it.
	 * @return the arguments
	 */
	public List<String> scriptArguments() {
		return this.scriptArguments;
	}

	private List<String> renderScriptArguments() {
		List<String> args = new ArrayList<>();
		if (!this.dynamic) {
			args.add("S");
			args.add(String.valueOf(this.inclusions.size()));
			args.addAll(this.inclusions);
			return args;
		}
		args.add("D");
		args.add(String.valueOf(this.inclusionPatterns.size()));
		this.inclusionPatterns.forEach((p) -> args.add(p.scriptArgument()));
		this.exclusions.forEach((p) -> args.add(p.scriptArgument()));
		return args;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof QueueSpec spec && spec.toString().equals(toString());
	}

	@Override
	public int hashCode() {
		return toString().hashCode();
	}

	@Override
	public String toString() {
		List<String> all = new ArrayList<>(this.inclusions);
		this.exclusions.forEach((p) -> all.add("!" + p.glob()));
		return String.join(",", all);
	}

}
