-- work.lua -- the workload each thread of examples/host/threads.c runs in
-- its own lua_State (also runnable as `build/examples/host work.lua` or
-- with lua5.4 from a checkout).  Returns one string holding everything it
-- read and computed, in a fixed order, so that equal strings mean equal
-- results: every cell of every table, the quantity parser on every figure,
-- the scanner over all the text cells, a query and a report when those
-- modules are compiled in, and the summary.

local siqun = require "siqun"

local out = {}
local function put(...)
  local n = select("#", ...)
  local parts = {}
  for i = 1, n do parts[i] = tostring((select(i, ...))) end
  out[#out + 1] = table.concat(parts, "\t")
end

-- Floats in full; everything else as tostring does.
local function show(v)
  if math.type(v) == "float" then return ("%.17g"):format(v) end
  return tostring(v)
end

-- A plain table (a quantity's totable(), a select row) with its keys sorted.
local function flat(t)
  if type(t) ~= "table" then return show(t) end
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = tostring(k) end
  table.sort(keys)
  local parts = {}
  for i, k in ipairs(keys) do
    local v = t[k]
    if v == nil then v = t[tonumber(k)] end
    parts[i] = k .. "=" .. flat(v)
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

-- A module compiled in (static host) or on package.path (lua5.4 from a
-- checkout): the same output either way.
local function available(name)
  return package.preload[name] ~= nil or package.searchpath(name, package.path) ~= nil
end

local art <close> = assert(siqun.open())
local texts = {}

-- Every cell of every table, through the Article's lists.
for _, name in ipairs(art:tables()) do
  local list = assert(art:table(name))
  local fields = art.dataset:table(name):fields()
  put("table", name, #list, #fields)
  for i, rec in ipairs(list) do
    local row = { i }
    for _, f in ipairs(fields) do
      local v = rec[f.name]
      row[#row + 1] = show(v)
      if type(v) == "string" then texts[#texts + 1] = v end
    end
    put(table.unpack(row))
  end
end

-- The quantity parser on every figure's printed expression.
for _, f in ipairs(art.figures) do
  local q, err = siqun.quantity(f.text)
  put("quantity", f.id, q and flat(q:totable()) or err)
end

-- The scanner over all the text of the dataset.
local all = table.concat(texts, "\n")
local found = 0
for q in siqun.scan(all) do
  found = found + 1
  put("scan", q.start, q.stop, flat(q:totable()))
end
put("scanned", #all, found)

-- The query language, when it is compiled in (it needs LPeg).
if available("siqun.query") and type(siqun.query) == "function" then
  local rows = siqun.query(art, 'figures where value > 100000 order by value desc, id')
  put("query", #rows)
  for _, r in ipairs(rows) do
    put("row", type(r) == "table" and flat(r) or tostring(r))
  end
end

-- A report, when the report modules exist.  The report's module is
-- required first: siqun.report looks built-in reports up in package.loaded
-- or on package.path, and a static host has no path (its modules are in
-- package.preload).
if available("siqun.report") and available("siqun.reports.figures") then
  local report = require "siqun.report"
  require "siqun.reports.figures"
  put("report", report.run("figures", art, "json"))
end

put("summary", art:summary())
return table.concat(out, "\n")
