package io.github.resquepool.scheduler;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host name for the master lock's value: the one the kernel reports, as worker ids
 * use it.
 */
final class Hostnames {

	private Hostnames() {
	}

	static String system() {
		try {
			Path kernel = Path.of("/proc/sys/kernel/hostname");
			if (Files.isReadable(kernel)) {
				String name = Files.readString(kernel).strip();
				if (!name.isEmpty()) {
					return name;
				}
			}
			return InetAddress.getLocalHost().getHostName();
		}
		catch (IOException ex) {
			return "localhost";
		}
	}

}
