package io.github.resquepool.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * What a JFR recording says about where the pool's JVM spends CPU: execution samples by
 * thread group, the hottest methods (top frame), and the hottest resque-pool methods (the
 * first {@code io.github.resquepool} frame of each sample, i.e. inclusive of what they
 * call).
 *
 * @param sampler the event type read: {@code jdk.CPUTimeSample} when the JVM recorded
 * any, else {@code jdk.ExecutionSample}
 * @param samples samples in all
 * @param byThread samples by thread group
 * @param topFrames hottest top frames with their sample counts
 * @param ourFrames hottest resque-pool frames with their sample counts
 * @param lettuceFrames hottest frames of Lettuce/Netty threads
 * @param libraries samples with at least one frame of a library anywhere on the stack
 * (inclusive: a sample counts once for each library on its stack), by library
 * @param file the recording
 */
record JfrSummary(String sampler, long samples, Map<String, Long> byThread, Map<String, Long> topFrames,
		Map<String, Long> ourFrames, Map<String, Long> lettuceFrames, Map<String, Long> libraries, Path file) {

	/** Libraries by package prefix, in the order they are tested. */
	private static final List<Map.Entry<String, String>> LIBRARIES = List.of(
			Map.entry("io.github.resquepool.", "resque-pool"), Map.entry("io.micrometer.", "Micrometer"),
			Map.entry("tools.jackson.", "Jackson"), Map.entry("com.fasterxml.jackson.", "Jackson"),
			Map.entry("io.lettuce.", "Lettuce"), Map.entry("io.netty.", "Netty"),
			Map.entry("org.springframework.", "Spring"), Map.entry("org.apache.catalina.", "Tomcat"),
			Map.entry("org.apache.tomcat.", "Tomcat"), Map.entry("org.apache.coyote.", "Tomcat"));

	static JfrSummary read(Path file, Predicate<String> workerThread) throws IOException {
		List<RecordedEvent> events = RecordingFile.readAllEvents(file);
		String sampler = events.stream().anyMatch((e) -> e.getEventType().getName().equals("jdk.CPUTimeSample"))
				? "jdk.CPUTimeSample" : "jdk.ExecutionSample";
		long samples = 0;
		Map<String, Long> byThread = new HashMap<>();
		Map<String, Long> top = new HashMap<>();
		Map<String, Long> ours = new HashMap<>();
		Map<String, Long> lettuce = new HashMap<>();
		Map<String, Long> libraries = new HashMap<>();
		for (RecordedEvent event : events) {
			if (!event.getEventType().getName().equals(sampler)) {
				continue;
			}
			samples++;
			jdk.jfr.consumer.RecordedThread sampled = event.hasField("sampledThread") ? event.getThread("sampledThread")
					: event.getThread();
			String thread = (sampled != null) ? sampled.getJavaName() : "?";
			String group = threadGroup(thread, workerThread);
			byThread.merge(group, 1L, Long::sum);
			RecordedStackTrace stack = event.getStackTrace();
			if (stack == null || stack.getFrames().isEmpty()) {
				continue;
			}
			List<RecordedFrame> frames = stack.getFrames();
			top.merge(name(frames.get(0)), 1L, Long::sum);
			if (group.startsWith("Lettuce")) {
				lettuce.merge(name(frames.get(0)), 1L, Long::sum);
			}
			java.util.Set<String> seen = new java.util.HashSet<>();
			for (RecordedFrame frame : frames) {
				if (frame.getMethod() == null) {
					continue;
				}
				String type = frame.getMethod().getType().getName();
				if (type.startsWith("io.github.resquepool.benchmarks.")) {
					continue;
				}
				for (Map.Entry<String, String> library : LIBRARIES) {
					if (type.startsWith(library.getKey())) {
						seen.add(library.getValue());
						break;
					}
				}
			}
			seen.forEach((library) -> libraries.merge(library, 1L, Long::sum));
			for (RecordedFrame frame : frames) {
				if (frame.getMethod() != null
						&& frame.getMethod().getType().getName().startsWith("io.github.resquepool.")
						&& !frame.getMethod().getType().getName().startsWith("io.github.resquepool.benchmarks.")) {
					ours.merge(name(frame), 1L, Long::sum);
					break;
				}
			}
		}
		return new JfrSummary(sampler, samples, sorted(byThread, 10), sorted(top, 15), sorted(ours, 10),
				sorted(lettuce, 8), sorted(libraries, LIBRARIES.size()), file);
	}

	private static String threadGroup(String thread, Predicate<String> workerThread) {
		if (thread == null) {
			return "other";
		}
		if (workerThread.test(thread)) {
			return "worker threads";
		}
		return thread.startsWith("lettuce-") ? "Lettuce/Netty event loop" : "other Java threads";
	}

	private static String name(RecordedFrame frame) {
		if (frame.getMethod() == null) {
			return "?";
		}
		String type = frame.getMethod().getType().getName();
		return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName() + " (" + packageOf(type)
				+ ")";
	}

	private static String packageOf(String type) {
		int dot = type.lastIndexOf('.');
		return (dot > 0) ? type.substring(0, dot) : "";
	}

	private static Map<String, Long> sorted(Map<String, Long> counts, int limit) {
		Map<String, Long> result = new LinkedHashMap<>();
		counts.entrySet()
			.stream()
			.sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
			.limit(limit)
			.forEach((e) -> result.put(e.getKey(), e.getValue()));
		return result;
	}

}
