-- Who falls short of the quotas?  Reads examples/logbook.csv (name, rank,
-- research_months, village_nights) and compares each cadre's year with
-- the minima for their rank: research in the research quota's unit
-- (个月), village nights against the village_stay quota (天), counting a
-- night in a village as a day's stay.  A rank without a quota for an
-- activity owes nothing there.
--
--   lua5.4 examples/logbook_check.lua

local siqun = require "siqun"
local report = require "siqun.report"

local dir = arg[0]:match("^(.*)/[^/]*$") or "."

-- A CSV without quoted fields: an array of records keyed by the header.
local read_csv = dofile(dir .. "/lib/read_csv.lua")

local art = assert(siqun.open())

-- activity -> rank -> quota record
local quota = { research = {}, village_stay = {} }
for _, q in ipairs(art.quotas) do
  if quota[q.activity] then quota[q.activity][q.rank] = q end
end

-- The logbook's column for each activity.
local LOGGED = { research = "research_months", village_stay = "village_nights" }

local short, checked = {}, 0
for _, c in ipairs(read_csv(dir .. "/logbook.csv")) do
  for _, activity in ipairs { "research", "village_stay" } do
    local q = quota[activity][c.rank]
    if q then
      checked = checked + 1
      local done = tonumber(c[LOGGED[activity]]) or 0
      if done < q.min then
        short[#short + 1] = { name = c.name, rank = c.rank, activity = activity,
                              quota = q.text, logged = done, missing = q.min - done,
                              unit = q.unit }
      end
    end
  end
end

io.write(report.text({
  title = "Cadres short of their quotas",
  blocks = {
    { kind = "para", text = ("%d checks (cadre × activity with a quota), %d short.")
                            :format(checked, #short) },
    { kind = "table", columns = {
        { name = "name" }, { name = "rank" }, { name = "activity" }, { name = "quota" },
        { name = "logged", type = "number" }, { name = "missing", type = "number" },
        { name = "unit" } },
      rows = short },
  },
}))
