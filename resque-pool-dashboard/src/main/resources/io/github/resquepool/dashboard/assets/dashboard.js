// resque-pool dashboard: plain JavaScript, loaded from the jar; no inline script anywhere.
(function () {
	'use strict';

	function poll(url, every, onData, shouldStop) {
		var timer = null;
		var stopped = false;
		function tick() {
			timer = null;
			if (stopped || document.hidden) {
				return;
			}
			fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
				.then(function (r) { return r.ok ? r.json() : null; })
				.then(function (data) {
					if (data) {
						onData(data);
						if (shouldStop && shouldStop(data)) {
							stopped = true;
							return;
						}
					}
					schedule();
				})
				.catch(function () { schedule(); });
		}
		function schedule() {
			if (!stopped && timer === null && !document.hidden) {
				timer = setTimeout(tick, every);
			}
		}
		document.addEventListener('visibilitychange', function () {
			var state = document.getElementById('chart-state');
			if (state) {
				state.textContent = document.hidden ? 'paused' : 'live';
			}
			if (!document.hidden) {
				schedule();
			}
			else if (timer !== null) {
				clearTimeout(timer);
				timer = null;
			}
		});
		tick();
	}

	function chart(svg) {
		var last = null;
		var points = { processed: [], failed: [] };
		var max = 60;
		function draw(kind) {
			var values = points[kind];
			var top = 1;
			points.processed.concat(points.failed).forEach(function (v) { top = Math.max(top, v); });
			var coords = values.map(function (v, i) {
				var x = (300 / (max - 1)) * (max - values.length + i);
				var y = 78 - (v / top) * 74;
				return x.toFixed(1) + ',' + y.toFixed(1);
			});
			svg.querySelector('polyline.' + kind).setAttribute('points', coords.join(' '));
		}
		poll(svg.getAttribute('data-source'), 3000, function (data) {
			['processed', 'failed', 'queued', 'working', 'workers', 'pools'].forEach(function (key) {
				var el = document.querySelector('[data-stat="' + key + '"]');
				if (el && data[key] !== undefined) {
					el.textContent = String(data[key]);
				}
			});
			if (last !== null) {
				points.processed.push(Math.max(0, data.processed - last.processed));
				points.failed.push(Math.max(0, data.failedStat - last.failedStat));
				if (points.processed.length > max) {
					points.processed.shift();
					points.failed.shift();
				}
				draw('processed');
				draw('failed');
			}
			last = data;
		});
	}

	function acks(status) {
		var started = Date.now();
		poll(status.getAttribute('data-source'), 500, function (data) {
			data.pools.forEach(function (pool) {
				var row = null;
				document.querySelectorAll('#acks tr[data-pool]').forEach(function (tr) {
					if (tr.getAttribute('data-pool') === pool.id) {
						row = tr;
					}
				});
				if (!row) {
					row = document.createElement('tr');
					row.setAttribute('data-pool', pool.id);
					['', 'status', 'message'].forEach(function (cls) {
						var td = document.createElement('td');
						if (cls) {
							td.className = cls;
						}
						row.appendChild(td);
					});
					row.children[0].textContent = pool.id;
					document.querySelector('#acks tbody').appendChild(row);
				}
				var cell = row.querySelector('.status');
				cell.textContent = pool.status;
				cell.className = 'status ' + pool.status;
				row.querySelector('.message').textContent = pool.message || '';
			});
			status.textContent = data.settled ? 'Settled.' : 'Updating…';
		}, function (data) {
			return data.settled || Date.now() - started > 120000;
		});
	}

	document.addEventListener('DOMContentLoaded', function () {
		var svg = document.getElementById('chart');
		if (svg) {
			chart(svg);
		}
		var status = document.getElementById('ack-poll');
		if (status) {
			acks(status);
		}
	});
})();
