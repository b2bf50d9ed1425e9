# frozen_string_literal: true
#
# Plain Resque (namespace "resque"): enqueue/push payloads, a failure written by
# a real worker, Failure.requeue, and Resque.dequeue against foreign payloads.
#
#   RESQUE_LIB=... REDIS_URL=... ruby interop/ruby/capture_resque.rb

require_relative "common"
require_relative "arg_cases"
Interop.need_resque!
require "resque"

OUT = Interop.out_dir(File.expand_path("../captured/resque", __dir__))
Interop.connect_resque!
Interop.flush!
facts = {}

module Interop
  class Plain
    @queue = :interop
    def self.perform(*args); end
  end

  module Billing
    class Charge
      @queue = "billing"
      def self.perform(*args); end
    end
  end

  class Failing
    @queue = :failing
    def self.perform(*args)
      raise ArgumentError, "boom from Ruby: #{args.inspect}"
    end
  end

  # Runs inside the forked worker child: records worker:<id>, :started and the
  # heartbeat as they are while a job is being worked on.
  class Snapshot
    @queue = :snapshot
    def self.perform(path)
      Interop.instance_variable_set(:@raw, nil) # new connection after fork
      Interop.write_snapshot(path)
    end
  end
end

# 1. Resque.enqueue payloads, one file per argument case.
Interop::ARG_CASES.each do |name, args|
  Interop.flush!
  Resque.enqueue(Interop::Plain, *args)
  Interop.write_raw("#{OUT}/enqueue/#{name}.json", Interop.raw.lindex("resque:queue:interop", 0))
end

# Float edge cases JSON cannot carry.
[["nan", Float::NAN], ["infinity", Float::INFINITY]].each do |name, value|
  Resque.enqueue(Interop::Plain, value)
  facts["enqueue_#{name}"] = "no error?!"
rescue StandardError => e
  facts["enqueue_#{name}"] = "#{e.class}: #{e.message}"
end

# Ruby objects without a JSON form: generic Object#to_json (to_s) with the json gem.
Interop.flush!
Resque.enqueue(Interop::Plain, Time.utc(2026, 1, 2, 3, 4, 5.5r), Time.new(2026, 1, 2, 3, 4, 5, "+01:00"),
               Date.new(2026, 1, 2), Rational(1, 3), 1.5r)
Interop.write_raw("#{OUT}/enqueue/time_date_rational.json", Interop.raw.lindex("resque:queue:interop", 0))

# Namespaced class, and a symbol/string queue.
Interop.flush!
Resque.enqueue(Interop::Billing::Charge, 7)
Interop.write_raw("#{OUT}/enqueue/namespaced_class.json", Interop.raw.lindex("resque:queue:billing", 0))
Interop.write_snapshot("#{OUT}/enqueue/namespaced_class.keys.json")

# 2. Resque.push: the item hash is encoded as given (symbol keys become strings,
#    key order kept, extra keys kept).
Interop.flush!
Resque.push("pushed", class: "Interop::Plain", args: [1, :two])
Resque.push("pushed", "args" => [1], "class" => "Interop::Plain", "id" => "abc", "enqueued_at" => 1.5)
Interop.raw.lrange("resque:queue:pushed", 0, -1).each_with_index do |v, i|
  Interop.write_raw("#{OUT}/push/push_#{i}.json", v)
end
Interop.write_snapshot("#{OUT}/push/push.keys.json")

# 3. Resque.dequeue(Klass, *args) against payloads another producer wrote.
Interop.flush!
variants = {
  "exact"           => '{"class":"Interop::Plain","args":[1,"x"]}',
  "extra_key"       => '{"class":"Interop::Plain","args":[1,"x"],"traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}',
  "key_order"       => '{"args":[1,"x"],"class":"Interop::Plain"}',
  "spaces"          => '{"class": "Interop::Plain", "args": [1, "x"]}',
  "escaped_slash"   => '{"class":"Interop::Plain","args":[1,"x\\/y"]}', # dequeued with args [1, "x/y"]
  "float_form"      => '{"class":"Interop::Plain","args":[1.0,"x"]}'
}
dequeue = {}
variants.each do |name, payload|
  Interop.flush!
  Interop.raw.call("SADD", "resque:queues", "interop")
  Interop.raw.rpush("resque:queue:interop", payload)
  args = name == "escaped_slash" ? [1, "x/y"] : [1, "x"]
  removed_with_args = Resque.dequeue(Interop::Plain, *args)
  left_after_args = Interop.raw.llen("resque:queue:interop")
  removed_class_only = Resque.dequeue(Interop::Plain)
  dequeue[name] = { "payload" => payload, "dequeue_with_args" => args, "removed_with_args" => removed_with_args,
                    "left_after" => left_after_args, "removed_by_dequeue_class_only" => removed_class_only }
end
Interop.write_json("#{OUT}/dequeue/dequeue_results.json", dequeue)

# 4. A real worker runs a failing job: the failed entry, stats, then requeue.
Interop.flush!
Resque.enqueue(Interop::Failing, 42, "EUR", { "a" => 1 })
Interop.raw.call("SADD", "resque:queues", "failing")
Interop.raw.rpush("resque:queue:failing",
                  '{"class":"Interop::Failing","args":["with-extra-keys"],"id":"j-1","traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}')
Interop.raw.rpush("resque:queue:failing", '{"class":"Interop::NoSuchJob","args":[1]}')
Interop.raw.rpush("resque:queue:failing", '{"class":"com.acme.JavaJob","args":[1]}')
Interop.raw.rpush("resque:queue:snapshot", Resque.encode(class: "Interop::Snapshot", args: ["#{OUT}/worker/during_job.keys.json"]))
Interop.raw.call("SADD", "resque:queues", "snapshot")

Interop.with_monitor("#{OUT}/worker/MONITOR-worker-failures.txt") do
  worker = Resque::Worker.new("snapshot", "failing")
  facts["worker_id"] = worker.to_s
  worker.work(0) # INTERVAL 0: exit once the queues are empty
end
Interop.raw.lrange("resque:failed", 0, -1).each_with_index do |v, i|
  Interop.write_raw("#{OUT}/failed/failed_#{i}.json", v)
end
Interop.write_snapshot("#{OUT}/worker/after_worker.keys.json")

Interop.with_monitor("#{OUT}/failed/MONITOR-requeue.txt") do
  Resque::Failure.requeue(0)
  Resque::Failure.requeue(1)
end
Interop.write_raw("#{OUT}/failed/failed_0_after_requeue.json", Interop.raw.lindex("resque:failed", 0))
Interop.write_raw("#{OUT}/failed/failed_1_after_requeue.json", Interop.raw.lindex("resque:failed", 1))
Interop.raw.lrange("resque:queue:failing", 0, -1).each_with_index do |v, i|
  Interop.write_raw("#{OUT}/failed/requeued_payload_#{i}.json", v)
end
Interop.write_snapshot("#{OUT}/failed/after_requeue.keys.json")

# Failure.remove
Resque::Failure.remove(3)
facts["failed_len_after_remove_3"] = Interop.raw.llen("resque:failed")

Interop.write_json("#{OUT}/facts.json", facts)
Interop.write_versions(OUT)
Interop.flush!
puts "resque captures written to #{OUT}"
