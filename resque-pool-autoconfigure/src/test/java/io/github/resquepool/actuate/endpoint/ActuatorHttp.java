package io.github.resquepool.actuate.endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Talks to a running application's Actuator over real HTTP, the way an operator's curl
 * does.
 */
public final class ActuatorHttp {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final int port;

	/**
	 * @param port the application's port
	 */
	public ActuatorHttp(int port) {
		this.port = port;
	}

	/**
	 * {@code curl http://localhost:<port><path>}.
	 * @param path the path
	 * @return the response
	 */
	public Response get(String path) {
		return send(request(path).GET().build());
	}

	/**
	 * {@code curl -X POST http://localhost:<port><path>}: no body, no content type.
	 * @param path the path
	 * @return the response
	 */
	public Response post(String path) {
		return send(request(path).POST(BodyPublishers.noBody()).build());
	}

	/**
	 * {@code curl -X POST -H 'Content-Type: application/json' -d '<json>' http://localhost:<port><path>}.
	 * @param path the path
	 * @param json the body
	 * @return the response
	 */
	public Response postJson(String path, String json) {
		return send(
				request(path).header("Content-Type", "application/json").POST(BodyPublishers.ofString(json)).build());
	}

	/**
	 * {@code curl -X POST -d '<body>' http://localhost:<port><path>}: curl's form content
	 * type.
	 * @param path the path
	 * @param body the body
	 * @return the response
	 */
	public Response postForm(String path, String body) {
		return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
			.POST(BodyPublishers.ofString(body))
			.build());
	}

	/**
	 * A POST without a body carrying the given headers: with {@code Origin} and
	 * {@code Sec-Fetch-Site} it is what a page on another site sends through an
	 * operator's browser with {@code fetch(url, {method: "POST", mode: "no-cors"})}.
	 * @param path the path
	 * @param headers the headers
	 * @return the response
	 */
	public Response postWith(String path, java.util.Map<String, String> headers) {
		HttpRequest.Builder request = request(path);
		headers.forEach(request::header);
		return send(request.POST(BodyPublishers.noBody()).build());
	}

	/**
	 * Sends exactly the bytes {@code curl -X POST} sends: no {@code Content-Length}, no
	 * {@code Content-Type}.
	 * @param path the path
	 * @return the status code
	 */
	public int rawBarePost(String path) {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost:" + this.port
					+ "\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			String statusLine = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).lines()
				.findFirst()
				.orElseThrow();
			return Integer.parseInt(statusLine.split(" ")[1]);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(10));
	}

	private Response send(HttpRequest request) {
		try {
			var response = this.client.send(request, BodyHandlers.ofString());
			return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
					response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A response.
	 *
	 * @param status the status code
	 * @param contentType the content type, empty when none
	 * @param body the body text
	 */
	public record Response(int status, String contentType, String body) {

		/**
		 * @return the body as JSON
		 */
		public JsonNode json() {
			return JsonMapper.shared().readTree(this.body);
		}

	}

}
