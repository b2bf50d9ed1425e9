package io.github.resquepool.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Splits a file that another process appends to into lines, each once and in order: a
 * line still being written is only returned once it is complete, or when the writer is
 * gone. Not thread-safe.
 */
final class AppendedLines {

	private final Path file;

	private final Deque<String> pending = new ArrayDeque<>();

	private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

	private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

	private long position;

	AppendedLines(Path file) {
		this.file = file;
	}

	/**
	 * Returns the next line read so far, reading what was appended when none is left.
	 * @param writerGone whether the writer has exited, so that an unfinished last line is
	 * complete
	 * @return the line without its line separator, or {@code null} when there is none yet
	 * @throws UncheckedIOException when the file cannot be read
	 */
	String poll(boolean writerGone) {
		if (this.pending.isEmpty()) {
			read(writerGone);
		}
		return this.pending.pollFirst();
	}

	/** Tells whether lines were read that {@link #poll(boolean)} has not returned yet. */
	boolean hasPending() {
		return !this.pending.isEmpty();
	}

	private void read(boolean writerGone) {
		try (FileChannel channel = FileChannel.open(this.file)) {
			channel.position(this.position);
			int n;
			while ((n = channel.read(this.buffer.clear())) > 0) {
				this.position += n;
				byte[] bytes = this.buffer.array();
				int from = 0;
				for (int i = 0; i < n; i++) {
					if (bytes[i] == '\n') {
						this.partial.write(bytes, from, i - from);
						addLine();
						from = i + 1;
					}
				}
				this.partial.write(bytes, from, n - from);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + this.file, ex);
		}
		if (writerGone && this.partial.size() > 0) {
			addLine();
		}
	}

	private void addLine() {
		// '\n' never occurs inside a UTF-8 sequence, so a complete line decodes on its
		// own.
		String line = this.partial.toString(StandardCharsets.UTF_8);
		this.partial.reset();
		this.pending.addLast(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
	}

}
