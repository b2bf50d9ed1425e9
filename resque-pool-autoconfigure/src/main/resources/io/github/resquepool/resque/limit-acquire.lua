-- Take a slot of every limit a job is under, all or none, before it runs and only while its worker still holds
-- it. When a limit has no room the job goes to that limit's waiting list instead, off its queue, so the jobs
-- behind it flow, and its worker lets it go: it goes back to the head of its queue when a slot frees (one job
-- per slot) or when its rate window ends (as many as the window allows). Checked and taken in one script, so
-- pools racing for the last slot never both get it.
-- ARGV: 1 prefix, 2 worker id, 3 sha1 of the job's working status, then per limit 7 values: id, concurrency
--       (-1 none), rate (-1 none), rate window in ms, kind ("class" or "queue"), name, key ("" none)
-- Returns {'ok'} | {'blocked', id, 'concurrency' | 'rate'} | {'gone'} (the worker no longer holds the job).
local id, sha = ARGV[2], ARGV[3]
local wkey = P .. 'worker:' .. id
local status = redis.call('GET', wkey)
if not status or redis.sha1hex(status) ~= sha then return {'gone'} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limits = {}
for i = 4, #ARGV, 7 do
  limits[#limits + 1] = {L = ARGV[i], conc = tonumber(ARGV[i + 1]), rate = tonumber(ARGV[i + 2]),
    per = tonumber(ARGV[i + 3]), kind = ARGV[i + 4], name = ARGV[i + 5], key = ARGV[i + 6]}
end
local taken = {}
local L, reason = take_limits(id, status, wkey, limits, now, taken)
if L then
  -- The slots the fetch took with the job (its queue's, its class's) go with it: the worker runs nothing now.
  release_slots(id)
  return {'blocked', L, reason}
end
record_holds(id, taken)
return {'ok'}
