package io.github.resquepool.web;

import java.net.URI;
import java.util.Locale;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Tells a request sent by a page of another site through a user's browser from one sent
 * by the application's own pages or by a client such as {@code curl}. Browsers mark every
 * request with {@code Sec-Fetch-Site}, and older ones a POST with {@code Origin}; a page
 * cannot forge either, while {@code curl} sends neither. So a write that carries a
 * foreign mark is refused, and one without any mark is not a browser's.
 * <p>
 * A page of another site that posts with {@code fetch(url, {method: "POST", mode:
 * "no-cors"})} needs no CORS permission, which is why writes that take no body are open
 * to it unless refused here.
 */
public final class CrossSiteRequests {

	private CrossSiteRequests() {
	}

	/**
	 * @param header the request's headers by name
	 * @return why the request is refused, or {@code null} when it comes from the
	 * application's own origin, from the user (typed or bookmarked) or from a client that
	 * is no browser
	 */
	public static @Nullable String refusal(Function<String, @Nullable String> header) {
		String fetchSite = header.apply("Sec-Fetch-Site");
		if (fetchSite != null) {
			String site = fetchSite.strip().toLowerCase(Locale.ROOT);
			return (site.equals("same-origin") || site.equals("none")) ? null
					: "a write from another site (Sec-Fetch-Site: " + printable(fetchSite) + ") is refused";
		}
		String origin = header.apply("Origin");
		if (origin == null || sameHost(origin, header)) {
			return null;
		}
		return "a write from another site (Origin: " + printable(origin) + ") is refused";
	}

	private static boolean sameHost(String origin, Function<String, @Nullable String> header) {
		String host = header.apply("X-Forwarded-Host");
		if (host == null) {
			host = header.apply("Host");
		}
		if (host == null || origin.equals("null")) {
			return false;
		}
		host = host.split(",")[0].strip();
		try {
			URI uri = URI.create(origin.strip());
			if (uri.getHost() == null) {
				return false;
			}
			String originHost = uri.getHost() + ((uri.getPort() != -1) ? ":" + uri.getPort() : "");
			return originHost.equalsIgnoreCase(host) || originHost.equalsIgnoreCase(withoutDefaultPort(host));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static String withoutDefaultPort(String host) {
		return (host.endsWith(":80") || host.endsWith(":443")) ? host.substring(0, host.lastIndexOf(':')) : host;
	}

	private static String printable(String value) {
		String shown = (value.length() > 100) ? value.substring(0, 100) + "..." : value;
		return shown.replaceAll("\\p{Cntrl}", "?");
	}

}
