-- Read the cancel requests of workers, each at most a given length: anyone can write resquepool:cancel:<id>,
-- and a request this pool wrote is a few hundred bytes, so a longer value is skipped rather than sent.
-- ARGV: 1 prefix, 2 the longest request read (bytes), 3 "1" to add the SHA-1 of each worker's working status,
--       4.. worker ids
-- Returns per worker: the request or false, then, with ARGV[3] = "1", the status' SHA-1 or false.
local max = tonumber(ARGV[2])
local result = {}
for i = 4, #ARGV do
  local key = P .. 'resquepool:cancel:' .. ARGV[i]
  local request = false
  local ok, length = pcall(redis.call, 'STRLEN', key)
  if ok and length > 0 and length <= max then request = redis.call('GET', key) end
  result[#result + 1] = request
  if ARGV[3] == '1' then
    local held = redis.pcall('GET', P .. 'worker:' .. ARGV[i])
    result[#result + 1] = (type(held) == 'string') and redis.sha1hex(held) or false
  end
end
return result
