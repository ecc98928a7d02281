-- wrk: each request draws one path from a file of paths (one per line), uniformly or by a
-- Zipf law over the file's order (rank 1 = the first line). bench/varied_traffic.py writes
-- the file and runs
--
--   wrk -s bench/varied.lua http://127.0.0.1:PORT -- PATHS_FILE uniform|zipf [S] [SEED]
--
-- Every thread reads the file, formats each request once and precomputes the Zipf CDF
-- (weight of rank k = 1 / k^S, S = 1.1 by default); each thread has its own seed (SEED plus
-- its number), so two servers measured with the same arguments see the same draws; a
-- warm-up should use another SEED, or it asks exactly the measured run's first questions.
-- Nothing is recorded here: wrk's own latency statistics are the result.

local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("thread_number", counter)
end

local requests = {}
local cdf = nil
local count = 0

function init(args)
   local file = assert(io.open(args[1], "r"), "cannot read " .. tostring(args[1]))
   for line in file:lines() do
      if #line > 0 then
         count = count + 1
         requests[count] = wrk.format("GET", line)
      end
   end
   file:close()
   assert(count > 0, "no paths in " .. args[1])
   local draw = args[2] or "uniform"
   if draw == "zipf" then
      local s = tonumber(args[3] or "1.1")
      local total = 0
      cdf = {}
      for k = 1, count do
         total = total + 1 / k ^ s
         cdf[k] = total
      end
      for k = 1, count do
         cdf[k] = cdf[k] / total
      end
      cdf[count] = 1
   elseif draw ~= "uniform" then
      error("draw must be uniform or zipf: " .. draw)
   end
   math.randomseed(tonumber(args[4] or "17") + (thread_number or 0) * 7919)
end

local function zipf_rank()
   -- the first rank whose cumulative weight reaches a uniform draw (binary search)
   local u = math.random()
   local low, high = 1, count
   while low < high do
      local middle = math.floor((low + high) / 2)
      if cdf[middle] < u then
         low = middle + 1
      else
         high = middle
      end
   end
   return low
end

function request()
   if cdf then
      return requests[zipf_rank()]
   end
   return requests[math.random(count)]
end
