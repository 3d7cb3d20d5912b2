-- siqun.query: where clauses fused into one generated function
-- (siqun.query.fuse, used for an Article's own tables when a bound query
-- runs the second time).  Every condition is checked against the closures
-- of siqun.query.cond: q:run on the Article (its first run with the
-- closures, its second fused) must select the records q:run selects on a
-- look-alike object (not an Article: the closures, q.where), in the same
-- order, and the two functions must give the same true / false / nil on
-- every record.

local compat = require "siqun.compat"
local ipairs = compat.ipairs
local siqun = require "siqun"

local art = assert(siqun.open())
-- not a siqun.Article: a run there takes the closures (q.where)
local plain = { table = function(_, name) return art:table(name) end,
                tables = function() return art:tables() end }

-- The source name of the generated chunks (gen_cond): the closures of
-- compile_cond have their file's name instead.
local function fused(q)
  local b = q.bound[art]
  return b ~= nil and b.where ~= nil and debug.getinfo(b.where, "S").source == "=siqun.query"
end

-- Runs text on both objects and checks they agree: on the Article twice,
-- so that the second run is fused where the clause can be; returns the
-- query.
local function check(text)
  local q = siqun.compile(text)
  local fresh = q.bound[art] == nil -- (not run before: compile keeps a query by its text)
  local first, b = q:run(art), q:run(plain)
  if fresh then assert(not fused(q), text .. ": fused on its first run") end
  local a = q:run(art)
  for _, got in ipairs({ first, a }) do
    assert(#got == #b, text .. ": " .. #got .. " records on the Article, " .. #b .. " by the closures")
    for i = 1, #b do assert(rawequal(got[i], b[i]), text .. ": record " .. i .. " differs") end
  end
  local fw, cw = q.bound[art].where, q.where
  assert(fw and cw, text .. ": no where function")
  for i, rec in ipairs(art:table(q.table)) do
    local x, y = fw(rec), cw(rec)
    assert(x == y, ("%s: record %d gives %s fused, %s by the closures")
           :format(text, i, tostring(x), tostring(y)))
  end
  return q, #a
end

-- A literal of the query language for a number or a string (nil when the
-- value has no plain spelling: strings with quotes, backslashes, newlines).
local function literal(v)
  if type(v) == "number" then
    if v ~= v or v == math.huge or v == -math.huge then return nil end
    local s = ("%.17g"):format(math.abs(v))
    if tonumber(s) ~= math.abs(v) or s:find("[^%d.e+-]") then return nil end
    return v < 0 and "-" .. s or s
  end
  if v:find("['\\\n\r]") then return nil end
  return "'" .. v .. "'"
end

-- Per table: the typed fields with literals to compare them with (values
-- of the data, and some not in it), and whether some record has no value.
local function fields_of(tname)
  local out = {}
  for _, f in ipairs(art.dataset:table(tname):fields()) do
    local values, seen, has_nil = {}, {}, false
    for _, rec in ipairs(art:table(tname)) do
      local v = rec[f.name]
      if v == nil then has_nil = true
      elseif not seen[v] and (type(v) == "number" or type(v) == "string") then
        seen[v] = true
        values[#values + 1] = v
      end
    end
    if #values > 0 then
      local kind = type(values[1])
      table.sort(values)
      local lits = {}
      for _, i in ipairs({ 1, math.floor((#values + 1) / 2), #values }) do
        lits[#lits + 1] = literal(values[i])
      end
      lits[#lits + 1] = kind == "number" and "-1" or "'zz-not-there'"
      lits[#lits + 1] = kind == "number" and "1e300" or "''"
      out[#out + 1] = { name = f.name, kind = kind, lits = lits, has_nil = has_nil }
    end
  end
  return out
end

local OPS = { "=", "!=", "<", "<=", ">", ">=" }

-- A small deterministic generator (math.random differs between versions).
local function lcg(seed)
  return function(n)
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % n + 1
  end
end

describe("siqun.query fused where clauses", function()
  it("are made when a bound query runs the second time, not the first", function()
    local q = siqun.compile("figures where value >= 100000 and qualifier = 'exact' and section > 0")
    assert.is_nil(q.bound[art])
    local first = q:run(art)
    assert.is_false(fused(q)) -- the closures, for a query run once
    local second = q:run(art)
    assert.is_true(fused(q))
    assert.same(first:totable(), second:totable())
    assert.is_true(#second > 0)
    assert.same(second:totable(), q:run(art):totable())
    -- a query bound by compile(text, art) and not run yet: the same
    q = siqun.compile("figures where value >= 100000 and section > 1", art)
    assert.is_false(fused(q))
    q:run(art)
    assert.is_false(fused(q))
    q:run(art)
    assert.is_true(fused(q))
    -- group by and aggregates filter with the closures: nothing to fuse
    q = siqun.compile("figures where value >= 100000 group by unit select unit, count() as n")
    local once = q:run(art)
    assert.same(once[1].n, q:run(art)[1].n)
    assert.is_false(fused(q))
  end)

  it("fuse every single comparison of every table, with the closures' results", function()
    local n, some_nil = 0, false
    for _, tname in ipairs(art:tables()) do
      for _, f in ipairs(fields_of(tname)) do
        some_nil = some_nil or f.has_nil
        for _, op in ipairs(OPS) do
          for _, lit in ipairs(f.lits) do
            local q = check(("%s where `%s` %s %s"):format(tname, f.name, op, lit))
            assert.is_true(fused(q))
            n = n + 1
          end
        end
      end
    end
    assert.is_true(some_nil) -- fields without a value in some records are covered
    assert.is_true(n > 1000)
  end)

  it("fuse nested and / or / not with the closures' short-circuits and unknowns", function()
    local fixed = {
      "figures where value >= 100000 and qualifier = 'exact'",
      "figures where not (value >= 100000 and qualifier = 'exact')",
      "figures where not value > 5 or not qualifier = 'exact'",
      "figures where not (not min < 10 or not max > 10)",
      "figures where (min >= 0 or max >= 0) and not (unit = 'x' and value != 3)",
      "quotas where not (value < 1 and (qualifier = 'exact' or not min > 2))",
      "events where not date_end = '' or place != 'x' and not (section <= 2)",
    }
    for _, text in ipairs(fixed) do assert.is_true(fused((check(text)))) end
    local rand, total = lcg(20240607), 0
    for _, tname in ipairs(art:tables()) do
      local leaves = {}
      for _, f in ipairs(fields_of(tname)) do
        for _, op in ipairs(OPS) do
          for _, lit in ipairs(f.lits) do
            leaves[#leaves + 1] = ("`%s` %s %s"):format(f.name, op, lit)
          end
        end
      end
      local function cond(depth)
        local k = depth > 0 and rand(6) or 1
        if k <= 2 then return leaves[rand(#leaves)] end
        if k == 3 then return "not (" .. cond(depth - 1) .. ")" end
        local op = k <= 4 and " and " or " or "
        return "(" .. cond(depth - 1) .. op .. cond(depth - 1) .. ")"
      end
      for _ = 1, 150 do
        local q, hits = check(tname .. " where " .. cond(4))
        assert.is_true(fused(q))
        total = total + hits
      end
    end
    assert.is_true(total > 0)
  end)

  it("keep the closures for other conditions, with the same results", function()
    local texts = {
      "figures where value ~ 'x'",                               -- like
      "figures where value is nil or value > 3",                 -- isnil
      "figures where qualifier in ('exact', 'about') and value > 1", -- in
      "figures where min < max",                                 -- field op field
      "figures where 100000 <= value",                           -- literal op field
      "figures where value = 'exact'",                           -- literal of another type
      "figures where (value > 1 or unit ~ 'yuan') and not qualifier = 'exact'",
      "figures where value > 1 and text ~ 'x' or min = 2",
    }
    for _, text in ipairs(texts) do assert.is_false(fused((check(text)))) end
    -- past the fused comparisons' limit (upvalues on 5.1 and LuaJIT)
    local parts = {}
    for i = 1, 40 do parts[i] = "value != " .. i end
    assert.is_false(fused((check("figures where " .. table.concat(parts, " and ")))))
    -- a long chain of nots (one local each) still gives the right results
    check("figures where " .. ("not "):rep(150) .. "value > 10")
  end)
end)
