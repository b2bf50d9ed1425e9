package io.github.resquepool.sample.demo;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * An order saved and its confirmation enqueued in one transaction, through the outbox:
 * {@code curl -u ops:ops-dev-password -X POST 'localhost:8080/demo/orders?customer=alice&cents=1999'},
 * then {@code curl -u ops:ops-dev-password localhost:8080/demo/orders/1} shows it
 * confirmed. With {@code fail=true} the transaction rolls back after the enqueue: no
 * order, and no confirmation ever.
 */
@RestController
@RequestMapping("/demo/orders")
public class DemoOrderController {

	private final DemoOrders orders;

	public DemoOrderController(DemoOrders orders) {
		this.orders = orders;
	}

	/**
	 * Places an order.
	 * @param customer who orders, 1 to 100 characters
	 * @param cents the amount, 0 or more
	 * @param fail whether the transaction fails after the enqueue
	 * @return the order's id
	 */
	@PostMapping
	public Map<String, Object> place(@RequestParam(defaultValue = "alice") String customer,
			@RequestParam(defaultValue = "1999") long cents, @RequestParam(defaultValue = "false") boolean fail) {
		if (customer.isBlank() || customer.length() > 100 || cents < 0) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"customer must be 1 to 100 characters and cents 0 or more");
		}
		long id = this.orders.place(customer, cents, fail);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("order", id);
		body.put("confirmation", "Mailers::OrderConfirmation");
		return body;
	}

	/**
	 * @param id an order's id
	 * @return the order, with {@code CONFIRMED_AT} set once its confirmation ran
	 */
	@GetMapping("/{id}")
	public Map<String, Object> find(@PathVariable long id) {
		return this.orders.find(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no order " + id));
	}

	@ExceptionHandler(DemoOrders.OrderFailedException.class)
	ProblemDetail failed(DemoOrders.OrderFailedException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				ex.getMessage() + "; the transaction rolled back, with the enqueue");
		problem.setTitle("Order failed");
		return problem;
	}

}
