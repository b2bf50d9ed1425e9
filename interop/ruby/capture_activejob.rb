# frozen_string_literal: true
#
# Rails ActiveJob 6.1 (Debian's ruby-activejob) with the Resque adapter:
# wrapper payloads for many argument kinds, a delayed job (wait: 5.minutes,
# through resque-scheduler), what a real Resque worker records for a failing
# ActiveJob job, and plain Resque.enqueue payloads while ActiveSupport is loaded.
#
#   RESQUE_LIB=... RESQUE_SCHEDULER_LIB=... REDIS_URL=... ruby interop/ruby/capture_activejob.rb
#
# resque 3.0's lib/ ships its own active_job/queue_adapters/resque_adapter.rb
# (written for Rails >= 7.2). With `ruby -I resque/lib` that file shadows the
# one in Rails 6.1, so the libs go to the END of $LOAD_PATH here (see
# captured/activejob-6.1/load_path/).

require_relative "common"
require_relative "arg_cases"
resque_lib = Interop.need_resque!(position: :back)
sched_lib = Interop.need_scheduler!(position: :back)

OUT = Interop.out_dir(File.expand_path("../captured/activejob-6.1", __dir__))
facts = {}

# 0. What happens with resque's lib in FRONT of the load path (plain `ruby -I`).
probe = <<~RUBY
  require "active_job"; require "resque"
  ActiveJob::Base.queue_adapter = :resque
  puts "adapter: \#{ActiveJob::Base.queue_adapter.class}"
  puts $LOADED_FEATURES.grep(/resque_adapter/)
RUBY
out = IO.popen([RbConfig.ruby, "-I", resque_lib, "-I", sched_lib, "-e", probe], err: [:child, :out], &:read)
Interop.write_text("#{OUT}/load_path/ruby-I-resque-lib-first.txt",
                   "$ ruby -I $RESQUE_LIB -I $RESQUE_SCHEDULER_LIB -e '...queue_adapter = :resque'\n" \
                   "exit status: #{$?.exitstatus}\n#{out.lines.first(6).join}")

require "resque"
require "resque-scheduler"
require "bigdecimal"
require_relative "aj_jobs"

ActiveJob::Base.queue_adapter = :resque
facts["adapter_file"] = $LOADED_FEATURES.grep(/resque_adapter/)
facts["activejob_version"] = ActiveJob::VERSION::STRING
Interop.connect_resque!
Interop.flush!
raw = Interop.raw

def capture_enqueued(raw, path, queue)
  items = raw.lrange("resque:queue:#{queue}", 0, -1)
  raise "expected one job in #{queue}, found #{items.size}" unless items.size == 1

  Interop.write_raw(path, items.first)
end

Time.zone = nil
cases = {
  "invoice"             => -> { SendInvoiceJob.perform_later(42, "EUR", { "a" => 1 }) },
  "keyword_arguments"   => -> { KeywordsJob.perform_later(42, currency: "EUR", note: nil) },
  "symbol_keyed_hash"   => -> { SendInvoiceJob.perform_later({ a: 1, b: { c: 2 } }) },
  "string_keyed_hash"   => -> { SendInvoiceJob.perform_later({ "a" => 1, "b" => { "c" => 2 } }) },
  "mixed_keyed_hash"    => -> { SendInvoiceJob.perform_later({ "a" => 1, b: 2 }) },
  "nested"              => -> { SendInvoiceJob.perform_later([{ a: [1, { "b" => :c }] }, [[nil, true, false]]]) },
  "indifferent_access"  => -> { SendInvoiceJob.perform_later(ActiveSupport::HashWithIndifferentAccess.new("a" => 1, b: 2)) },
  "globalid"            => -> { SendInvoiceJob.perform_later(Customer.new(7), [Customer.new(8)], { "c" => Customer.new(9) }) },
  "time_utc"            => -> { SendInvoiceJob.perform_later(Time.utc(2026, 1, 2, 3, 4, 5, 123_456.789r)) },
  "time_offset"         => -> { SendInvoiceJob.perform_later(Time.new(2026, 1, 2, 3, 4, 5, "+01:00")) },
  "time_with_zone"      => -> { Time.use_zone("Europe/Berlin") { SendInvoiceJob.perform_later(Time.zone.local(2026, 7, 1, 12, 0, 0.5r)) } },
  "date"                => -> { SendInvoiceJob.perform_later(Date.new(2026, 1, 2)) },
  "datetime"            => -> { SendInvoiceJob.perform_later(DateTime.new(2026, 1, 2, 3, 4, 5.25r, "+02:00")) },
  "bigdecimal"          => -> { SendInvoiceJob.perform_later(BigDecimal("1234.5678"), BigDecimal("1e-20")) },
  "duration"            => -> { SendInvoiceJob.perform_later(5.minutes, 1.month + 2.days, 90.seconds) },
  "symbol"              => -> { SendInvoiceJob.perform_later(:eur, [:a, :b]) },
  "module"              => -> { SendInvoiceJob.perform_later(Customer, ActiveJob) },
  "floats_bigints"      => -> { SendInvoiceJob.perform_later(1.0e-05, 10_000_000.0, 0.1, 1.5, 18_446_744_073_709_551_616) },
  "strings"             => -> { SendInvoiceJob.perform_later("é € 😀 a/b", "<b>&amp;</b>", "\u2028\u2029", "\t\u0001\u007f") },
  "set_queue_priority"  => -> { SendInvoiceJob.set(queue: "other", priority: 5).perform_later(1) },
  "no_arguments"        => -> { SendInvoiceJob.perform_later }
}
queues = Hash.new("invoices").merge("set_queue_priority" => "other")
cases.each do |name, enqueue|
  Interop.flush!
  enqueue.call
  capture_enqueued(raw, "#{OUT}/perform_later/#{name}.json", queues[name])
end
Interop.write_snapshot("#{OUT}/perform_later/no_arguments.keys.json") # queues set + list

# Time zone of the enqueuing process appears in "timezone".
Interop.flush!
Time.use_zone("Europe/Berlin") { SendInvoiceJob.perform_later(1) }
capture_enqueued(raw, "#{OUT}/perform_later/enqueued_inside_time_zone.json", "invoices")

# Arguments ActiveJob refuses.
facts["serialization_errors"] = {
  "Object.new" => (begin; SendInvoiceJob.perform_later(Object.new); "accepted"; rescue StandardError => e; "#{e.class}: #{e.message}"; end),
  "reserved key _aj_globalid" => (begin; SendInvoiceJob.perform_later({ "_aj_globalid" => 1 }); "accepted"; rescue StandardError => e; "#{e.class}: #{e.message}"; end),
  "Float::NAN" => (begin; Interop.flush!; SendInvoiceJob.perform_later(Float::NAN); raw.lindex("resque:queue:invoices", 0); rescue StandardError => e; "#{e.class}: #{e.message}"; end),
  "non-string hash key 1" => (begin; SendInvoiceJob.perform_later({ 1 => "x" }); "accepted"; rescue StandardError => e; "#{e.class}: #{e.message}"; end)
}

# 1. wait: 5.minutes -> resque-scheduler enqueue_at_with_queue.
Interop.flush!
t0 = Time.now.to_f
SendInvoiceJob.set(wait: 5.minutes).perform_later(42, "EUR", { "a" => 1 })
facts["wait_5_minutes_called_at"] = t0
ts = raw.zrange("resque:delayed_queue_schedule", 0, -1).first
Interop.write_raw("#{OUT}/delayed/wait_5_minutes.item.json", raw.lindex("resque:delayed:#{ts}", 0))
Interop.write_snapshot("#{OUT}/delayed/wait_5_minutes.keys.json")
Interop.flush!
SendInvoiceJob.set(wait_until: Time.at(2_000_000_000.75)).perform_later(1)
Interop.write_snapshot("#{OUT}/delayed/wait_until_fractional.keys.json")

# 2. A real Resque worker runs ActiveJob jobs: successes, a failure, retry_on.
Interop.flush!
SendInvoiceJob.perform_later(42, "EUR", { "a" => 1 })
KeywordsJob.perform_later(42, currency: "EUR")
SendInvoiceJob.perform_later({ a: 1, "b" => 2 }, Customer.new(7), Time.utc(2026, 1, 2, 3, 4, 5.5r), Date.new(2026, 1, 2),
                             BigDecimal("1.5"), 5.minutes, :sym, ActiveSupport::HashWithIndifferentAccess.new(x: 1))
FailingJob.perform_later(42, "EUR", { "a" => 1 })
RetryingJob.perform_later("r")
Interop.with_monitor("#{OUT}/worker/MONITOR-worker.txt") do
  Resque::Worker.new("invoices", "failing_aj").work(0)
end
facts["performed"] = raw.lrange("interop:performed", 0, -1).map { |s| JSON.parse(s) }
raw.lrange("resque:failed", 0, -1).each_with_index do |v, i|
  Interop.write_raw("#{OUT}/worker/failed_#{i}.json", v)
end
Interop.write_snapshot("#{OUT}/worker/after_worker.keys.json")

# 3. Plain Resque.enqueue while ActiveSupport is loaded (as in any Rails app).
module Interop
  class Plain
    @queue = :interop
    def self.perform(*args); end
  end
end
Interop::ARG_CASES.merge(
  "time_date_bigdecimal" => [Time.utc(2026, 1, 2, 3, 4, 5.5r), Date.new(2026, 1, 2), BigDecimal("1.5"), 5.minutes],
  "nan_infinity" => [Float::NAN, Float::INFINITY]
).each do |name, args|
  Interop.flush!
  begin
    Resque.enqueue(Interop::Plain, *args)
    Interop.write_raw("#{OUT}/resque-enqueue-with-activesupport/#{name}.json", raw.lindex("resque:queue:interop", 0))
  rescue StandardError => e
    facts["resque_enqueue_with_activesupport_#{name}"] = "#{e.class}: #{e.message}"
  end
end
Interop.flush!
Resque.enqueue_at(Time.at(2_000_000_000), Interop::Plain, "<b>&amp;</b>", "\u2028")
Interop.write_snapshot("#{OUT}/resque-enqueue-with-activesupport/enqueue_at_html.keys.json")

Interop.write_json("#{OUT}/facts.json", facts)
Interop.write_versions(OUT)
Interop.flush!
puts "activejob captures written to #{OUT}"
