-- The query language fuzzed from Lua (issue 6): a few thousand queries,
-- generated from the grammar with random choices and then mutated byte by
-- byte, plus hostile shapes (deep nesting, very long input, huge numbers,
-- invalid UTF-8, NUL bytes).  Every one must either run or be refused with
-- a "query error" message: no other error, whatever the input.  The
-- generator is a fixed-seed LCG, so a failure names a query that fails
-- again; the whole spec runs in a few seconds.

local siqun = require "siqun"
-- time bounds are multiplied by SIQUN_SLOW under make asan and make valgrind
local SLOW = tonumber(os.getenv("SIQUN_SLOW") or "") or 1
local ipairs = require("siqun.compat").ipairs -- (rows are userdata on 5.1 and LuaJIT)

local art = assert(siqun.open())

-- -------------------------------------------------------------- random

local seed = 20120701 -- (Park-Miller: exact in doubles too, the same on every Lua)
local function rnd(n) -- 1..n
  seed = seed * 16807 % 2147483647
  return seed % n + 1
end
local function pick(t) return t[rnd(#t)] end
local function chance(p) return rnd(1000) <= p * 1000 end

-- ----------------------------------------------------------- generator

local TABLES, FIELDS = {}, {}
for _, name in ipairs(art:tables()) do
  TABLES[#TABLES + 1] = name
  local fs = {}
  for _, f in ipairs(art.dataset:table(name):fields()) do fs[#fs + 1] = f.name end
  FIELDS[name] = fs
end
FIELDS.glossary[#FIELDS.glossary + 1] = "members"
local WRONG_NAMES = { "nosuch", "vale", "Value", "`odd name`", "`a`b`", "count", "select" }
local CMP = { "=", "==", "!=", "~=", "<>", "<", "<=", ">", ">=" }
local LITERALS = { "1", "-1", "0", "3.5", "1e3", "1e999", "-1e999", "100万", "35.5亿", "1/5",
                   "30%", "百分之三十", "三", "两万", "一万五千亿", "true", "false", "nil",
                   "'户'", '"元"', "“户”", "‘元’", "'a\\nb'", "'\\u{4E00}'", "'\\u{D800}'",
                   "'\\q'", "''", "'it''s'", "0x10", "1.2.3", "+5", "--1" }
local AGGS = { "count()", "count(*)", "count(value)", "sum(value)", "min(id)", "max(value)",
               "avg(value)", "sum(nosuch)", "avg()" }

local function field(t)
  if chance(0.1) then return pick(WRONG_NAMES) end
  return pick(FIELDS[t] or FIELDS.figures)
end

local cond
local function test(t, depth)
  local k = rnd(9)
  if k == 1 then return field(t) .. " " .. pick(CMP) .. " " .. pick(LITERALS)
  elseif k == 2 then return field(t) .. " ~ " .. pick { "'cadre'", "'户'", "''", "x" }
  elseif k == 3 then return field(t) .. " is " .. (chance(0.5) and "not " or "") .. "nil"
  elseif k == 4 then
    local items = {}
    for i = 1, rnd(4) do items[i] = pick(LITERALS) end
    return field(t) .. (chance(0.3) and " not" or "") .. " in (" .. table.concat(items, ", ") .. ")"
  elseif k == 5 and depth < 4 then return "not " .. test(t, depth + 1)
  elseif k == 7 then
    return field(t) .. (chance(0.3) and " not" or "") .. " between " .. pick(LITERALS) .. " and "
      .. (chance(0.2) and field(t) or pick(LITERALS))
  elseif k == 8 then return "len(" .. field(t) .. ") " .. pick(CMP) .. " " .. pick(LITERALS)
  elseif k == 6 and depth < 4 then return "(" .. cond(t, depth + 1) .. ")"
  end
  return pick(LITERALS) .. " " .. pick(CMP) .. " " .. field(t)
end

cond = function(t, depth)
  local s = test(t, depth)
  while chance(0.35) and depth < 5 do
    s = s .. pick { " and ", " or ", " AND ", " Or " } .. test(t, depth + 1)
  end
  return s
end

local function query()
  local t = chance(0.05) and pick(WRONG_NAMES) or pick(TABLES)
  local parts = { t }
  local clauses = {}
  if chance(0.6) then clauses[#clauses + 1] = "where " .. cond(t, 0) end
  local grouped = chance(0.25)
  if grouped then
    clauses[#clauses + 1] = "group by " .. field(t) .. (chance(0.3) and (", " .. field(t)) or "")
    if chance(0.3) then clauses[#clauses + 1] = "having " .. pick(AGGS) .. " > " .. pick(LITERALS) end
  end
  if chance(0.4) then
    local items = {}
    for i = 1, rnd(4) do
      local it = chance(0.3) and pick(AGGS) or (chance(0.1) and "*" or field(t))
      if chance(0.1) then it = "len(" .. field(t) .. ")" end
      if chance(0.2) then it = it .. " as " .. pick { "n", "x", "value", "`y z`" } end
      items[i] = it
    end
    clauses[#clauses + 1] = "select " .. table.concat(items, ", ")
  end
  if chance(0.4) then
    clauses[#clauses + 1] = "order by " .. field(t) .. pick { "", " asc", " desc", " DESC" }
      .. (chance(0.3) and (", " .. (chance(0.3) and pick(AGGS) or field(t))) or "")
  end
  if chance(0.25) then clauses[#clauses + 1] = "limit " .. pick { "3", "0", "-1", "1.5", "1e9", "x" } end
  if chance(0.15) then -- clauses out of order, repeated or dropped
    local i, j = rnd(#clauses + 1), rnd(#clauses + 1)
    clauses[i], clauses[j] = clauses[j], clauses[i]
    if chance(0.5) and #clauses > 0 then clauses[#clauses + 1] = clauses[1] end
  end
  for _, c in ipairs(clauses) do parts[#parts + 1] = c end
  return table.concat(parts, chance(0.1) and "\n\t " or " ")
end

-- ------------------------------------------------------------- mutator

local BYTES = { "(", ")", "'", '"', "`", ",", "，", "（", "）", "\\", "\0", "\255", "\192\175",
                "\237\160\128", "\228\184", "万", "亿", " ", "\n", "=", "~", "*", "-", ".",
                "where ", "select ", " and ", " or ", "not ", "in ", "is ", "order by ",
                "group by ", "limit ", "having ", "count(", "“", "”", "\227\128\128",
                "between ", "len(", "&&", ";", "select id from ", " like " }

local function mutate(s)
  for _ = 1, rnd(4) do
    local n = #s
    local i = rnd(n + 1)
    local k = rnd(6)
    if k == 1 and n > 0 then -- delete a span
      s = s:sub(1, i - 1) .. s:sub(i + rnd(8))
    elseif k == 2 then -- insert a token or byte
      s = s:sub(1, i - 1) .. pick(BYTES) .. s:sub(i)
    elseif k == 3 and n > 0 then -- duplicate a span
      local j = math.min(n, i + rnd(12))
      s = s:sub(1, j) .. s:sub(i, j) .. s:sub(j + 1)
    elseif k == 4 and n > 0 then -- replace a byte with any byte
      s = s:sub(1, i - 1) .. string.char(rnd(256) - 1) .. s:sub(i + 1)
    elseif k == 5 then -- truncate
      s = s:sub(1, i - 1)
    else -- swap two halves
      s = s:sub(i) .. " " .. s:sub(1, i - 1)
    end
  end
  return s
end

-- -------------------------------------------------------------- oracle

local function show(q)
  return (q:sub(1, 200):gsub("[%c\128-\255]", function(c) return ("\\%d"):format(c:byte()) end))
end

-- The query either runs (a List) or is refused with a "query error"
-- message, through every entry point.
local function ok_or_query_error(q)
  local ok, r, err = pcall(siqun.safe.query, art, q)
  if not ok then
    error(("safe.query raised %q for query %q"):format(tostring(r), show(q)), 0)
  end
  if r == nil then
    if type(err) ~= "string" or err:sub(1, 11) ~= "query error" then
      error(("safe.query gave %q for query %q"):format(tostring(err), show(q)), 0)
    end
  elseif not siqun.List.is_list(r) then
    error(("safe.query returned %s for query %q"):format(type(r), show(q)), 0)
  end
  if rnd(4) > 1 then return r ~= nil end -- (the raising twin, one query in four)
  local ok2, e2 = pcall(siqun.query, art, q)
  if not ok2 and not tostring(e2):find("query error", 1, true) then
    error(("siqun.query raised %q for query %q"):format(tostring(e2), show(q)), 0)
  end
  return r ~= nil
end

-- A condition, through List:filter and safe.predicate.
local function cond_ok_or_query_error(c)
  local ok, f, err = pcall(siqun.safe.predicate, c)
  if not ok then error(("safe.predicate raised %q for %q"):format(tostring(f), show(c)), 0) end
  if f == nil and not tostring(err):find("^query error") then
    error(("safe.predicate gave %q for %q"):format(tostring(err), show(c)), 0)
  end
  if rnd(2) > 1 then return end -- (List:filter, one condition in two)
  local ok2, e2 = pcall(art.figures.filter, art.figures, c)
  if not ok2 and not tostring(e2):find("query error", 1, true) then
    error(("filter raised %q for %q"):format(tostring(e2), show(c)), 0)
  end
end

describe("the query language under fuzzing", function()
  it("runs or refuses with a query error 3000 generated queries", function()
    local ran = 0
    for _ = 1, 3000 do
      if ok_or_query_error(query()) then ran = ran + 1 end
    end
    -- the generator makes valid queries too, not only refusals
    assert.is_true(ran > 200, "only " .. ran .. " queries ran")
  end)

  it("runs or refuses with a query error 3000 mutated queries", function()
    local seeds = {
      "figures where value > 100万 and unit = '户' order by value desc",
      "figures group by unit select unit, count(), sum(value) having count() > 1",
      "glossary where members ~ '群众' select term, en",
      "figures select id, value where section in (1, 3) order by value desc limit 2",
      "people where place is not nil order by name",
      "quotas where activity = 'village_stay' and not (min < 3) select rank, min",
      "figures where unit = “户” or label ~ 'cadre'",
      "sections select * order by number desc limit 1",
    }
    for _ = 1, 3000 do
      ok_or_query_error(mutate(rnd(3) == 1 and pick(seeds) or query()))
    end
  end)

  it("runs or refuses with a query error 1500 conditions as predicates", function()
    for _ = 1, 1500 do
      local c = cond("figures", 0)
      cond_ok_or_query_error(chance(0.5) and mutate(c) or c)
    end
  end)

  -- Found by this spec: the "did you mean" suggestion compared every
  -- candidate with the unknown name by edit distance, quadratic in its
  -- length (a 100 000-character field name took 1.3 s, 1 MB minutes).
  it("refuses a very long unknown name at once, without a suggestion", function()
    local t0 = os.clock()
    local r, err = siqun.safe.query(art, "figures where `" .. ("v"):rep(1048576) .. "` > 1")
    assert.is_nil(r)
    assert.matches("^query error at 15: unknown field 'vvvv", err)
    assert.is_nil(err:find("did you mean", 1, true))
    assert.is_true(os.clock() - t0 < 1 * SLOW)
    assert.matches("did you mean 'value'", select(2, siqun.safe.query(art, "figures where vlue > 1")))
  end)

  -- Found by this spec: 20 000 parentheses, or 20 000 terms joined by
  -- 'or', raised "stack overflow" (Lua 5.1, LuaJIT) instead of a query error.
  it("bounds nesting and the length of a condition", function()
    local r, err = siqun.safe.query(art, "figures where " .. ("("):rep(201) .. "value > 1"
                                          .. (")"):rep(201))
    assert.is_nil(r)
    assert.matches("^query error at 215: nested too deeply %(more than 200 levels of 'not' "
                   .. "and parentheses%)", err)
    assert.is_not_nil(siqun.safe.query(art, "figures where " .. ("not "):rep(200) .. "value > 1"))
    r, err = siqun.safe.query(art, "figures where " .. ("value > 1 or "):rep(1001) .. "value > 1")
    assert.is_nil(r)
    assert.matches("^query error at %d+: condition too long %(more than 1000 'and' and 'or'%)", err)
    assert.equal(#art.figures:filter("value > 1"),
                 #siqun.query(art, "figures where " .. ("value > 1 and "):rep(999) .. "value > 1"))
  end)

  it("refuses hostile shapes with a query error, in bounded time", function()
    local t0 = os.clock()
    local hostile = {
      ("("):rep(20000) .. "1 = 1" .. (")"):rep(20000),
      "figures where " .. ("("):rep(20000) .. "value > 1" .. (")"):rep(20000),
      "figures where " .. ("not "):rep(20000) .. "value > 1",
      "figures where " .. ("value > 1 or "):rep(20000) .. "value > 1",
      "figures where " .. ("value > 1 and "):rep(20000) .. "value > 1",
      "figures where value in (" .. ("1, "):rep(20000) .. "1)",
      "figures where value > 1" .. ("0"):rep(400),
      "figures where value > 1e400",
      "figures where value > " .. ("九"):rep(1000) .. "万",
      "figures where label = '" .. ("x"):rep(262144) .. "'",
      "figures where `" .. ("n"):rep(20000) .. "` = 1",
      "figures order by " .. ("value, "):rep(10000) .. "value",
      "figures select " .. ("id, "):rep(10000) .. "id",
      "figures group by " .. ("unit, "):rep(10000) .. "unit",
      "figures limit 99999999999999999999999",
      "figures\0 where value > 1",
      "figures where label = 'a\0b'",
      "figures where label = '\255'",
      "figures where label = '\237\160\128'",
      "\239\187\191figures",
      ("figures "):rep(10000),
      "",
      " ",
    }
    for _, q in ipairs(hostile) do ok_or_query_error(q) end
    for _, c in ipairs { ("("):rep(20000), ("not "):rep(20000) .. "x = 1", ("x = 1 or "):rep(20000) .. "x = 1" } do
      cond_ok_or_query_error(c)
    end
    assert.is_true(os.clock() - t0 < 5 * SLOW, "hostile queries took " .. (os.clock() - t0) .. " s")
  end)
end)
